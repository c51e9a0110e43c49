/** The links between the settings screens, under their page heading; the current one is marked for screen readers. */
import { NavLink } from 'react-router';

export function SettingsNav() {
  return (
    <nav className="subnav" aria-label="Settings">
      <NavLink to="/settings" end>
        Organization
      </NavLink>
      <NavLink to="/settings/audit">Audit log</NavLink>
    </nav>
  );
}
