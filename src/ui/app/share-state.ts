// The app's URLs carry shareable state (docs/design.md 6): a link names a recording,
// a position and a view, e.g. /r/<id>?t=1200345&view=syscalls&pid=42&q=openat
// (the syscalls view's filter: q free text, call a name, cat a category, failed=1).
// Ticks travel as decimal strings and are bigint in the app.
import { errorMessage } from '../../shared/errors';
import { formatTick, parseTick, type Tick } from '../../shared/tick';
import { CATEGORIES, isCategory, type Category } from '../features/syscalls/categories';

export const paths = {
  library: '/',
  live: '/live',
  recording: '/r/:recordingId',
  /** Two recordings compared: /diff?a=<id>&b=<id> (src/ui/features/diff/diff-location.ts). */
  diff: '/diff',
} as const;

export const RECORDING_VIEWS = ['console', 'registers', 'memory', 'disassembly', 'syscalls', 'processes', 'hotspots'] as const;
export type RecordingView = (typeof RECORDING_VIEWS)[number];
export const DEFAULT_VIEW: RecordingView = 'console';

export interface RecordingLocation {
  recordingId: string;
  /** Position in the recording; undefined means its start. */
  tick?: Tick;
  view: RecordingView;
  /** Focus on one guest process (syscalls, processes views). */
  pid?: number;
  /** The memory panel's address, and whether it is physical or virtual (through the page table at the tick; the default). */
  addr?: bigint;
  space?: AddressSpace;
  /** Where to fetch a recording this browser does not keep (a URL of its .prnr file). */
  src?: string;
  /** The syscalls view's filter: free text in the strace-like line, a syscall name, a category, failed calls only. */
  q?: string;
  call?: string;
  cat?: Category;
  failed?: boolean;
}

export const ADDRESS_SPACES = ['virt', 'phys'] as const;
export type AddressSpace = (typeof ADDRESS_SPACES)[number];
const ADDR = /^0x[0-9a-f]{1,16}$/i;

export type ParsedLocation = { ok: true; location: RecordingLocation } | { ok: false; error: string };

const RECORDING_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** The recording ids a link may name. */
export const isRecordingId = (text: string) => RECORDING_ID.test(text);
const PID = /^[1-9][0-9]{0,9}$/;
const CALL = /^[a-z0-9_]{1,40}$/;
const MAX_QUERY = 200;

function isView(value: string): value is RecordingView {
  return (RECORDING_VIEWS as readonly string[]).includes(value);
}

/** Reads /r/:recordingId?t=&view=&pid= back into state; a bad link yields a message a user can act on. */
export function parseRecordingLocation(recordingId: string | undefined, search: string | URLSearchParams): ParsedLocation {
  if (recordingId === undefined || !isRecordingId(recordingId)) {
    return { ok: false, error: `"${recordingId ?? ''}" is not a recording id (letters, digits, '.', '_' and '-', at most 128)` };
  }
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const location: RecordingLocation = { recordingId, view: DEFAULT_VIEW };

  const t = params.get('t');
  if (t !== null) {
    try {
      location.tick = parseTick(t);
    } catch (err) {
      return { ok: false, error: `t: ${errorMessage(err)}` };
    }
  }
  const view = params.get('view');
  if (view !== null) {
    if (!isView(view)) return { ok: false, error: `view: "${view}" is not one of ${RECORDING_VIEWS.join(', ')}` };
    location.view = view;
  }
  const pid = params.get('pid');
  if (pid !== null) {
    if (!PID.test(pid)) return { ok: false, error: `pid: a process id is a positive integer, got "${pid}"` };
    location.pid = Number(pid);
  }
  const addr = params.get('addr');
  if (addr !== null) {
    if (!ADDR.test(addr)) return { ok: false, error: `addr: an address is hex like 0x80200000, got "${addr}"` };
    location.addr = BigInt(addr);
  }
  const space = params.get('space');
  if (space !== null) {
    if (!(ADDRESS_SPACES as readonly string[]).includes(space)) return { ok: false, error: `space: "${space}" is not one of ${ADDRESS_SPACES.join(', ')}` };
    location.space = space as AddressSpace;
  }
  const src = params.get('src');
  if (src !== null) location.src = src;
  const q = params.get('q');
  if (q !== null) {
    if (q.length > MAX_QUERY) return { ok: false, error: `q: a search is at most ${MAX_QUERY} characters, got ${q.length}` };
    if (q !== '') location.q = q;
  }
  const call = params.get('call');
  if (call !== null) {
    if (!CALL.test(call)) return { ok: false, error: `call: a syscall name is lowercase letters, digits and '_', got "${call}"` };
    location.call = call;
  }
  const cat = params.get('cat');
  if (cat !== null) {
    if (!isCategory(cat)) return { ok: false, error: `cat: "${cat}" is not one of ${CATEGORIES.join(', ')}` };
    location.cat = cat;
  }
  const failed = params.get('failed');
  if (failed !== null) {
    if (failed !== '1') return { ok: false, error: `failed: only failed=1 (failed calls only) means something, got "${failed}"` };
    location.failed = true;
  }
  return { ok: true, location };
}

/** The shareable path for a recording location; parseRecordingLocation reads it back unchanged. */
export function recordingPath(location: RecordingLocation): string {
  const params = new URLSearchParams();
  if (location.tick !== undefined) params.set('t', formatTick(location.tick));
  if (location.view !== DEFAULT_VIEW) params.set('view', location.view);
  if (location.pid !== undefined) params.set('pid', String(location.pid));
  if (location.addr !== undefined) params.set('addr', `0x${location.addr.toString(16)}`);
  if (location.space !== undefined) params.set('space', location.space);
  if (location.src !== undefined) params.set('src', location.src);
  if (location.q) params.set('q', location.q);
  if (location.call !== undefined) params.set('call', location.call);
  if (location.cat !== undefined) params.set('cat', location.cat);
  if (location.failed) params.set('failed', '1');
  const query = params.toString();
  return `/r/${encodeURIComponent(location.recordingId)}${query ? `?${query}` : ''}`;
}
