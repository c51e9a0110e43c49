/**
 * Organization settings (inside the signed-in shell) and the invite landing page (outside it: the person
 * opening an invite link has no session yet).
 */
import type { RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';
import { Loading } from '../../ui/Callout.tsx';

export const organizationRoutes: RouteObject[] = [
  { path: 'settings', lazy: lazyPage(() => import('./SettingsPage.tsx'), 'SettingsPage') },
  { path: 'settings/audit', lazy: lazyPage(() => import('./AuditLogPage.tsx'), 'AuditLogPage') },
];

/** Mounted beside `/login`, before the session gate. */
export const inviteRoutes: RouteObject[] = [
  { path: '/invite', lazy: lazyPage(() => import('./AcceptInvitePage.tsx'), 'AcceptInvitePage'), hydrateFallbackElement: <Loading label="Loading…" /> },
];
