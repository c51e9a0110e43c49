/**
 * The gate of every instance administration screen: privileged users pass; everyone else is told plainly
 * what the screen is for and whom to ask, instead of a wall of 403s.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { Callout } from '../../ui/Callout.tsx';
import { PageHeader } from '../../ui/Page.tsx';

export function RequirePrivileged({ children }: { children: ReactNode }) {
  const { me } = useSession();
  if (me?.is_privileged) return <>{children}</>;
  return (
    <>
      <PageHeader title="Not allowed" />
      <Callout tone="warning" title="Only instance administrators can open this screen">
        <p>
          Instance administration — managing every user and seeing every organization of this Equipoise installation — is for instance administrators. You are signed in as{' '}
          <strong>{me?.email}</strong>, which is not one.
        </p>
        <p>If you need it, ask an instance administrator (for example whoever installed Equipoise) to make you one.</p>
      </Callout>
      <p>
        <Link to="/settings">Go to your organization’s settings</Link> to manage its members and invites.
      </p>
    </>
  );
}
