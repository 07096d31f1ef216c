// Analysis partials by (recording, dimension, version, code, parameters,
// slice) (docs/design.md 5, 6): whoever computed one (a browser, the CLI, a
// queue worker) stores it, and anyone opening the recording reads it instead
// of replaying the slice.
//
// Trust: a partial is a pure function of its key (and the recording), so
// every honest submitter sends the same bytes. The first value sent for a
// key is stored; a later one with the same bytes agrees (200); one with other
// bytes is a dispute (409): nothing is replaced by a submitter, the other
// value's sha256 and its sender are kept in analysis_disputes and logged.
// The server then derives the partial itself (verify.ts: the slice replayed
// and analysed by its own code) and settles the key: the derived value is
// stored and served from then on, marked verified (analysis_verified); a PUT
// with ?verify=1 asks for the same check of any key. Where the server cannot
// derive it (another version of the analysis than it runs, the slice
// failing there), a disputed key is served to no one (a GET is 404, saying
// why), so every client computes that slice itself, as without a server.
// XXX: a lone first submission nobody contradicts and nobody asks to verify
// is believed.
import { createHash } from 'node:crypto';
import { canonicalParams, type AnalysisParam } from '../shared/analysis';
import { PrnrError } from '../shared/errors';
import { DIMENSION_NAME, MAX_PARTIAL_BYTES, type PartialKeyFields, type SharedAnalysis } from '../shared/server-api';
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

/** What became of a PUT: stored (new), agreed (same bytes as the stored one), or disputed (other bytes). */
export interface PartialPut {
  outcome: 'stored' | 'agreed' | 'disputed';
  /** sha256 (hex) of the value sent. */
  sent: string;
  /** sha256 (hex) of the value stored for the key (the first sent, or the one the server derived). */
  first: string;
  /** Whether the stored value is the server's own derivation. */
  verified: boolean;
}

/** A stored partial (verified: derived by the server), or why there is none to serve. */
export type PartialGet = { json: string; verified: boolean } | { disputed: true } | undefined;

const digest = (json: string) => createHash('sha256').update(json).digest('hex');

export class AnalysisStore {
  private readonly q;

  constructor(private readonly db: Db) {
    const key = 'recording = ? AND dimension = ? AND version = ? AND code = ? AND params = ? AND slice = ?';
    type Key = [string, string, number, string, string, number];
    this.q = {
      get: db.prepare<Key, { partial: string }>(`SELECT partial FROM analyses WHERE ${key}`),
      disputed: db.prepare<Key, { n: number }>(`SELECT count(*) AS n FROM analysis_disputes WHERE ${key}`),
      verified: db.prepare<Key, { sha256: string }>(`SELECT sha256 FROM analysis_verified WHERE ${key}`),
      settle: db.prepare(`UPDATE analyses SET partial = ? WHERE ${key}`),
      vouch: db.prepare('INSERT OR REPLACE INTO analysis_verified (recording, dimension, version, code, params, slice, sha256, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      vouched: db.prepare<[string], { dimension: string; version: number; code: string; params: string; slice: number }>('SELECT dimension, version, code, params, slice FROM analysis_verified WHERE recording = ?'),
      put: db.prepare('INSERT OR IGNORE INTO analyses (recording, dimension, version, code, params, slice, partial, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      dispute: db.prepare('INSERT OR IGNORE INTO analysis_disputes (recording, dimension, version, code, params, slice, sha256, sender, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      stored: db.prepare<[string], { dimension: string; version: number; code: string; params: string; slice: number }>('SELECT dimension, version, code, params, slice FROM analyses WHERE recording = ? ORDER BY dimension, version, code, params, slice'),
      disputes: db.prepare<[string], { dimension: string; version: number; code: string; params: string; slice: number }>('SELECT DISTINCT dimension, version, code, params, slice FROM analysis_disputes WHERE recording = ?'),
    };
  }

  private static row(id: string, key: PartialKeyFields): [string, string, number, string, string, number] {
    return [id, key.dimension, key.version, key.code, canonicalParams(key.params), key.slice];
  }

  /** The partial to serve for the key: its JSON text, none, or none because submitters disagreed on it. */
  get(id: string, key: PartialKeyFields): PartialGet {
    const row = AnalysisStore.row(id, key);
    const stored = this.q.get.get(...row);
    if (!stored) return undefined;
    if (this.q.verified.get(...row)) return { json: stored.partial, verified: true };
    return this.q.disputed.get(...row)!.n > 0 ? { disputed: true } : { json: stored.partial, verified: false };
  }

  /** Stores the partial the server derived for the key (JSON text), served from now on whatever was sent; returns its sha256. */
  settle(id: string, key: PartialKeyFields, json: string): string {
    const row = AnalysisStore.row(id, key);
    const sha256 = digest(json);
    this.db.transaction(() => {
      if (this.q.put.run(...row, json, new Date().toISOString()).changes === 0) this.q.settle.run(json, ...row);
      this.q.vouch.run(...row, sha256, new Date().toISOString());
    })();
    return sha256;
  }

  /** Takes a partial (JSON text, as encodeAnalysisJson writes it) sent by `sender` (an address, for the log): stored if it is the key's first, else compared with the stored one. */
  put(id: string, key: PartialKeyFields, json: string, sender: string): PartialPut {
    if (json.length > MAX_PARTIAL_BYTES) throw new PrnrError('BAD_ANALYSIS', `a partial is at most ${MAX_PARTIAL_BYTES} bytes of JSON`);
    try {
      JSON.parse(json);
    } catch {
      throw new PrnrError('BAD_ANALYSIS', 'a partial is JSON (as encodeAnalysisJson writes it)');
    }
    const row = AnalysisStore.row(id, key);
    const sent = digest(json);
    const now = new Date().toISOString();
    return this.db.transaction((): PartialPut => {
      if (this.q.put.run(...row, json, now).changes === 1) return { outcome: 'stored', sent, first: sent, verified: false };
      const verified = this.q.verified.get(...row) !== undefined;
      const first = digest(this.q.get.get(...row)!.partial);
      if (first === sent) return { outcome: 'agreed', sent, first, verified };
      this.q.dispute.run(...row, sent, sender.slice(0, 200), now);
      return { outcome: 'disputed', sent, first, verified };
    })();
  }

  /** Every analysis with partials of recording `id`: which slices are served, which disputed. */
  list(id: string): SharedAnalysis[] {
    const out = new Map<string, SharedAnalysis>();
    const entry = (r: { dimension: string; version: number; code: string; params: string }) => {
      const name = JSON.stringify([r.dimension, r.version, r.code, r.params]);
      let a = out.get(name);
      if (!a) out.set(name, (a = { dimension: r.dimension, version: r.version, code: r.code, params: JSON.parse(r.params) as Record<string, AnalysisParam>, slices: [], disputed: [] }));
      return a;
    };
    const name = (r: { dimension: string; version: number; code: string; params: string; slice: number }) => JSON.stringify([r.dimension, r.version, r.code, r.params, r.slice]);
    const vouched = new Set(this.q.vouched.all(id).map(name));
    const disputed = new Set<string>();
    for (const r of this.q.disputes.all(id)) {
      if (vouched.has(name(r))) continue;
      entry(r).disputed.push(r.slice);
      disputed.add(name(r));
    }
    for (const r of this.q.stored.all(id)) if (!disputed.has(name(r))) entry(r).slices.push(r.slice);
    for (const a of out.values()) a.disputed.sort((x, y) => x - y);
    return [...out.values()];
  }
}
