/**
 * `/admin/users/:userId`: one user — their account facts, instance administration, deletion — and their
 * organizations: when they joined each, removing them from one, adding them to another.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useSession } from '../../auth/session.tsx';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { SelectField } from '../../ui/Field.tsx';
import { formatDate, formatDateTime, formatInteger } from '../../ui/format.ts';
import { PageHeader, Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { adminKeys, adminPaths, useOrganizationChoices, useUser, type UserDetail, type UserOrganization } from './api.ts';
import { RequirePrivileged } from './RequirePrivileged.tsx';
import { DeleteUserDialog, PrivilegeDialog, type UserRef } from './UserDialogs.tsx';

/** `last_logout` is the epoch for someone who never signed out everywhere. */
const NEVER_BEFORE = Date.UTC(1971, 0, 1);

export function UserPage() {
  return (
    <RequirePrivileged>
      <UserScreen />
    </RequirePrivileged>
  );
}

function UserScreen() {
  const { userId = '' } = useParams();
  const user = useUser(userId);
  const { me } = useSession();
  const navigate = useNavigate();
  const [privilege, setPrivilege] = useState<UserRef | null>(null);
  const [deleting, setDeleting] = useState<UserRef | null>(null);
  const crumbs = [{ label: 'Users', to: '/admin/users' }, { label: user.data?.email ?? 'User' }];

  if (user.isPending) return <Loading label="Loading the user…" />;
  if (user.isError) {
    const gone = user.error instanceof ApiError && user.error.status === 404;
    return (
      <>
        <PageHeader title={gone ? 'User not found' : 'User'} crumbs={crumbs} />
        <ErrorCallout title={gone ? 'There is no such user; they may have been deleted' : 'Could not load the user'} error={user.error} onRetry={gone ? undefined : () => void user.refetch()} />
      </>
    );
  }
  const u = user.data;
  const isMe = u.id === me?.id;
  const ref: UserRef = { id: u.id, email: u.email, is_privileged: u.is_privileged, organizationCount: u.organizations.length };
  return (
    <>
      <PageHeader
        title={u.email}
        crumbs={crumbs}
        actions={
          <>
            <Button onClick={() => setPrivilege(ref)}>{u.is_privileged ? 'Revoke administrator' : 'Make administrator'}</Button>
            {!isMe && (
              <Button variant="danger" onClick={() => setDeleting(ref)}>
                Delete user
              </Button>
            )}
          </>
        }
      />
      <Section title="Account" id="user-account">
        <dl className="facts">
          <dt>User ID</dt>
          <dd>
            <CopyValue value={u.id} what="user ID" />
          </dd>
          <dt>Instance administrator</dt>
          <dd>{u.is_privileged ? <Badge tone="warning">Yes</Badge> : 'No'}</dd>
          <dt>Added</dt>
          <dd>{formatDateTime(u.created_at)}</dd>
          <dt>Has signed in</dt>
          <dd>{u.has_logged_in ? 'Yes' : 'Never'}</dd>
          <dt>Last signed out everywhere</dt>
          <dd>{new Date(u.last_logout).getTime() < NEVER_BEFORE ? 'Never' : formatDateTime(u.last_logout)}</dd>
        </dl>
        {isMe && <p className="small muted">This is you. You cannot delete your own account; another administrator can.</p>}
      </Section>
      <MembershipsSection user={u} isMe={isMe} />
      <PrivilegeDialog user={privilege} onClose={() => setPrivilege(null)} />
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} onDeleted={() => navigate('/admin/users')} />
    </>
  );
}

