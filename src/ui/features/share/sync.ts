// Sharing a recording (docs/design.md 6): upload it to the page's server
// unless the server has it, push this browser's notes on it, and bring the
// server's notes into this browser, so every viewer's timeline shows them.
// Notes are matched by (tick, author, text): the server keeps one of each,
// so sharing twice, or from two browsers, adds nothing twice.
import type { NewNote } from '../../../shared/server-api';
import { recordingBytes, recordingSource } from '../library/library';
import { addNote, listNotes } from '../notes/note-store';
import { postNote, serverNotes, sharedRecording, uploadRecording } from './server';

const noteKey = (n: NewNote) => `${n.tick} ${n.author} ${n.text}`;

/** Pulls in flight, by recording: a page mounting twice pulls once (two pulls at once would both add each note). */
const pulling = new Map<string, Promise<number>>();

/** Adds the server's notes on `id` that this browser lacks; resolves to how many it added (0 without a server). */
export function pullNotes(id: string): Promise<number> {
  let pull = pulling.get(id);
  if (!pull) {
    pull = pullOnce(id).finally(() => pulling.delete(id));
    pulling.set(id, pull);
  }
  return pull;
}

async function pullOnce(id: string): Promise<number> {
  if (!(await sharedRecording(id))) return 0;
  const local = new Set((await listNotes(id)).map(noteKey));
  let added = 0;
  for (const note of await serverNotes(id)) {
    if (local.has(noteKey(note))) continue;
    await addNote(id, note);
    local.add(noteKey(note));
    added++;
  }
  return added;
}

export interface ShareOutcome {
  /** The share link (without position: the caller adds tick and view). */
  url: string;
  uploaded: boolean;
  notesPushed: number;
}

/** Shares recording `id`: uploads it if the server lacks it, then pushes this browser's notes on it. */
export async function shareRecording(id: string): Promise<ShareOutcome> {
  let uploaded = false;
  let url = (await sharedRecording(id))?.url;
  if (url === undefined) {
    const { item } = await recordingSource(id);
    url = (await uploadRecording(await recordingBytes(item), item.title)).url;
    uploaded = true;
  }
  const remote = new Set((await serverNotes(id)).map(noteKey));
  let notesPushed = 0;
  for (const note of await listNotes(id)) {
    if (remote.has(noteKey(note))) continue;
    await postNote(id, note);
    notesPushed++;
  }
  return { url, uploaded, notesPushed };
}
