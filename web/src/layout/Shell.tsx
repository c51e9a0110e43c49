/**
 * The frame around every signed-in screen: a skip link, the header with the organization switcher and the
 * account menu, the navigation, and the main area that receives focus after each navigation so keyboard and
 * screen-reader users start at the new page's heading.
 */
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigation } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { useOrganization } from '../org/organization.tsx';
import { Button } from '../ui/Button.tsx';

/** Experiment pages live under their datasource (`/datasources/:ds/experiments/:exp`) but belong to Experiments. */
const EXPERIMENT_PAGE = /^\/datasources\/[^/]+\/experiments\//;

const NAV = [
  { to: '/experiments', label: 'Experiments', active: (path: string) => path.startsWith('/experiments') || EXPERIMENT_PAGE.test(path) },
  { to: '/datasources', label: 'Datasources', active: (path: string) => path.startsWith('/datasources') && !EXPERIMENT_PAGE.test(path) },
  { to: '/webhooks', label: 'Webhooks', active: (path: string) => path.startsWith('/webhooks') },
  { to: '/events', label: 'Recent events', active: (path: string) => path.startsWith('/events') },
] as const;

export function Shell() {
  const { me, signOut } = useSession();
  const { organizations, current, select } = useOrganization();
  const location = useLocation();
  // Screens load on first visit; while the next one's code arrives the current one stays, marked busy.
  const loadingNext = useNavigation().state === 'loading';
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Equipoise home">
          <span className="brand-mark" aria-hidden="true" /> Equipoise
        </NavLink>
        <div className="topbar-org">
          <label htmlFor="org-switcher" className="muted small">
            Organization
          </label>
          {organizations.length > 1 ? (
            <select id="org-switcher" value={current.id} onChange={(e) => select(e.target.value)}>
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          ) : (
            <span id="org-switcher" className="org-name">
              {current.name}
            </span>
          )}
        </div>
        <div className="topbar-user">
          <a href="/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
          <span className="muted" title={me?.is_privileged ? 'Instance administrator' : undefined}>
            {me?.email}
          </span>
          <Button size="small" variant="ghost" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.to}>
              <NavLink to={n.to} className={() => (n.active(location.pathname) ? 'active' : '')} aria-current={n.active(location.pathname) ? 'page' : undefined}>
                {n.label}
              </NavLink>
            </li>
          ))}
          <li>
            <NavLink to="/settings">Settings</NavLink>
          </li>
          {/* Instance administration: only for privileged users (the screens also refuse everyone else). */}
          {me?.is_privileged && (
            <li>
              <NavLink to="/admin/users" className={({ isActive }) => (isActive || location.pathname.startsWith('/admin/') ? 'active' : '')}>
                Users
              </NavLink>
            </li>
          )}
        </ul>
      </nav>
      {loadingNext && <div className="nav-progress" role="progressbar" aria-label="Opening the next screen" />}
      <main id="main" ref={main} tabIndex={-1} className="content" aria-busy={loadingNext || undefined}>
        {/* Keyed by organization: switching resets every screen's local state. */}
        <Outlet key={current.id} />
      </main>
    </div>
  );
}
