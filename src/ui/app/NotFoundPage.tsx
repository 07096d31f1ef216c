import { Link } from 'react-router-dom';
import { paths } from './share-state';

export function NotFoundPage() {
  return (
    <section className="page">
      <div className="panel" data-testid="not-found">
        <h1>Nothing here</h1>
        <p>
          <Link to={paths.library}>Back to the recordings</Link>
        </p>
      </div>
    </section>
  );
}
