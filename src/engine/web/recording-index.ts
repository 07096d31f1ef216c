// The small IndexedDB index of the recordings kept in this browser
// (docs/design.md 6): one entry per recording, keyed by its id (the digest:
// the same file opened twice is one entry), naming its file in OPFS
// (./opfs.ts); and one entry per live recording in progress, so a recording
// cut off by a closed tab is recovered under the title it was started with.
// Works in the page and in workers.
import { PrnrError } from '../../shared/errors';

export const INDEX_DB_NAME = 'prnr';
const INDEX_DB_VERSION = 1;
const RECORDINGS = 'recordings';
const SESSIONS = 'sessions';

/** Where a stored recording came from. Demos ship with the app and are never stored. */
export type StoredSource = 'made here' | 'opened file' | 'recovered';

export interface StoredRecording {
  /** The recording's digest (hex): for a recovered one, the chain head at its last complete snapshot (as the reader and the engine name it). */
  id: string;
  title: string;
  source: StoredSource;
  /** Its file in OPFS recordings/. */
  file: string;
  bytes: number;
  /** The tick of its last snapshot (decimal). */
  ticks: string;
  slices: number;
  /** False for a recording without END, opened in recovery mode. */
  complete: boolean;
  /** When it was recorded or added (ms since the epoch). */
  created: number;
}

/** A live recording started in this browser, until it is finished and indexed. */
export interface RecordingSession {
  /** The file it is written to (as `<file>.partial` until finished). */
  file: string;
  title: string;
  created: number;
}

let opened: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new PrnrError('STORAGE_UNAVAILABLE', 'this browser has no IndexedDB to index recordings in'));
      return;
    }
    const request = indexedDB.open(INDEX_DB_NAME, INDEX_DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(RECORDINGS)) db.createObjectStore(RECORDINGS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS, { keyPath: 'file' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, and reopen next time.
      db.onversionchange = () => {
        db.close();
        opened = undefined;
      };
      resolve(db);
    };
    request.onerror = () => reject(new PrnrError('STORAGE_UNAVAILABLE', `cannot open the recordings index: ${request.error?.message ?? 'unknown error'}`));
    request.onblocked = () => reject(new PrnrError('STORAGE_UNAVAILABLE', 'the recordings index is held by an older version of prnr in another tab: close it and reload'));
  }).catch((err: unknown) => {
    opened = undefined;
    throw err;
  });
  return opened;
}

/** Runs one request in a transaction on `store`; resolves when the transaction commits. */
async function run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = body(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(new PrnrError('STORAGE_WRITE_FAILED', `the recordings index failed: ${tx.error?.message ?? request.error?.message ?? 'unknown error'}`));
    tx.onabort = tx.onerror;
  });
}

export const recordingIndex = {
  list: () => run<StoredRecording[]>(RECORDINGS, 'readonly', (s) => s.getAll() as IDBRequest<StoredRecording[]>),
  get: async (id: string) => (await run<StoredRecording | undefined>(RECORDINGS, 'readonly', (s) => s.get(id) as IDBRequest<StoredRecording | undefined>)) ?? undefined,
  put: async (entry: StoredRecording) => void (await run(RECORDINGS, 'readwrite', (s) => s.put(entry))),
  delete: async (id: string) => void (await run(RECORDINGS, 'readwrite', (s) => s.delete(id))),
};

export const sessionIndex = {
  list: () => run<RecordingSession[]>(SESSIONS, 'readonly', (s) => s.getAll() as IDBRequest<RecordingSession[]>),
  put: async (session: RecordingSession) => void (await run(SESSIONS, 'readwrite', (s) => s.put(session))),
  delete: async (file: string) => void (await run(SESSIONS, 'readwrite', (s) => s.delete(file))),
};
