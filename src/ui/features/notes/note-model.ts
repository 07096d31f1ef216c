// A note pinned to a tick, shaped as `prnr serve` keeps them
// (src/shared/server-api.ts SharedNote: author, text, tick, created), plus the
// recording it belongs to, so this browser's notes can be sent to the server
// as they are when the recording is shared, and whether the server has it.
import { PrnrError } from '../../../shared/errors';
import { NOTE_LIMITS, type NewNote, type SharedNote } from '../../../shared/server-api';
import { parseTick } from '../../../shared/tick';

export interface LocalNote extends SharedNote {
  /** The recording's id. */
  recording: string;
  /** The note's id on the page's server once it has it (sent, or brought from there); absent while only this browser has it. */
  serverId?: number;
}

/** A note as the user typed it, trimmed and checked against the server's limits (NOTE_EMPTY, NOTE_TOO_LONG, BAD_TICK). */
export function checkedNote(note: NewNote): NewNote {
  const author = note.author.trim();
  const text = note.text.trim();
  if (author === '') throw new PrnrError('NOTE_EMPTY', 'a note needs an author: type your name');
  if (text === '') throw new PrnrError('NOTE_EMPTY', 'a note needs some text');
  if (author.length > NOTE_LIMITS.author) throw new PrnrError('NOTE_TOO_LONG', `an author's name is at most ${NOTE_LIMITS.author} characters, this one has ${author.length}`);
  if (text.length > NOTE_LIMITS.text) throw new PrnrError('NOTE_TOO_LONG', `a note is at most ${NOTE_LIMITS.text} characters, this one has ${text.length}`);
  parseTick(note.tick);
  return { author, text, tick: note.tick };
}

/** Notes in timeline order: by tick, then as they were written. */
export function byTick(a: LocalNote, b: LocalNote): number {
  const ta = BigInt(a.tick);
  const tb = BigInt(b.tick);
  return ta !== tb ? (ta < tb ? -1 : 1) : a.id - b.id;
}
