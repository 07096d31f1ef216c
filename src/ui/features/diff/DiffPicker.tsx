// Choosing the two recordings to compare, from the library (the card's
// "Compare…" comes here with A chosen).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage } from '../../../shared/errors';
import { paths } from '../../app/share-state';
import type { LibraryItem } from '../library/library';
import { useLibrary } from '../library/queries';
import { diffPath } from './diff-location';

function Choice({ side, items, value, onChange }: { side: 'a' | 'b'; items: LibraryItem[]; value: string; onChange(id: string): void }) {
  return (
    <label className="diff-choice">
      <span className="diff-side-name">{side.toUpperCase()}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={`diff-pick-${side}`}>
        <option value="">Choose a recording…</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.title} · {item.id.slice(0, 12)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DiffPicker({ a, b }: { a?: string; b?: string }) {
  const library = useLibrary();
  const navigate = useNavigate();
  const [chosen, setChosen] = useState({ a: a ?? '', b: b ?? '' });
  const items = library.data ? [...library.data.demos, ...library.data.made, ...library.data.opened] : [];
  const ready = chosen.a !== '' && chosen.b !== '';
  return (
    <section className="page diff-picker" data-testid="diff-picker">
      <header className="page-header">
        <div>
          <h1>Compare two recordings</h1>
          <p className="subtitle">Their syscall traces are aligned process by process, as prnr diff does; every place where they part ways is listed, with both ticks.</p>
        </div>
      </header>
      {library.isError && (
        <div className="panel error" role="alert">
          The library could not be read: {errorMessage(library.error)}
        </div>
      )}
      <form
        className="panel diff-choose"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) navigate(diffPath({ a: chosen.a, b: chosen.b }));
        }}
      >
        <Choice side="a" items={items} value={chosen.a} onChange={(id) => setChosen((c) => ({ ...c, a: id }))} />
        <Choice side="b" items={items} value={chosen.b} onChange={(id) => setChosen((c) => ({ ...c, b: id }))} />
        <button type="submit" className="button" disabled={!ready} data-testid="diff-compare">
          Compare
        </button>
        {library.isPending && <span className="muted">Loading recordings…</span>}
      </form>
      <p className="muted">
        Or press <em>Compare…</em> on a recording in <Link to={paths.library}>the library</Link>.
      </p>
    </section>
  );
}
