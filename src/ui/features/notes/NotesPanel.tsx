// Notes pinned to ticks (Pernosco's notebook is the model): write one at the
// playhead, see every note of the recording in tick order, click one to jump
// there. Kept in this browser (./note-store.ts) and, for a recording the
// page's server keeps, sent there and brought from there as they are written
// (../share/note-sync.ts): a note the server does not have yet says so. Text
// is shown as text (React escapes it), never as markup.
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { errorMessage } from '../../../shared/errors';
import { NOTE_LIMITS } from '../../../shared/server-api';
import { formatDate } from '../library/format';
import { noteSync } from '../share/note-sync';
import { useAddNote, useAuthor, useDeleteNote, useNotes } from './queries';
import './notes.css';

export interface NotesPanelProps {
  id: string;
  /** The playhead: where a new note is pinned. */
  tick: bigint;
  onSeek(tick: bigint): void;
}

export function NotesPanel({ id, tick, onSeek }: NotesPanelProps) {
  const notes = useNotes(id);
  const adder = useAddNote(id);
  const remover = useDeleteNote(id);
  const [author, setAuthor] = useAuthor();
  const [text, setText] = useState('');
  const sync = noteSync(id);
  const shared = useSyncExternalStore(sync.subscribe, sync.getSnapshot).phase === 'shared';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    adder.mutate({ author, text, tick: tick.toString() }, { onSuccess: () => setText('') });
  };
  const failure = adder.error ?? remover.error ?? notes.error;

  return (
    <section className="panel-box notes-panel" aria-label="Notes" data-testid="notes-panel">
      <header className="panel-title">
        <h2>Notes</h2>
        <span className="muted" data-testid="notes-where">
          {notes.data ? `${notes.data.length} ${shared ? 'shared through this server' : 'in this browser'}` : 'loading…'}
        </span>
      </header>
      <form className="note-form" onSubmit={submit}>
        <input className="note-author" value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="Your name" maxLength={NOTE_LIMITS.author} aria-label="Your name" data-testid="note-author" />
        <textarea className="note-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="What happens here?" maxLength={NOTE_LIMITS.text} rows={2} aria-label="Note" data-testid="note-text" />
        <button type="submit" className="text-button note-add" disabled={adder.isPending} data-testid="note-add">
          Add note at tick {tick.toString()}
        </button>
      </form>
      {failure && (
        <p className="panel-error" role="alert" data-testid="note-error">
          {errorMessage(failure)}
        </p>
      )}
      <ol className="note-list" data-testid="note-list">
        {notes.data?.map((note) => (
          <li key={note.id} className={BigInt(note.tick) === tick ? 'note here' : 'note'} data-testid="note-item" data-tick={note.tick} data-note-id={note.id} data-sent={shared ? String(note.serverId !== undefined) : undefined}>
            <button type="button" className="note-jump" onClick={() => onSeek(BigInt(note.tick))} title={`Move the playhead to tick ${note.tick}`} data-testid="note-jump">
              <code>{note.tick}</code>
            </button>
            <div className="note-body">
              <div className="note-meta">
                <strong data-testid="note-author-name">{note.author}</strong> <span className="muted">{formatDate(Date.parse(note.created))}</span>
                {shared && note.serverId === undefined && (
                  <span className="note-unsent" title="Kept in this browser; sent to the server as soon as it answers" data-testid="note-unsent">
                    not sent yet
                  </span>
                )}
                <button type="button" className="note-delete" onClick={() => remover.mutate(note.id)} title="Delete this note" aria-label="Delete this note" data-testid="note-delete">
                  ×
                </button>
              </div>
              <p className="note-text-shown" data-testid="note-text-shown">
                {note.text}
              </p>
            </div>
          </li>
        ))}
      </ol>
      {notes.data?.length === 0 && <p className="muted note-empty">No notes yet: move the playhead to a moment worth remembering and write one.</p>}
    </section>
  );
}
