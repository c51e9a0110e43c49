/** Instance administration (privileged users only; every screen checks and explains when it may not open). */
import { Navigate, type RouteObject } from 'react-router';
import { OrganizationsPage } from './OrganizationsPage.tsx';
import { UserPage } from './UserPage.tsx';
import { UsersPage } from './UsersPage.tsx';

export const adminRoutes: RouteObject[] = [
  { path: 'admin', element: <Navigate to="/admin/users" replace /> },
  { path: 'admin/users', element: <UsersPage /> },
  { path: 'admin/users/:userId', element: <UserPage /> },
  { path: 'admin/organizations', element: <OrganizationsPage /> },
];