function MembershipsSection({ user, isMe }: { user: UserDetail; isMe: boolean }) {
  const [removing, setRemoving] = useState<UserOrganization | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: adminKeys.all }), queryClient.invalidateQueries({ queryKey: ['organizations'] })]);
  const remove = useMutation({
    mutationFn: (o: UserOrganization) => api.delete(adminPaths.member(o.id, user.id), { allow_missing: true }),
    onSuccess: async (_, o) => {
      setRemoving(null);
      toast(`${user.email} removed from ${o.name}`);
      await refresh();
    },
  });
  return (
    <Section title={`Organizations (${user.organizations.length})`} id="user-organizations">
      {user.organizations.length === 0 ? (
        <p className="muted">Not a member of any organization yet: when they sign in they are asked to create one. Add them to one below.</p>
      ) : (
        <div className="table-wrap">
          <table className="table admin-table">
            <caption className="visually-hidden">Organizations of {user.email}</caption>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Joined</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col" className="num">
                  Experiments
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {user.organizations.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    {o.name}
                    <div>
                      <code className="small muted">{o.id}</code>
                    </div>
                  </th>
                  <td>
                    <span title={formatDateTime(o.joined_at)}>{formatDate(o.joined_at)}</span>
                  </td>
                  <td className="num">{formatInteger(o.user_count)}</td>
                  <td className="num">{formatInteger(o.experiment_count)}</td>
                  <td className="actions">
                    {isMe ? (
                      <span className="small muted">Leave it from its settings</span>
                    ) : (
                      <Button size="small" variant="danger" aria-label={`Remove from ${o.name}`} onClick={() => setRemoving(o)}>
                        Remove
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddToOrganization user={user} onAdded={refresh} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${user.email} from ${removing?.name ?? ''}?`}
        confirmLabel="Remove from organization"
        busy={remove.isPending}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>They lose access to its datasources, experiments and webhooks at once. Their account stays, and so does everything they made there.</p>
        {removing?.user_count === 1 && (
          <p>
            <strong>They are its only member:</strong> nobody but instance administrators will be able to reach it until someone is added.
          </p>
        )}
        {remove.isError && <ErrorCallout title="Could not remove them" error={remove.error} />}
      </ConfirmDialog>
    </Section>
  );
}

function AddToOrganization({ user, onAdded }: { user: UserDetail; onAdded: () => Promise<unknown> }) {
  const choices = useOrganizationChoices();
  const [orgId, setOrgId] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const toast = useToast();
  const { current, select } = useOrganization();
  const { me } = useSession();
  const add = useMutation({
    // Adding yourself: pin the organization being worked in, which the new one might otherwise displace.
    onMutate: () => {
      if (user.id === me?.id) select(current.id);
    },
    mutationFn: (id: string) => api.put(adminPaths.member(id, user.id), {}),
    onSuccess: async (_, id) => {
      toast(`${user.email} added to ${choices.data?.items.find((o) => o.id === id)?.name ?? 'the organization'}`);
      setOrgId('');
      await onAdded();
    },
  });
  if (choices.isPending) return <Loading label="Loading organizations…" />;
  if (choices.isError) return <ErrorCallout title="Could not load the organizations to add them to" error={choices.error} onRetry={() => void choices.refetch()} />;
  const member = new Set(user.organizations.map((o) => o.id));
  const available = choices.data.items.filter((o) => !member.has(o.id));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!orgId) {
      setProblem('Choose an organization.');
      return;
    }
    setProblem(undefined);
    add.mutate(orgId);
  }
  return (
    <form className="inline-form add-to-org" onSubmit={submit} noValidate aria-label={`Add ${user.email} to an organization`}>
      <div className="inline-form-grow">
        <SelectField
          label="Add to organization"
          value={orgId}
          error={problem}
          hint={choices.data.next_page_token ? 'The first 100 organizations by name are listed.' : available.length === 0 ? 'They are already in every organization.' : undefined}
          options={[{ value: '', label: available.length === 0 ? 'No other organizations' : 'Choose an organization…' }, ...available.map((o) => ({ value: o.id, label: o.name }))]}
          onChange={(e) => {
            setOrgId(e.target.value);
            setProblem(undefined);
          }}
        />
      </div>
      <div className="inline-form-actions">
        <Button type="submit" busy={add.isPending} disabled={available.length === 0}>
          Add to organization
        </Button>
      </div>
      {add.isError && <ErrorCallout title="Could not add them" error={add.error} />}
    </form>
  );
}
