import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { DEFAULT_VIEW, recordingPath } from '../../app/share-state';
import { errorMessage } from '../../../shared/errors';
import { diffPath } from '../diff/diff-location';
import { formatBytes, formatDate, formatTicks, guestSeconds } from './format';
import type { LibraryItem, RecordingSourceKind } from './library';
import { useDeleteRecording, useExportRecording } from './queries';

export const SOURCE_LABELS: Record<RecordingSourceKind, string> = {
  demo: 'Demo',
  'made here': 'Made in this browser',
  'opened file': 'Opened file',
  recovered: 'Recovered',
  server: 'On this server',
};

/** One recording in the library: what it is, how long and big, and its actions. */
export function RecordingCard({ item, highlighted = false }: { item: LibraryItem; highlighted?: boolean }) {
  const exporter = useExportRecording();
  const remover = useDeleteRecording();
  const [confirming, setConfirming] = useState(false);
  const to = recordingPath({ recordingId: item.id, view: DEFAULT_VIEW });
  const failure = exporter.error ?? remover.error;
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (highlighted) card.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlighted]);
  return (
    <article ref={card} className={`recording-card${highlighted ? ' highlighted' : ''}`} data-testid="recording-card" data-recording-id={item.id} data-source={item.source}>
      <header className="card-header">
        <h3>
          <Link to={to} data-testid="recording-link">
            {item.title}
          </Link>
        </h3>
        <span className={`source-badge source-${item.source.replace(' ', '-')}`} data-testid="recording-source">
          {SOURCE_LABELS[item.source]}
        </span>
      </header>
      {item.created !== undefined && (
        <p className="created" data-testid="recording-created">
          {item.source === 'opened file' ? 'Opened' : item.source === 'server' ? 'Shared' : 'Recorded'} {formatDate(item.created)}
        </p>
      )}
      {item.about && (
        <div className="about">
          {item.about.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
      {item.source === 'recovered' && <p className="about">Cut off before it was finished: every slice up to its last snapshot was kept.</p>}
      <dl className="facts">
        <div>
          <dt>Duration</dt>
          <dd data-testid="recording-duration">
            {guestSeconds(item.ticks)} guest
            <small>{formatTicks(item.ticks)} ticks</small>
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd data-testid="recording-size">
            {formatBytes(item.bytes)}
            {item.downloadBytes !== undefined && <small>{formatBytes(item.downloadBytes)} gzipped</small>}
          </dd>
        </div>
        <div>
          <dt>Slices</dt>
          <dd data-testid="recording-slices">
            {item.slices}
            {!item.complete && <small>recovered</small>}
          </dd>
        </div>
      </dl>
      <footer className="card-actions">
        <Link className="button" to={to} data-testid="open-recording">
          Open
        </Link>
        <Link className="button secondary" to={diffPath({ a: item.id })} title="Compare this recording's execution with another's" data-testid="compare-recording">
          Compare…
        </Link>
        <button type="button" className="button secondary" onClick={() => exporter.mutate(item)} disabled={exporter.isPending} data-testid="export-recording">
          {exporter.isPending ? 'Exporting…' : 'Export'}
        </button>
        {item.stored &&
          (confirming ? (
            <>
              <button type="button" className="button danger" onClick={() => remover.mutate(item.id)} disabled={remover.isPending} data-testid="confirm-delete-recording">
                Delete for good
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="button secondary" onClick={() => setConfirming(true)} data-testid="delete-recording">
              Delete
            </button>
          ))}
        <code className="recording-id" title={item.id}>
          {item.id.slice(0, 12)}
        </code>
      </footer>
      {failure && (
        <p className="card-error" role="alert">
          {errorMessage(failure)}
        </p>
      )}
    </article>
  );
}
