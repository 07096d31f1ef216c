// Notes pinned to ticks (docs/design.md 6): author, text and tick from the
// client, the time from the server. Checked here, stored as plain text; the
// app shows them as text (React escapes), never as markup.
import { PrnrError } from '../shared/errors';
import { NOTE_LIMITS, type SharedNote } from '../shared/server-api';
import { parseTick } from '../shared/tick';
import type { Db } from './db';

const badNote = (why: string) => new PrnrError('BAD_NOTE', `a note ${why}`);

/** Control characters other than tab and newline have no place in a note. */
const hasControl = (text: string) => [...text].some((c) => {
  const code = c.charCodeAt(0);
  return (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || code === 0x7f;
});

function textField(body: Record<string, unknown>, name: 'author' | 'text'): string {
  const value = body[name];
  if (typeof value !== 'string') throw badNote(`needs "${name}", a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badNote(`needs a non-empty "${name}"`);
  if (trimmed.length > NOTE_LIMITS[name]) throw badNote(`"${name}" is at most ${NOTE_LIMITS[name]} characters, got ${trimmed.length}`);
  if (hasControl(trimmed)) throw badNote(`"${name}" contains control characters`);
  return trimmed;
}

export class NoteStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      add: db.prepare<[string, string, string, string, string], { id: number }>('INSERT INTO notes (recording, tick, author, text, created) VALUES (?, ?, ?, ?, ?) RETURNING id'),
      list: db.prepare<[string, number], SharedNote>('SELECT id, tick, author, text, created FROM notes WHERE recording = ? AND id > ? ORDER BY id'),
      same: db.prepare<[string, string, string, string], SharedNote>('SELECT id, tick, author, text, created FROM notes WHERE recording = ? AND tick = ? AND author = ? AND text = ?'),
    };
  }

  /**
   * Adds a note to recording `id`, which ends at `endTick`; a malformed body is a BAD_NOTE error saying what is wrong.
   * The same note (tick, author, text) again is the one already kept (`added` false): sharing twice adds nothing.
   */
  add(id: string, endTick: bigint, body: unknown): { note: SharedNote; added: boolean } {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badNote('is a JSON object {"author", "text", "tick"}');
    const fields = body as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((k) => !['author', 'text', 'tick'].includes(k));
    if (unknown.length > 0) throw badNote(`has author, text and tick only, not ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
    const author = textField(fields, 'author');
    const text = textField(fields, 'text');
    const rawTick = fields.tick;
    if (typeof rawTick !== 'string') throw badNote('needs "tick", a decimal string like "1200345"');
    let tick: bigint;
    try {
      tick = parseTick(rawTick);
    } catch (err) {
      throw badNote(`tick: ${(err as Error).message}`);
    }
    if (tick > endTick) throw badNote(`tick ${tick} is after the recording's end at tick ${endTick}`);
    const same = this.q.same.get(id, tick.toString(), author, text);
    if (same) return { note: same, added: false };
    const created = new Date().toISOString();
    const { id: noteId } = this.q.add.get(id, tick.toString(), author, text, created)!;
    return { note: { id: noteId, tick: tick.toString(), author, text, created }, added: true };
  }

  /** The notes on recording `id` in the order they were added, those after note `since` only when given. */
  list(id: string, since = 0): SharedNote[] {
    return this.q.list.all(id, since);
  }
}
