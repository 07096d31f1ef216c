// Analysis partials by (recording, dimension, version, code, parameters,
// slice) (docs/design.md 5, 6): whoever computed one (a browser, the CLI, a
// queue worker) stores it, and anyone opening the recording reads it instead
// of replaying the slice. They never change: the first stored is kept.
import { canonicalParams, type AnalysisParam } from '../shared/analysis';
import { PrnrError } from '../shared/errors';
import { DIMENSION_NAME, MAX_PARTIAL_BYTES, type PartialKeyFields } from '../shared/server-api';
import type { Db } from './db';

const badKey = (why: string) => new PrnrError('BAD_ANALYSIS_KEY', `an analysis key ${why}`);

/** The key from the request's path (dimension, slice) and query (version, code, params), checked; `slices` bounds the slice. */
export function parsePartialKey(dimension: string, slice: string, query: Record<string, unknown>, slices: number): PartialKeyFields {
  if (!DIMENSION_NAME.test(dimension)) throw badKey(`names a dimension in lower case letters, digits and '-', got ${JSON.stringify(dimension.slice(0, 40))}`);
  if (!/^(0|[1-9][0-9]{0,6})$/.test(slice) || Number(slice) >= slices) throw badKey(`names a slice from 0 to ${slices - 1}, got ${JSON.stringify(slice.slice(0, 20))}`);
  const { version, code, params } = query;
  if (typeof version !== 'string' || !/^[1-9][0-9]{0,5}$/.test(version)) throw badKey('needs ?version=, a positive integer');
  if (typeof code !== 'string' || code.length > 128) throw badKey('needs ?code= (the code fingerprint, possibly empty), at most 128 characters');
  if (typeof params !== 'string' || params.length > 4096) throw badKey('needs ?params=, the canonical JSON of the parameters (at most 4096 characters)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    throw badKey('has ?params= that is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badKey('has ?params= that is not a JSON object');
  const fields = parsed as Record<string, AnalysisParam>;
  if (canonicalParams(fields) !== params) throw badKey('has ?params= that is not canonical (keys sorted, no spaces): use canonicalParams');
  return { dimension, version: Number(version), code, params: fields, slice: Number(slice) };
}

export class AnalysisStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      get: db.prepare<[string, string, number, string, string, number], { partial: string }>('SELECT partial FROM analyses WHERE recording = ? AND dimension = ? AND version = ? AND code = ? AND params = ? AND slice = ?'),
      put: db.prepare('INSERT OR IGNORE INTO analyses (recording, dimension, version, code, params, slice, partial, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  /** The stored partial's JSON text, or undefined. */
  get(id: string, key: PartialKeyFields): string | undefined {
    return this.q.get.get(id, key.dimension, key.version, key.code, canonicalParams(key.params), key.slice)?.partial;
  }

  /** Stores a partial (JSON text, as encodeAnalysisJson writes it); true if it was new. */
  put(id: string, key: PartialKeyFields, json: string): boolean {
    if (json.length > MAX_PARTIAL_BYTES) throw new PrnrError('BAD_ANALYSIS', `a partial is at most ${MAX_PARTIAL_BYTES} bytes of JSON`);
    try {
      JSON.parse(json);
    } catch {
      throw new PrnrError('BAD_ANALYSIS', 'a partial is JSON (as encodeAnalysisJson writes it)');
    }
    return this.q.put.run(id, key.dimension, key.version, key.code, canonicalParams(key.params), key.slice, json, new Date().toISOString()).changes === 1;
  }
}
