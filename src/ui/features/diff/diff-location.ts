// The diff view's link (docs/design.md 8: the URL holds the whole view
// state): /diff?a=<id>&b=<id> names the pair, ta= and tb= each side's
// playhead, d= the selected divergence (by its rank, earliest first).
import { errorMessage } from '../../../shared/errors';
import { formatTick, parseTick, type Tick } from '../../../shared/tick';
import { isRecordingId, paths } from '../../app/share-state';

/** The two recordings of a diff: A and B, as prnr diff names them. */
export type Side = 'a' | 'b';

export interface DiffLocation {
  /** The recordings compared; a missing one is still to be chosen. */
  a?: string;
  b?: string;
  /** Each side's playhead (undefined: the selected divergence's tick). */
  ta?: Tick;
  tb?: Tick;
  /** The selected divergence's index (undefined: the first). */
  d?: number;
}

export type ParsedDiffLocation = { ok: true; location: DiffLocation } | { ok: false; error: string };

const INDEX = /^(0|[1-9][0-9]{0,6})$/;

export function parseDiffLocation(search: string | URLSearchParams): ParsedDiffLocation {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const location: DiffLocation = {};
  for (const side of ['a', 'b'] as const) {
    const id = params.get(side);
    if (id === null || id === '') continue;
    if (!isRecordingId(id)) return { ok: false, error: `${side}: "${id}" is not a recording id (letters, digits, '.', '_' and '-', at most 128)` };
    location[side] = id;
  }
  for (const key of ['ta', 'tb'] as const) {
    const t = params.get(key);
    if (t === null) continue;
    try {
      location[key] = parseTick(t);
    } catch (err) {
      return { ok: false, error: `${key}: ${errorMessage(err)}` };
    }
  }
  const d = params.get('d');
  if (d !== null) {
    if (!INDEX.test(d)) return { ok: false, error: `d: a divergence is chosen by its number from 0, got "${d}"` };
    location.d = Number(d);
  }
  return { ok: true, location };
}

/** The shareable path of a diff view; parseDiffLocation reads it back unchanged. */
export function diffPath(location: DiffLocation): string {
  const params = new URLSearchParams();
  if (location.a !== undefined) params.set('a', location.a);
  if (location.b !== undefined) params.set('b', location.b);
  if (location.ta !== undefined) params.set('ta', formatTick(location.ta));
  if (location.tb !== undefined) params.set('tb', formatTick(location.tb));
  if (location.d !== undefined) params.set('d', String(location.d));
  const query = params.toString();
  return `${paths.diff}${query ? `?${query}` : ''}`;
}
