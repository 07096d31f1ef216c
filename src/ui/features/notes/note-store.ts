// This browser's notes (issue 12: stored with the recording in this
// browser): an IndexedDB database of their own beside the recordings' index
// (src/engine/web/recording-index.ts), one entry per note, numbered by
// IndexedDB, found by recording, each knowing its id on the page's server
// once that has it (../share/note-sync.ts). Other tabs hear of every change
// on a BroadcastChannel, so a note added in one shows in all.
import type { NewNote } from '../../../shared/server-api';
import { smallDatabase } from '../../../engine/web/idb';
import { checkedNote, type LocalNote } from './note-model';

const NOTES = 'notes';
const BY_RECORDING = 'recording';
const CHANNEL = 'prnr-notes';

const db = smallDatabase('prnr-notes', 1, 'notes', (database) => {
  if (!database.objectStoreNames.contains(NOTES)) database.createObjectStore(NOTES, { keyPath: 'id', autoIncrement: true }).createIndex(BY_RECORDING, BY_RECORDING);
});

export function listNotes(recording: string): Promise<LocalNote[]> {
  return db.run<LocalNote[]>(NOTES, 'readonly', (s) => s.index(BY_RECORDING).getAll(recording) as IDBRequest<LocalNote[]>);
}

/** Keeps a new note on `recording` (checked: checkedNote's errors); resolves to it as stored. One from the server keeps its id and time there. */
export async function addNote(recording: string, note: NewNote, fromServer?: { serverId: number; created: string }): Promise<LocalNote> {
  const entry: Omit<LocalNote, 'id'> = { ...checkedNote(note), recording, created: fromServer?.created ?? new Date().toISOString(), ...(fromServer && { serverId: fromServer.serverId }) };
  const id = await db.run(NOTES, 'readwrite', (s) => s.add(entry) as IDBRequest<number>);
  announce(recording);
  return { ...entry, id };
}

/** Records that the server has note `id` of `recording`, as its note `serverId`. */
export async function markSent(recording: string, id: number, serverId: number): Promise<void> {
  const entry = await db.run<LocalNote | undefined>(NOTES, 'readonly', (s) => s.get(id) as IDBRequest<LocalNote | undefined>);
  if (!entry || entry.serverId === serverId) return;
  await db.run(NOTES, 'readwrite', (s) => s.put({ ...entry, serverId }));
  announce(recording);
}

export async function deleteNote(recording: string, id: number): Promise<void> {
  await db.run(NOTES, 'readwrite', (s) => s.delete(id));
  announce(recording);
}

let channel: BroadcastChannel | undefined;
const listeners = new Set<(recording: string) => void>();

function announce(recording: string): void {
  for (const l of listeners) l(recording);
  channel?.postMessage(recording);
}

/** Hears every change to any recording's notes, in this tab and the others; returns the unsubscribe. */
export function onNotesChanged(listener: (recording: string) => void): () => void {
  if (listeners.size === 0 && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<string>) => {
      for (const l of listeners) l(event.data);
    };
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      channel?.close();
      channel = undefined;
    }
  };
}
