import { Link, NavLink, useParams, useSearchParams } from 'react-router-dom';
import { RECORDING_VIEWS, paths, parseRecordingLocation, recordingPath } from '../../app/share-state';

export function RecordingPage() {
  const { recordingId } = useParams();
  const [search] = useSearchParams();
  const parsed = parseRecordingLocation(recordingId, search);

  if (!parsed.ok) {
    return (
      <section className="page">
        <div className="panel error" role="alert" data-testid="link-error">
          <h1>This link does not point anywhere</h1>
          <p>{parsed.error}</p>
          <Link to={paths.library}>Back to the recordings</Link>
        </div>
      </section>
    );
  }

  const location = parsed.location;
  return (
    <section className="page" data-testid="recording-page">
      <header className="page-header">
        <h1>
          Recording <code data-testid="recording-id">{location.recordingId}</code>
        </h1>
        <span className="position">
          tick <code data-testid="recording-tick">{location.tick?.toString() ?? '0'}</code>
        </span>
      </header>
      <nav className="tabs" aria-label="Views">
        {RECORDING_VIEWS.map((view) => (
          <NavLink key={view} to={recordingPath({ ...location, view })} className={() => (view === location.view ? 'tab active' : 'tab')} data-testid={`view-tab-${view}`}>
            {view}
          </NavLink>
        ))}
      </nav>
      <div className="panel" data-testid="recording-view" data-view={location.view}>
        The {location.view} view of this recording appears here.
      </div>
    </section>
  );
}
