/**
 * `/admin/organizations`: every organization of the installation (`scope=all`), searchable by name and
 * paged, with its size. An administrator who needs to work inside one joins it, which puts it in the
 * organization switcher (and in its audit log, as any membership change is).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { useOrganization } from '../../org/organization.tsx';
import { SwitchToOrganization } from '../../org/SwitchToOrganization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { TextField } from '../../ui/Field.tsx';
import { formatDate, formatInteger } from '../../ui/format.ts';
import { PageHeader } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { AdminNav } from './AdminNav.tsx';
import { adminKeys, adminPaths, useInstanceOrganizations, type InstanceOrganization } from './api.ts';
import { RequirePrivileged } from './RequirePrivileged.tsx';
import { useDebouncedValue } from './useDebouncedValue.ts';

export function OrganizationsPage() {
  return (
    <RequirePrivileged>
      <OrganizationsScreen />
    </RequirePrivileged>
  );
}

function OrganizationsScreen() {
  const [search, setSearch] = useState('');
  const settled = useDebouncedValue(search.trim());
  const pages = usePageTokens();
  const [pagedFor, setPagedFor] = useState(settled);
  if (pagedFor !== settled) {
    // A new search starts again at page 1.
    setPagedFor(settled);
    pages.reset();
  }
  const orgs = useInstanceOrganizations(settled, pages.token);
  const { me } = useSession();
  const { current, select } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  const join = useMutation({
    // Pin the organization being worked in first: with no stored choice the app falls back to the first
    // organization by name, which the one joined may now be.
    onMutate: () => select(current.id),
    mutationFn: (o: InstanceOrganization) => api.put(adminPaths.member(o.id, me?.id ?? ''), {}),
    onSuccess: async (_, o) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['organizations'] }), queryClient.invalidateQueries({ queryKey: adminKeys.all })]);
      toast(`You joined ${o.name}; switch to it from the organization menu`);
    },
  });

  return (
    <>
      <PageHeader title="Organizations">
        <AdminNav />
        <p className="muted section-intro">Every organization on this installation, including those you are not a member of.</p>
      </PageHeader>
      <div className="section">
        <div className="admin-search" role="search">
          <TextField label="Search by name" type="search" value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
        </div>
        {join.isError && <ErrorCallout title="Could not join the organization" error={join.error} />}
        {orgs.isPending && <Loading label="Loading organizations…" />}
        {orgs.isError && <ErrorCallout title="Could not load the organizations" error={orgs.error} onRetry={() => void orgs.refetch()} />}
        {orgs.data && orgs.data.items.length === 0 && (
          <EmptyState title={settled ? `No organization’s name contains “${settled}”` : 'No organizations'}>{settled ? 'Check the spelling, or search for part of the name.' : undefined}</EmptyState>
        )}
        {orgs.data && orgs.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table admin-table" aria-busy={orgs.isPlaceholderData || undefined}>
              <caption className="visually-hidden">Organizations</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">ID</th>
                  <th scope="col">Created</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col" className="num">
                    Experiments
                  </th>
                  <th scope="col">You</th>
                </tr>
              </thead>
              <tbody>
                {orgs.data.items.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">{o.name}</th>
                    <td>
                      <CopyValue value={o.id} what={`ID of ${o.name}`} />
                    </td>
                    <td>{formatDate(o.created_at)}</td>
                    <td className="num">{formatInteger(o.user_count)}</td>
                    <td className="num">{formatInteger(o.experiment_count)}</td>
                    <td className="actions">
                      {o.joined_at ? (
                        <span className="admin-member">
                          <Badge tone="success">Member</Badge>
                          <SwitchToOrganization organization={o} />
                        </span>
                      ) : (
                        <Button size="small" aria-label={`Join ${o.name}`} busy={join.isPending && join.variables?.id === o.id} onClick={() => join.mutate(o)}>
                          Join
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {orgs.data && (
          <Pager page={pages.page} nextToken={orgs.data.next_page_token || undefined} loading={orgs.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} label="Organizations" />
        )}
      </div>
    </>
  );
}
