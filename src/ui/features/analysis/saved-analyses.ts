// Analysis results kept in this browser (issue 12: a recording analysed once
// opens analysed): one IndexedDB entry per (recording, request label), beside
// the recordings' own index (src/engine/web/recording-index.ts) in a database
// of its own, so neither schema waits on the other. An entry holds the
// dimension's description (version and decoder fingerprint included) and its
// merged result as structured clone keeps it (bigints and bytes as they are);
// one made by other code (another version, another decoder) is not served.
import { canonicalParams, type DimensionDescription } from '../../../shared/analysis';
import { PrnrError } from '../../../shared/errors';

const DB_NAME = 'prnr-analyses';
const DB_VERSION = 1;
const RESULTS = 'results';

export interface SavedAnalysis {
  recording: string;
  label: string;
  description: DimensionDescription;
  result: unknown;
  /** Per slice, what the timeline paints of it besides the result (hot spots: the slice's hottest place). */
  slices?: unknown[];
  /** How long it took to compute (ms), and when it was saved (ms since the epoch). */
  elapsedMs: number;
  saved: number;
}

let opened: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (!globalThis.indexedDB) return reject(new PrnrError('STORAGE_UNAVAILABLE', 'this browser has no IndexedDB to keep analyses in'));
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(RESULTS)) request.result.createObjectStore(RESULTS, { keyPath: ['recording', 'label'] });
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        opened = undefined;
      };
      resolve(db);
    };
    request.onerror = () => reject(new PrnrError('STORAGE_UNAVAILABLE', `cannot open the analyses' store: ${request.error?.message ?? 'unknown error'}`));
    request.onblocked = () => reject(new PrnrError('STORAGE_UNAVAILABLE', "the analyses' store is held by an older prnr in another tab: close it and reload"));
  }).catch((err: unknown) => {
    opened = undefined;
    throw err;
  });
  return opened;
}

function transact<T>(mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return database().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(RESULTS, mode);
        const request = body(tx.objectStore(RESULTS));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(new PrnrError('STORAGE_WRITE_FAILED', `the analyses' store failed: ${tx.error?.message ?? request.error?.message ?? 'unknown error'}`));
        tx.onabort = tx.onerror;
      }),
  );
}

/** Every analysis kept for `recording`. */
export function savedAnalyses(recording: string): Promise<SavedAnalysis[]> {
  return transact<SavedAnalysis[]>('readonly', (s) => s.getAll(IDBKeyRange.bound([recording, ''], [recording, '\uffff'])) as IDBRequest<SavedAnalysis[]>);
}

export async function saveAnalysis(entry: SavedAnalysis): Promise<void> {
  await transact('readwrite', (s) => s.put(entry));
}

export async function forgetAnalysis(recording: string, label: string): Promise<void> {
  await transact('readwrite', (s) => s.delete([recording, label]));
}

/** Whether a kept result answers `current` (same dimension, parameters, version and decoder). */
export function answers(saved: DimensionDescription, current: DimensionDescription): boolean {
  return saved.dimension === current.dimension && saved.version === current.version && saved.code === current.code && saved.label === current.label && canonicalParams(saved.params) === canonicalParams(current.params);
}
