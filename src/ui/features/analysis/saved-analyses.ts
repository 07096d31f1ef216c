// Analysis results kept in this browser (issue 12: a recording analysed once
// opens analysed): one IndexedDB entry per (recording, request label), beside
// the recordings' own index (src/engine/web/recording-index.ts) in a database
// of its own, so neither schema waits on the other. An entry holds the
// dimension's description (version and decoder fingerprint included) and its
// merged result as structured clone keeps it (bigints and bytes as they are);
// one made by other code (another version, another decoder) is not served.
// IndexedDB refuses a value past ~130 MB, so a result's long lists (a
// million calls) are kept in parts of their own, PART_ITEMS items each, and
// put back together when read.
import { smallDatabase } from '../../../engine/web/idb';
import { PrnrError } from '../../../shared/errors';
import type { SavedAnalysis } from './kept-analysis';

export type { SavedAnalysis } from './kept-analysis';

const DB_NAME = 'prnr-analyses';
const DB_VERSION = 2;
const RESULTS = 'results';
const PARTS = 'parts';
/** Items of a long list per stored part. */
const PART_ITEMS = 50_000;

/** A stretch of one of a result's long lists. */
interface StoredPart {
  recording: string;
  label: string;
  field: string;
  index: number;
  items: unknown[];
}

/** An entry as stored: its long lists replaced by how many parts hold them. */
type StoredAnalysis = SavedAnalysis & { parts?: Record<string, number> };

const db = smallDatabase(DB_NAME, DB_VERSION, 'analyses', (database) => {
  if (!database.objectStoreNames.contains(RESULTS)) database.createObjectStore(RESULTS, { keyPath: ['recording', 'label'] });
  if (!database.objectStoreNames.contains(PARTS)) database.createObjectStore(PARTS, { keyPath: ['recording', 'label', 'field', 'index'] });
});

/** Runs `body` in one transaction over both stores; resolves with its value when the transaction commits. */
const transact = <T>(mode: IDBTransactionMode, body: (results: IDBObjectStore, parts: IDBObjectStore) => () => T): Promise<T> =>
  db.transact([RESULTS, PARTS], mode, ([results, parts]) => body(results!, parts!));

const ofRecording = (recording: string) => IDBKeyRange.bound([recording, ''], [recording, '\uffff']);
const ofLabel = (recording: string, label: string) => IDBKeyRange.bound([recording, label, '', 0], [recording, label, '\uffff', Infinity]);

/** Every analysis kept for `recording`, its long lists put back together (a part at a time, the page's turn between them). */
export async function savedAnalyses(recording: string): Promise<SavedAnalysis[]> {
  const entries = await transact('readonly', (results) => {
    const e = results.getAll(ofRecording(recording)) as IDBRequest<StoredAnalysis[]>;
    return () => e.result;
  });
  const out: SavedAnalysis[] = [];
  for (const { parts: counts, ...entry } of entries) {
    if (!counts) {
      out.push(entry);
      continue;
    }
    const result = { ...(entry.result as Record<string, unknown>) };
    for (const [field, count] of Object.entries(counts)) {
      const items: unknown[] = [];
      for (let index = 0; index < count; index++) {
        const part = await transact('readonly', (_results, parts) => {
          const p = parts.get([recording, entry.label, field, index]) as IDBRequest<StoredPart | undefined>;
          return () => p.result;
        });
        if (!part) throw new PrnrError('STORAGE_CORRUPT', `the kept ${entry.label} analysis lacks part ${index} of its ${field} (of ${count})`);
        for (const item of part.items) items.push(item);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      result[field] = items;
    }
    out.push({ ...entry, result });
  }
  return out;
}

export async function saveAnalysis(entry: SavedAnalysis): Promise<void> {
  const result = entry.result;
  const parts: StoredPart[] = [];
  const counts: Record<string, number> = {};
  let stored: unknown = result;
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) {
    const rest: Record<string, unknown> = { ...(result as Record<string, unknown>) };
    for (const [field, value] of Object.entries(rest)) {
      if (!Array.isArray(value) || value.length <= PART_ITEMS) continue;
      counts[field] = Math.ceil(value.length / PART_ITEMS);
      for (let i = 0; i < counts[field]; i++) parts.push({ recording: entry.recording, label: entry.label, field, index: i, items: value.slice(i * PART_ITEMS, (i + 1) * PART_ITEMS) });
      rest[field] = [];
    }
    stored = rest;
  }
  const record: StoredAnalysis = parts.length ? { ...entry, result: stored, parts: counts } : entry;
  // A part per transaction, the page's turn between them: cloning a million calls at once would hold the page for seconds.
  // The entry goes in last, so an entry read always finds its parts.
  await transact('readwrite', (results, store) => {
    results.delete([entry.recording, entry.label]);
    store.delete(ofLabel(entry.recording, entry.label));
    return () => undefined;
  });
  for (const p of parts) {
    await transact('readwrite', (_results, store) => (store.put(p), () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await transact('readwrite', (results) => (results.put(record), () => undefined));
}

export async function forgetAnalysis(recording: string, label: string): Promise<void> {
  await transact('readwrite', (results, parts) => {
    results.delete([recording, label]);
    parts.delete(ofLabel(recording, label));
    return () => undefined;
  });
}
