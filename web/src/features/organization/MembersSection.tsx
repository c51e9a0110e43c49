/**
 * Who belongs to the organization, since when, and removing someone (after a confirmation that says what
 * they lose). You cannot remove yourself; you can leave, which is a separate, clearly worded action and is
 * refused to the last member so the organization is never left without anyone.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Badge, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { organizationKeys, organizationPaths, useOrganizationDetail, type Member } from './api.ts';

export function MembersSection({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const detail = useOrganizationDetail(organizationId);
  const { me } = useSession();
  const [removing, setRemoving] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();

  const remove = useMutation({
    mutationFn: (m: Member) => api.delete(organizationPaths.member(organizationId, m.id), { allow_missing: true }),
    onSuccess: async (_, m) => {
      setRemoving(null);
      toast(`${m.email} removed from ${organizationName}`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: organizationKeys.all(organizationId) }), queryClient.invalidateQueries({ queryKey: ['organizations'] })]);
    },
  });
  const leave = useMutation({
    mutationFn: () => api.post(organizationPaths.leave(organizationId)),
    onSuccess: async () => {
      setLeaving(false);
      toast(`You left ${organizationName}`);
      // The organization provider falls back to another of your organizations (or asks you to create one).
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
      navigate('/');
    },
  });

  const members = detail.data?.users ?? [];
  const alone = members.length === 1;
  return (
    <Section title={detail.data ? `Members (${members.length})` : 'Members'} id="members">
      <p className="muted section-intro">
        Every member can do everything in this organization: manage datasources, API keys, webhooks and experiments, and invite or remove members.
      </p>
      {detail.isPending && <Loading label="Loading members…" />}
      {detail.isError && <ErrorCallout title="Could not load the members" error={detail.error} onRetry={() => void detail.refetch()} />}
      {detail.isSuccess && (
        <div className="table-wrap">
          <table className="table members-table">
            <caption className="visually-hidden">Members of {organizationName}</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const isMe = m.id === me?.id;
                return (
                  <tr key={m.id}>
                    <th scope="row">
                      <span className="member-email">{m.email}</span>
                      {isMe && <Badge tone="info">You</Badge>}
                      {m.is_privileged && (
                        <Badge tone="neutral" title="Can manage every user and organization of this installation">
                          Instance admin
                        </Badge>
                      )}
                    </th>
                    <td>
                      <span title={formatDateTime(m.joined_at)}>{formatDate(m.joined_at)}</span>
                    </td>
                    <td className="actions">
                      {!isMe && (
                        <Button size="small" variant="danger" aria-label={`Remove ${m.email}`} onClick={() => setRemoving(m)}>
                          Remove
                        </Button>
                      )}
                      {isMe && !alone && (
                        <Button size="small" variant="danger" onClick={() => setLeaving(true)}>
                          Leave organization
                        </Button>
                      )}
                      {isMe && alone && <span className="small muted">You are the only member; invite someone before you can leave.</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.email ?? ''} from ${organizationName}?`}
        confirmLabel="Remove member"
        busy={remove.isPending}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>They lose access to this organization’s datasources, experiments, webhooks and API keys at once. Their account stays, and so does everything they made here; you can invite them again later.</p>
        {remove.isError && <ErrorCallout title="Could not remove the member" error={remove.error} />}
      </ConfirmDialog>
      <ConfirmDialog
        open={leaving}
        title={`Leave ${organizationName}?`}
        confirmLabel="Leave organization"
        busy={leave.isPending}
        onClose={() => {
          setLeaving(false);
          leave.reset();
        }}
        onConfirm={() => leave.mutate()}
      >
        <p>You lose access to its datasources, experiments and webhooks at once. Only one of its members can add you back.</p>
        {me?.is_privileged && <p>As an instance administrator you will still see it under Users › Organizations.</p>}
        {leave.isError && <ErrorCallout title="Could not leave the organization" error={leave.error} />}
      </ConfirmDialog>
    </Section>
  );
}
