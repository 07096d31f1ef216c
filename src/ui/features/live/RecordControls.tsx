// Record and Stop on the live page. Record boots a fresh machine under a
// recorder (a recording starts at boot; see live-machine.ts); Stop finishes
// the recording and opens it.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DEFAULT_VIEW, recordingPath } from '../../app/share-state';
import { errorMessage } from '../../../shared/errors';
import type { LiveMachineStore, LiveSnapshot } from './live-machine';

export function RecordControls({ machine, snapshot }: { machine: LiveMachineStore; snapshot: LiveSnapshot }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const recording = snapshot.recording;
  const active = recording?.phase === 'recording' || recording?.phase === 'finishing';

  const record = () => {
    setError(undefined);
    machine.record().catch((err: unknown) => setError(errorMessage(err)));
  };
  const stop = () => {
    setError(undefined);
    machine.stopRecording().then(
      (id) => navigate(recordingPath({ recordingId: id, view: DEFAULT_VIEW })),
      (err: unknown) => setError(errorMessage(err)),
    );
  };

  return (
    <div className="record-controls panel" data-testid="record-controls" data-state={recording?.phase ?? 'off'}>
      {active ? (
        <>
          <span className="rec-indicator" aria-hidden />
          <span className="record-text">
            {recording.phase === 'finishing' ? 'Finishing the recording…' : 'Recording from boot: everything you type is recorded.'}
          </span>
          <button type="button" className="button stop" onClick={stop} disabled={recording.phase !== 'recording'} data-testid="stop-button">
            ■ Stop
          </button>
        </>
      ) : (
        <>
          <button type="button" className="button record" onClick={record} data-testid="record-button">
            ● Record
          </button>
          <span className="record-text muted">Boots a fresh machine and records the session from its first instruction; Stop opens the recording.</span>
          {recording?.phase === 'saved' && recording.id && (
            <Link to={recordingPath({ recordingId: recording.id, view: DEFAULT_VIEW })} data-testid="saved-recording">
              Open the recording
            </Link>
          )}
        </>
      )}
      {(error ?? (recording?.phase === 'failed' ? recording.error : undefined)) && (
        <span className="record-error" role="alert" data-testid="record-error">
          {error ?? recording?.error}
        </span>
      )}
    </div>
  );
}
