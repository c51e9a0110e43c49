/** The links between the instance administration screens, under their page heading. */
import { NavLink } from 'react-router';

export function AdminNav() {
  return (
    <nav className="subnav" aria-label="Instance administration">
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/organizations">Organizations</NavLink>
    </nav>
  );
}
