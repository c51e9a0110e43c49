/**
 * One event in full (a dialog, so it is reachable with the keyboard, unlike the reference's hover card):
 * id, time, outcome, where it points, the delivery's facts for `webhook.sent`, and its JSON with every
 * credential masked. `webhook.sent` events can be resent from here or from their row.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { JsonBlock } from '../../ui/CodeBlock.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useToast } from '../../ui/Toast.tsx';
import { attemptFailure, attemptOutcome } from '../webhooks/words.ts';
import { eventKeys, eventLinks, eventsPath, type EventSummary, type SentDetails } from './api.ts';
import { maskSecrets } from './mask-secrets.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** Stays mounted while closed, so closing returns focus to the button that opened it. */
export function EventDetailsDialog({ event, onClose, onResend }: { event: EventSummary | null; onClose: () => void; onResend: () => void }) {
  const sent = event?.type === 'webhook.sent' ? (event.details as SentDetails) : null;
  return (
    <Dialog
      open={event !== null}
      wide
      title="Event details"
      onClose={onClose}
      footer={
        <>
          {sent && <Button onClick={onResend}>Resend…</Button>}
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {event && <EventDetails event={event} sent={sent} />}
    </Dialog>
  );
}

function EventDetails({ event, sent }: { event: EventSummary; sent: SentDetails | null }) {
  const links = eventLinks(event);
  return (
    <>
      <dl className="facts">
        <dt>Event ID</dt>
        <dd>
          <CopyValue value={event.id} what="event ID" />
        </dd>
        <dt>Type</dt>
        <dd>
          <code>{event.type}</code>
        </dd>
        <dt>Time</dt>
        <dd>
          <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time> <span className="muted small">({event.created_at})</span>
        </dd>
        <dt>Summary</dt>
        <dd>
          <StatusBadge status={event.status_icon} /> {event.summary}
        </dd>
        {sent && <SentFacts details={sent} />}
        {(links.experiment || links.webhook) && (
          <>
            <dt>About</dt>
            <dd className="ev-links">
              {links.experiment && <Link to={links.experiment}>Open the experiment</Link>}
              {links.webhook && <Link to={links.webhook}>Open the webhook</Link>}
            </dd>
          </>
        )}
      </dl>
      <JsonBlock value={maskSecrets(event.details)} label="event JSON" title="Details (credentials masked)" />
    </>
  );
}

function SentFacts({ details }: { details: SentDetails }) {
  const attempt = { success: details.success === true, status_code: details.status_code ?? null, error_class: details.error_class ?? null };
  const failure = attemptFailure(attempt);
  return (
    <>
      <dt>Delivery</dt>
      <dd>
        {attempt.success ? 'Delivered' : 'Failed'} · {attemptOutcome(attempt)}
        {details.latency_ms !== undefined && <> · {details.latency_ms} ms</>}
        {details.attempt !== undefined && <> · attempt {details.attempt}</>}
        {failure && <div className="small">{failure}</div>}
      </dd>
      {details.request?.url && (
        <>
          <dt>URL</dt>
          <dd>
            <code>{details.request.url}</code>
          </dd>
        </>
      )}
      {details.message_id && (
        <>
          <dt>Message ID</dt>
          <dd>
            <CopyValue value={details.message_id} what="message ID" />
          </dd>
        </>
      )}
    </>
  );
}

/** Resending a `webhook.sent` event replays its message (same webhook-id) to the webhook's current URL. */
export function ResendDialog({ event, onClose }: { event: EventSummary | null; onClose: () => void }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  const resend = useMutation({
    mutationFn: (e: EventSummary) => api.post(`${eventsPath(current.id)}/${encodeURIComponent(e.id)}/resend`),
    onSuccess: async () => {
      toast('Resent: the new attempt appears here as a webhook.sent event in a moment');
      onClose();
      await queryClient.invalidateQueries({ queryKey: eventKeys.all(current.id) });
    },
  });
  const details = (event?.details ?? {}) as SentDetails;
  return (
    <ConfirmDialog
      open={event !== null}
      title="Resend this delivery?"
      confirmLabel="Resend"
      danger={false}
      busy={resend.isPending}
      onClose={() => {
        resend.reset();
        onClose();
      }}
      onConfirm={() => event && resend.mutate(event)}
    >
      <p>
        Equipoise sends this message again to the webhook’s <strong>current</strong> URL, signed with its current secret
        {details.message_id ? (
          <>
            , with the same <code>webhook-id</code> (<code>{details.message_id}</code>)
          </>
        ) : null}
        .
      </p>
      <p>
        <strong>The receiver may process it twice</strong> if it does not deduplicate on <code>webhook-id</code>. Resend only when you know the original did
        not get through, or the receiver ignores duplicates.
      </p>
      {resend.isError && <ErrorCallout title="Could not resend" error={resend.error} />}
    </ConfirmDialog>
  );
}
