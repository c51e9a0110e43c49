/**
 * Organization settings (inside the signed-in shell) and the invite landing page (outside it: the person
 * opening an invite link has no session yet).
 */
import type { RouteObject } from 'react-router';
import { AcceptInvitePage } from './AcceptInvitePage.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';

export const organizationRoutes: RouteObject[] = [
  { path: 'settings', element: <SettingsPage /> },
  { path: 'settings/audit', element: <AuditLogPage /> },
];

/** Mounted beside `/login`, before the session gate. */
export const inviteRoutes: RouteObject[] = [{ path: '/invite', element: <AcceptInvitePage /> }];
