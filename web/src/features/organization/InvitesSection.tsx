/**
 * Inviting people by email and the invites still open. The server mails the link from its task worker (or,
 * with no SMTP server configured, prints the mail to its console) and never returns the link itself: only a
 * hash of its secret is stored. So after inviting we say where the link went, and the list follows each
 * invite from queued to sent to accepted.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { organizationKeys, organizationPaths, useInvites, type Invite } from './api.ts';
import { inviteStatus } from './invite-words.ts';
import { emailProblem } from './validation.ts';

export function InvitesSection({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const invites = useInvites(organizationId);
  const [withdrawing, setWithdrawing] = useState<Invite | null>(null);
  /** The address just invited, for the note on where its link went (cleared if that invite is withdrawn). */
  const [invited, setInvited] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const withdraw = useMutation({
    mutationFn: (i: Invite) => api.delete(organizationPaths.invite(organizationId, i.id)),
    onSuccess: async (_, i) => {
      setWithdrawing(null);
      if (invited === i.email) setInvited(null);
      toast(`Invite for ${i.email} withdrawn`);
      await queryClient.invalidateQueries({ queryKey: organizationKeys.invites(organizationId) });
    },
  });

  const open = invites.data?.items.filter((i) => i.status !== 'accepted') ?? [];
  const accepted = invites.data?.items.filter((i) => i.status === 'accepted') ?? [];
  return (
    <Section title="Invites" id="invites">
      <InviteForm organizationId={organizationId} organizationName={organizationName} invited={invited} onInvited={setInvited} />
      <h3 className="subsection-title">Open invites</h3>
      {invites.isPending && <Loading label="Loading invites…" />}
      {invites.isError && <ErrorCallout title="Could not load the invites" error={invites.error} onRetry={() => void invites.refetch()} />}
      {invites.isSuccess && open.length === 0 && <p className="muted">No open invites. {accepted.length > 0 && `${accepted.length} accepted ${accepted.length === 1 ? 'invite is' : 'invites are'} now members.`}</p>}
      {invites.isSuccess && open.length > 0 && (
        <div className="table-wrap">
          <table className="table invites-table">
            <caption className="visually-hidden">Open invites to {organizationName}</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Invited</th>
                <th scope="col">Link valid until</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((i) => {
                const s = inviteStatus(i.status);
                return (
                  <tr key={i.id} className={i.status === 'expired' ? 'invite-expired' : undefined}>
                    <th scope="row">{i.email}</th>
                    <td>
                      <Badge tone={s.tone} title={s.hint}>
                        {s.label}
                      </Badge>
                    </td>
                    <td>
                      <span title={formatDateTime(i.created_at)}>{formatRelative(i.created_at)}</span>
                    </td>
                    <td>{formatDateTime(i.expires_at)}</td>
                    <td className="actions">
                      <Button size="small" variant="danger" aria-label={`Withdraw invite for ${i.email}`} onClick={() => setWithdrawing(i)}>
                        {i.status === 'expired' ? 'Remove' : 'Withdraw'}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={withdrawing !== null}
        title={`Withdraw the invite for ${withdrawing?.email ?? ''}?`}
        confirmLabel="Withdraw invite"
        busy={withdraw.isPending}
        onClose={() => {
          setWithdrawing(null);
          withdraw.reset();
        }}
        onConfirm={() => withdrawing && withdraw.mutate(withdrawing)}
      >
        <p>Its link stops working at once, even if the mail has already arrived. You can invite the same address again later.</p>
        {withdraw.isError && <ErrorCallout title="Could not withdraw the invite" error={withdraw.error} />}
      </ConfirmDialog>
    </Section>
  );
}

function InviteForm({
  organizationId,
  organizationName,
  invited,
  onInvited: setInvited,
}: {
  organizationId: string;
  organizationName: string;
  invited: string | null;
  onInvited: (email: string | null) => void;
}) {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const input = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const invite = useMutation({
    mutationFn: (address: string) => api.post<{ id: string }>(organizationPaths.invites(organizationId), { email: address }),
    onSuccess: async (_, address) => {
      setInvited(address);
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: organizationKeys.all(organizationId) });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const local = emailProblem(email);
    setProblem(local);
    if (local) {
      input.current?.querySelector('input')?.focus();
      return;
    }
    setInvited(null);
    invite.mutate(email.trim());
  }
  const serverField = invite.error instanceof ApiError ? invite.error.fieldMessage('email') : undefined;
  return (
    <>
      <form className="inline-form" onSubmit={submit} noValidate aria-label={`Invite someone to ${organizationName}`}>
        <div ref={input} className="inline-form-grow">
          <TextField
            label="Email address"
            type="email"
            autoComplete="off"
            value={email}
            error={problem ?? serverField}
            hint="They get a link that makes them a member and lets them choose a password. It is valid for 7 days."
            onChange={(e) => {
              setEmail(e.target.value);
              if (problem) setProblem(undefined);
            }}
          />
        </div>
        <div className="inline-form-actions">
          <Button type="submit" variant="primary" busy={invite.isPending}>
            Send invite
          </Button>
        </div>
      </form>
      {invite.isError && !serverField && <ErrorCallout title="Could not send the invite" error={invite.error} />}
      {invited && (
        <Callout tone="success" role="status" title={`Invite for ${invited} recorded`}>
          <p>Equipoise is mailing them the link now; it appears below as Sent once the mail has gone out.</p>
          <p>
            <strong>No mail server?</strong> When this installation has no SMTP server configured (as with <code>npm start</code>), the mail is not sent but printed in the
            server’s console instead. Copy the link from the line starting “Mail to {invited}” there and pass it on yourself. For security the link is never shown here:
            the server keeps only a fingerprint of it.
          </p>
        </Callout>
      )}
    </>
  );
}
