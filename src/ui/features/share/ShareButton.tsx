// Share (docs/design.md 6): uploads the recording to the server this page
// came from (prnr serve), pushes this browser's notes on it, and shows the
// link to the current tick and view, with Copy. While the page is open the
// notes of a shared recording go both ways (./note-sync.ts): how many came
// from the server, and whether it answers, show beside the button.
import { useState, useSyncExternalStore } from 'react';
import { errorMessage } from '../../../shared/errors';
import { recordingPath, type RecordingLocation } from '../../app/share-state';
import { noteSync } from './note-sync';
import { shareRecording, type ShareOutcome } from './sync';
import './share.css';

type ShareState = { phase: 'idle' } | { phase: 'sharing' } | { phase: 'shared'; outcome: ShareOutcome } | { phase: 'failed'; error: string };

export interface ShareButtonProps {
  location: RecordingLocation;
  /** The playhead: the link opens here. */
  tick: bigint;
}

export function ShareButton({ location, tick }: ShareButtonProps) {
  const id = location.recordingId;
  const [state, setState] = useState<ShareState>({ phase: 'idle' });
  const [copied, setCopied] = useState(false);
  // The server's notes on this recording, kept in step with this browser's while the page is open.
  const sync = noteSync(id);
  const notes = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  const pulled = notes.pulled > 0 ? `${notes.pulled} note${notes.pulled === 1 ? '' : 's'} from the server` : undefined;

  const share = () => {
    setState({ phase: 'sharing' });
    setCopied(false);
    shareRecording(id).then(
      (outcome) => {
        setState({ phase: 'shared', outcome });
        sync.refresh();
      },
      (err: unknown) => setState({ phase: 'failed', error: errorMessage(err) }),
    );
  };
  const link = state.phase === 'shared' ? new URL(recordingPath({ ...location, tick, src: undefined }), state.outcome.url).href : undefined;
  const copy = () => {
    if (link) void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
  };

  return (
    <div className="share" data-testid="share" data-phase={state.phase}>
      <button type="button" className="button share-button" data-testid="share-button" disabled={state.phase === 'sharing'} onClick={share} title="Upload this recording and its notes to this server and get a link to this moment">
        {state.phase === 'sharing' ? 'Sharing…' : 'Share'}
      </button>
      {link && (
        <div className="share-result" role="status">
          <input className="share-link" readOnly value={link} onFocus={(e) => e.target.select()} aria-label="Share link" data-testid="share-link" />
          <button type="button" className="text-button" onClick={copy} data-testid="share-copy">
            {copied ? 'Copied' : 'Copy'}
          </button>
          <span className="muted share-detail">
            {state.phase === 'shared' && (state.outcome.uploaded ? 'uploaded' : 'already on the server')}
            {state.phase === 'shared' && state.outcome.notesPushed > 0 && `, ${state.outcome.notesPushed} note${state.outcome.notesPushed === 1 ? '' : 's'} sent`}
          </span>
        </div>
      )}
      {pulled && state.phase !== 'shared' && (
        <span className="muted" data-testid="share-notes-pulled">
          {pulled}
        </span>
      )}
      {notes.problem && (
        <span className="muted share-notes-problem" role="status" data-testid="share-notes-problem">
          Notes: {notes.problem}
        </span>
      )}
      {state.phase === 'failed' && (
        <p className="panel-error share-error" role="alert" data-testid="share-error">
          {state.error}
        </p>
      )}
    </div>
  );
}
