import { NavLink, Outlet } from 'react-router-dom';
import { paths } from './share-state';

export function Shell() {
  return (
    <div className="shell">
      <header className="topbar" data-testid="app-shell">
        <NavLink to={paths.library} className="brand">
          prnr
        </NavLink>
        <nav className="nav" aria-label="Main">
          <NavLink to={paths.library} end data-testid="nav-library">
            Recordings
          </NavLink>
          <NavLink to={paths.live} data-testid="nav-live">
            Live
          </NavLink>
          <NavLink to={paths.diff} data-testid="nav-diff">
            Diff
          </NavLink>
        </nav>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
