/** Instance administration (privileged users only; every screen checks and explains when it may not open). */
import { Navigate, type RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';

export const adminRoutes: RouteObject[] = [
  { path: 'admin', element: <Navigate to="/admin/users" replace /> },
  { path: 'admin/users', lazy: lazyPage(() => import('./UsersPage.tsx'), 'UsersPage') },
  { path: 'admin/users/:userId', lazy: lazyPage(() => import('./UserPage.tsx'), 'UserPage') },
  { path: 'admin/organizations', lazy: lazyPage(() => import('./OrganizationsPage.tsx'), 'OrganizationsPage') },
];
