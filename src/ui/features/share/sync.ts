// Sharing a recording (docs/design.md 6): upload it to the page's server
// unless the server has it, then send this browser's notes on it that the
// server lacks. Notes are matched by (tick, author, text): the server keeps
// one of each, so sharing twice, or from two browsers, adds nothing twice.
// From then on ./note-sync.ts keeps the notes in step both ways.
import type { NewNote } from '../../../shared/server-api';
import { recordingBytes, recordingSource } from '../library/library';
import { listNotes, markSent } from '../notes/note-store';
import { postNote, serverNotes, sharedRecording, uploadRecording } from './server';

export const noteKey = (n: NewNote) => `${n.tick} ${n.author} ${n.text}`;

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
  const remote = new Map((await serverNotes(id)).map((n) => [noteKey(n), n.id]));
  let notesPushed = 0;
  for (const note of await listNotes(id)) {
    const known = remote.get(noteKey(note));
    if (known !== undefined) {
      await markSent(id, note.id, known);
      continue;
    }
    await markSent(id, note.id, (await postNote(id, note)).id);
    notesPushed++;
  }
  return { url, uploaded, notesPushed };
}
