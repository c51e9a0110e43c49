/**
 * The two consequential changes to a user, each behind a confirmation that says what happens: granting or
 * revoking instance administration, and deleting the account (typed confirmation). The server keeps one
 * administrator at least and refuses to delete yourself; its reasons show inside the dialog.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { adminKeys, adminPaths } from './api.ts';

export interface UserRef {
  readonly id: string;
  readonly email: string;
  readonly is_privileged: boolean;
  readonly organizationCount: number;
}

export function PrivilegeDialog({ user, onClose }: { user: UserRef | null; onClose: () => void }) {
  const { me } = useSession();
  const queryClient = useQueryClient();
  const toast = useToast();
  const grant = !user?.is_privileged;
  const isMe = user?.id === me?.id;
  const change = useMutation({
    mutationFn: (u: UserRef) => api.patch(adminPaths.user(u.id), { is_privileged: !u.is_privileged }),
    onSuccess: async (_, u) => {
      toast(u.is_privileged ? `${u.email} is no longer an instance administrator` : `${u.email} is now an instance administrator`);
      close();
      await queryClient.invalidateQueries({ queryKey: adminKeys.all });
      // Revoking your own privilege changes what the navigation and this screen may show.
      if (u.id === me?.id) await queryClient.invalidateQueries({ queryKey: ['caller-identity'] });
    },
  });
  function close() {
    change.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      open={user !== null}
      title={grant ? `Make ${user?.email ?? ''} an instance administrator?` : `Revoke instance administration from ${user?.email ?? ''}?`}
      confirmLabel={grant ? 'Make administrator' : 'Revoke administrator'}
      danger={!grant}
      busy={change.isPending}
      onClose={close}
      onConfirm={() => user && change.mutate(user)}
    >
      {grant ? (
        <p>
          Instance administrators manage every user of this installation, see every organization and can add anyone, themselves included, to any organization. Grant this
          only to the people who run Equipoise.
        </p>
      ) : (
        <p>They keep their organization memberships but can no longer manage users or see organizations they are not in. At least one administrator must remain.</p>
      )}
      {!grant && isMe && (
        <p>
          <strong>This is you:</strong> you lose access to instance administration as soon as you confirm.
        </p>
      )}
      {change.isError && <ErrorCallout title="Could not change the privilege" error={change.error} />}
    </ConfirmDialog>
  );
}

export function DeleteUserDialog({ user, onClose, onDeleted }: { user: UserRef | null; onClose: () => void; onDeleted?: () => void | Promise<void> }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (u: UserRef) => api.delete(adminPaths.user(u.id)),
    onSuccess: async (_, u) => {
      toast(`${u.email} deleted`);
      close();
      // Awaited: a page showing the deleted user must be gone before the refetch, or it asks for it again (a 404).
      await onDeleted?.();
      await Promise.all([queryClient.invalidateQueries({ queryKey: adminKeys.all }), queryClient.invalidateQueries({ queryKey: ['organizations'] })]);
    },
  });
  function close() {
    remove.reset();
    onClose();
  }
  const n = user?.organizationCount ?? 0;
  return (
    <ConfirmDialog
      open={user !== null}
      title={`Delete ${user?.email ?? ''}?`}
      confirmLabel="Delete user"
      confirmWord="delete"
      busy={remove.isPending}
      onClose={close}
      onConfirm={() => user && remove.mutate(user)}
    >
      <p>
        This deletes the account and its {n === 1 ? 'membership in 1 organization' : `memberships in ${n} organizations`}, and signs it out everywhere. What they made there —
        datasources, experiments, webhooks, API keys — stays with the organizations, and the audit log keeps their entries.
      </p>
      <p>This cannot be undone; the address can be added again later as a new user.</p>
      {remove.isError && <ErrorCallout title="Could not delete the user" error={remove.error} />}
    </ConfirmDialog>
  );
}
