// The small IndexedDB index of the recordings kept in this browser
// (docs/design.md 6): one entry per recording, keyed by its id (the digest:
// the same file opened twice is one entry), naming its file in OPFS
// (./opfs.ts); and one entry per live recording in progress, so a recording
// cut off by a closed tab is recovered under the title it was started with.
// Works in the page and in workers.
import { smallDatabase } from './idb';

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

const db = smallDatabase(INDEX_DB_NAME, INDEX_DB_VERSION, 'the recordings index', (database) => {
  if (!database.objectStoreNames.contains(RECORDINGS)) database.createObjectStore(RECORDINGS, { keyPath: 'id' });
  if (!database.objectStoreNames.contains(SESSIONS)) database.createObjectStore(SESSIONS, { keyPath: 'file' });
});
const run = db.run.bind(db);

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
