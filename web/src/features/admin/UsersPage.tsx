/**
 * `/admin/users`: every user of the installation, searchable by email and paged, with their organizations,
 * whether they are instance administrators and have ever signed in; adding a user, granting or revoking
 * administration, and deleting. Each user's page has the rest.
 */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { PageHeader } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useFocusWhenOpen } from '../organization/useFocusWhenOpen.ts';
import { emailProblem, USER_EMAIL_MAX } from '../organization/validation.ts';
import { AdminNav } from './AdminNav.tsx';
import { adminPaths, useUsers, type UserSummary } from './api.ts';
import { RequirePrivileged } from './RequirePrivileged.tsx';
import { useDebouncedValue } from './useDebouncedValue.ts';
import { DeleteUserDialog, PrivilegeDialog, type UserRef } from './UserDialogs.tsx';

const ORGS_SHOWN = 3;

export function UsersPage() {
  return (
    <RequirePrivileged>
      <UsersScreen />
    </RequirePrivileged>
  );
}

const refOf = (u: UserSummary): UserRef => ({ id: u.id, email: u.email, is_privileged: u.is_privileged, organizationCount: u.organizations.length });

function UsersScreen() {
  const [search, setSearch] = useState('');
  const settled = useDebouncedValue(search.trim());
  const pages = usePageTokens();
  const [pagedFor, setPagedFor] = useState(settled);
  if (pagedFor !== settled) {
    // A new search starts again at page 1 (adjusting state while rendering, so no stale page is fetched).
    setPagedFor(settled);
    pages.reset();
  }
  const users = useUsers(settled, pages.token);
  const [adding, setAdding] = useState(false);
  const [privilege, setPrivilege] = useState<UserRef | null>(null);
  const [deleting, setDeleting] = useState<UserRef | null>(null);
  const { me } = useSession();

  return (
    <>
      <PageHeader
        title="Users"
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add user
          </Button>
        }
      >
        <AdminNav />
        <p className="muted section-intro">Everyone with an account on this Equipoise installation. Only instance administrators see this screen.</p>
      </PageHeader>
      <div className="section">
        <div className="admin-search" role="search">
          <TextField label="Search by email" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. example.org" autoComplete="off" />
        </div>
        {users.isPending && <Loading label="Loading users…" />}
        {users.isError && <ErrorCallout title="Could not load the users" error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && users.data.items.length === 0 && (
          <EmptyState title={settled ? `No user’s email contains “${settled}”` : 'No users'}>{settled ? 'Check the spelling, or search for part of the address.' : undefined}</EmptyState>
        )}
        {users.data && users.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table admin-table admin-users-table" aria-busy={users.isPlaceholderData || undefined}>
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Organizations</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => {
                  const isMe = u.id === me?.id;
                  return (
                    <tr key={u.id}>
                      <th scope="row">
                        <Link to={`/admin/users/${encodeURIComponent(u.id)}`}>{u.email}</Link>
                        {isMe && <Badge tone="info">You</Badge>}
                        {u.is_privileged && <Badge tone="warning">Instance admin</Badge>}
                      </th>
                      <td>
                        {u.organizations.length === 0 ? (
                          <span className="muted">None</span>
                        ) : (
                          <span title={u.organizations.map((o) => o.name).join(', ')}>
                            {u.organizations
                              .slice(0, ORGS_SHOWN)
                              .map((o) => o.name)
                              .join(', ')}
                            {u.organizations.length > ORGS_SHOWN && <span className="muted"> and {u.organizations.length - ORGS_SHOWN} more</span>}
                          </span>
                        )}
                      </td>
                      {/* has_logged_in counts sign-ins (password, provider, invite), not the printed login link. */}
                      <td>{isMe ? 'Now' : u.has_logged_in ? 'Yes' : <span className="muted">Never</span>}</td>
                      <td>
                        <span title={formatDateTime(u.created_at)}>{formatDate(u.created_at)}</span>
                      </td>
                      <td className="actions admin-row-actions">
                        <Button size="small" aria-label={u.is_privileged ? `Revoke admin from ${u.email}` : `Make admin: ${u.email}`} onClick={() => setPrivilege(refOf(u))}>
                          {u.is_privileged ? 'Revoke admin' : 'Make admin'}
                        </Button>
                        {!isMe && (
                          <Button size="small" variant="danger" aria-label={`Delete ${u.email}`} onClick={() => setDeleting(refOf(u))}>
                            Delete
                          </Button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {users.data && (
          <Pager page={pages.page} nextToken={users.data.next_page_token || undefined} loading={users.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} label="Users" />
        )}
      </div>
      <AddUserDialog open={adding} onClose={() => setAdding(false)} />
      <PrivilegeDialog user={privilege} onClose={() => setPrivilege(null)} />
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function AddUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const navigate = useNavigate();
  const toast = useToast();
  useFocusWhenOpen(open, 'add-user-email');
  const add = useMutation({
    mutationFn: (address: string) => api.post<{ id: string }>(adminPaths.users, { email: address }),
    onSuccess: ({ id }, address) => {
      toast(`${address} added`);
      close();
      // Next step is almost always "put them in an organization", which the user's page offers.
      navigate(`/admin/users/${encodeURIComponent(id)}`);
    },
  });
  function close() {
    setEmail('');
    setProblem(undefined);
    add.reset();
    onClose();
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    const local = emailProblem(email, USER_EMAIL_MAX);
    setProblem(local);
    if (!local) add.mutate(email.trim());
  }
  const serverField = add.error instanceof ApiError ? add.error.fieldMessage('email') : undefined;
  return (
    <Dialog
      open={open}
      title="Add a user"
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form="add-user-form" variant="primary" busy={add.isPending}>
            Add user
          </Button>
        </>
      }
    >
      <form id="add-user-form" onSubmit={submit} noValidate className="stack">
        <p>
          Creates an account for this address, in no organization, and sends no mail. They can sign in through your identity provider, if one is configured. To let someone
          choose a password, invite them from an organization’s settings instead.
        </p>
        <TextField
          id="add-user-email"
          label="Email address"
          type="email"
          required
          autoComplete="off"
          value={email}
          error={problem ?? serverField}
          hint={`Up to ${USER_EMAIL_MAX} characters. If the address already has an account, you are taken to it.`}
          onChange={(e) => {
            setEmail(e.target.value);
            if (problem) setProblem(undefined);
          }}
        />
        {add.isError && !serverField && <ErrorCallout title="Could not add the user" error={add.error} />}
      </form>
    </Dialog>
  );
}
