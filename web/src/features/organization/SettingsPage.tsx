/** `/settings`: the current organization — its name and id, members, invites — and the caller's other organizations. */
import { useOrganization } from '../../org/organization.tsx';
import { PageHeader } from '../../ui/Page.tsx';
import { InvitesSection } from './InvitesSection.tsx';
import { MembersSection } from './MembersSection.tsx';
import { OrganizationSection } from './OrganizationSection.tsx';
import { OrganizationsSection } from './OrganizationsSection.tsx';
import { SettingsNav } from './SettingsNav.tsx';

export function SettingsPage() {
  const { current } = useOrganization();
  return (
    <>
      <PageHeader title="Organization settings">
        <SettingsNav />
      </PageHeader>
      <OrganizationSection organization={current} />
      <MembersSection organizationId={current.id} organizationName={current.name} />
      <InvitesSection organizationId={current.id} organizationName={current.name} />
      <OrganizationsSection />
    </>
  );
}
