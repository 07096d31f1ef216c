import { Link } from 'react-router-dom';
import { paths } from '../../app/share-state';

export function LibraryPage() {
  return (
    <section className="page" data-testid="library-page">
      <header className="page-header">
        <h1>Recordings</h1>
      </header>
      <div className="panel empty" data-testid="library-empty">
        <p>No recordings yet. Boot a machine, record a session, then replay and analyse it here.</p>
        <Link className="button" to={paths.live} data-testid="start-live">
          Start a live machine
        </Link>
      </div>
    </section>
  );
}
