// Two executions compared, /diff?a=<id>&b=<id> (docs/design.md 5, diff; 8):
// without both ids the page asks for the pair from the library, with them it
// shows the diff. The link holds the pair, the selected divergence and both
// playheads, so a diff can be shared as it is seen.
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '../../app/share-state';
import { DiffPicker } from './DiffPicker';
import { DiffView } from './DiffView';
import { parseDiffLocation } from './diff-location';
import './diff.css';

export function DiffPage() {
  const [search] = useSearchParams();
  const parsed = parseDiffLocation(search);
  if (!parsed.ok) {
    return (
      <section className="page">
        <div className="panel error" role="alert" data-testid="link-error">
          <h1>This diff link does not point anywhere</h1>
          <p>{parsed.error}</p>
          <Link to={paths.library}>Back to the recordings</Link>
        </div>
      </section>
    );
  }
  const { a, b } = parsed.location;
  if (a === undefined || b === undefined) return <DiffPicker a={a} b={b} />;
  return <DiffView key={`${a}:${b}`} location={{ ...parsed.location, a, b }} />;
}
