/**
 * The endpoint's delivery log: every attempt, newest first, paged by the last id seen; a message's details
 * (body and all its attempts here); replay of one message and of every failed delivery since a time. Both
 * replays keep the message's `webhook-id`, which the confirmations explain, since receivers may see it twice.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { JsonBlock } from '../../ui/CodeBlock.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { SelectField, TextField } from '../../ui/Field.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { messagePath, webhookKeys, webhookPath, type Attempt, type Webhook, type WebhookMessage } from './api.ts';
import { AttemptResult } from './TestEventSection.tsx';
import { attemptFailure, attemptOutcome } from './words.ts';

const PAGE_SIZE = 20;
const REFRESH_MS = 15_000;

export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { current } = useOrganization();
  const pages = usePageTokens();
  const [details, setDetails] = useState<Attempt | null>(null);
  const [replay, setReplay] = useState<Attempt | null>(null);
  const [replayingFailed, setReplayingFailed] = useState(false);
  const log = useQuery({
    queryKey: [...webhookKeys.attempts(current.id, webhook.id), pages.token ?? ''],
    queryFn: () => api.get<{ items: Attempt[]; has_more: boolean }>(`${webhookPath(current.id, webhook.id)}/attempts`, { limit: PAGE_SIZE, before: pages.token }),
    placeholderData: keepPreviousData,
    // Older pages do not change; the newest one is kept fresh while the tab is visible.
    refetchInterval: pages.page === 1 ? REFRESH_MS : false,
  });
  const items = log.data?.items ?? [];
  const last = items.at(-1);

  return (
    <Section
      title="Delivery log"
      id="webhook-log"
      actions={
        <>
          <Button size="small" busy={log.isFetching && !log.isPending} onClick={() => void log.refetch()}>
            Refresh log
          </Button>
          <Button size="small" onClick={() => setReplayingFailed(true)}>
            Replay failed…
          </Button>
        </>
      }
    >
      {log.isPending && <Loading label="Loading the delivery log…" />}
      {log.isError && <ErrorCallout title="Could not load the delivery log" error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && items.length === 0 && pages.page === 1 && (
        <EmptyState title="No deliveries yet">Attempts appear here as soon as an event is sent to this webhook. Send a test event to see one.</EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table attempts-table">
            <caption className="visually-hidden">Delivery attempts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event type</th>
                <th scope="col">Result</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <time dateTime={a.attempted_at}>{formatDateTime(a.attempted_at)}</time>
                    {a.attempt > 1 && <div className="small muted">attempt {a.attempt}</div>}
                  </td>
                  <td>
                    <code>{a.event_type ?? '—'}</code>
                  </td>
                  <td>
                    <Badge tone={a.success ? 'success' : 'danger'}>{a.success ? 'Delivered' : 'Failed'}</Badge> <span className="small">{attemptOutcome(a)}</span>
                  </td>
                  <td className="num">{a.latency_ms} ms</td>
                  <td className="small error-cell">{attemptFailure(a) ?? ''}</td>
                  <td className="wh-row-actions">
                    <Button size="small" variant="ghost" onClick={() => setDetails(a)} aria-label={`Details of the ${a.event_type ?? ''} attempt at ${formatDateTime(a.attempted_at)}`}>
                      Details
                    </Button>
                    <Button size="small" onClick={() => setReplay(a)} aria-label={`Replay the ${a.event_type ?? ''} message sent at ${formatDateTime(a.attempted_at)}`}>
                      Replay
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data && items.length === 0 && pages.page > 1 && <p className="muted">No older attempts.</p>}
      <Pager label="Delivery log" page={pages.page} nextToken={log.data?.has_more && last ? last.id : undefined} loading={log.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} />

      <MessageDialog attempt={details} webhook={webhook} onClose={() => setDetails(null)} onReplay={() => setReplay(details)} />
      <ReplayDialog attempt={replay} webhook={webhook} onClose={() => setReplay(null)} />
      <ReplayFailedDialog open={replayingFailed} webhook={webhook} onClose={() => setReplayingFailed(false)} />
    </Section>
  );
}

/** A message's body and every attempt to this endpoint, for the row the user picked (mounted while closed, so focus returns to the row). */
function MessageDialog({ attempt, webhook, onClose, onReplay }: { attempt: Attempt | null; webhook: Webhook; onClose: () => void; onReplay: () => void }) {
  return (
    <Dialog
      open={attempt !== null}
      wide
      title="Delivery details"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onReplay}>Replay message…</Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {attempt && <MessageDetails attempt={attempt} webhook={webhook} />}
    </Dialog>
  );
}

function MessageDetails({ attempt, webhook }: { attempt: Attempt; webhook: Webhook }) {
  const { current } = useOrganization();
  const message = useQuery({
    queryKey: webhookKeys.message(current.id, attempt.message_id),
    queryFn: () => api.get<WebhookMessage>(messagePath(current.id, attempt.message_id)),
  });
  const delivery = message.data?.deliveries.find((d) => d.webhook_id === webhook.id);
  return (
    <>
      <AttemptResult attempt={attempt} nextAttemptAt={null} />
      <dl className="facts">
        <dt>Message ID</dt>
        <dd>
          <CopyValue value={attempt.message_id} what="message ID" />
        </dd>
        <dt>Event type</dt>
        <dd>
          <code>{attempt.event_type ?? '—'}</code>
        </dd>
        {delivery && (
          <>
            <dt>Delivery</dt>
            <dd>
              {delivery.status === 'succeeded' ? 'Delivered' : delivery.status === 'failed' ? 'Failed, no more retries' : 'Pending'}
              {delivery.next_attempt_at && <span className="muted"> · next attempt {formatDateTime(delivery.next_attempt_at)}</span>}
            </dd>
          </>
        )}
      </dl>
      {message.isPending && <Loading label="Loading the message…" />}
      {message.isError && <ErrorCallout title="Could not load the message" error={message.error} onRetry={() => void message.refetch()} />}
      {message.data && <JsonBlock value={message.data.body} label="message body" title="Body (exactly what was signed and sent)" />}
      {delivery && delivery.attempts.length > 1 && (
        <div>
          <h3>All attempts of this message</h3>
          <ol className="attempt-history">
            {delivery.attempts.map((a) => (
              <li key={a.id}>
                <time dateTime={a.attempted_at}>{formatDateTime(a.attempted_at)}</time> · {a.success ? 'Delivered' : 'Failed'} · {attemptOutcome(a)} · {a.latency_ms} ms
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}

function ReplayDialog({ attempt, webhook, onClose }: { attempt: Attempt | null; webhook: Webhook; onClose: () => void }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  const replay = useMutation({
    mutationFn: (a: Attempt) => api.post(`${webhookPath(current.id, webhook.id)}/messages/${encodeURIComponent(a.message_id)}/replay`),
    onSuccess: async () => {
      toast('Message queued again; its attempt appears in the log in a moment');
      onClose();
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) });
    },
  });
  return (
    <ConfirmDialog
      open={attempt !== null}
      title="Replay this message?"
      confirmLabel="Replay message"
      danger={false}
      busy={replay.isPending}
      onClose={() => {
        replay.reset();
        onClose();
      }}
      onConfirm={() => attempt && replay.mutate(attempt)}
    >
      <p>
        Equipoise sends the {attempt?.event_type ? <code>{attempt.event_type}</code> : null} message again to this webhook’s current URL, with the same{' '}
        <code>webhook-id</code> (<code>{attempt?.message_id}</code>) and newly signed.
      </p>
      <p>Your receiver may get it twice: receivers that deduplicate on <code>webhook-id</code> will ignore it if they processed it already.</p>
      {!webhook.enabled && <p className="muted">This webhook is disabled: the replay fails without being sent until you enable it.</p>}
      {replay.isError && <ErrorCallout title="Could not replay the message" error={replay.error} />}
    </ConfirmDialog>
  );
}

const SINCE_CHOICES = [
  { value: '24h', label: 'the last 24 hours' },
  { value: '7d', label: 'the last 7 days' },
  { value: '30d', label: 'the last 30 days' },
  { value: 'custom', label: 'a time I choose' },
];

/** The start of a replay-failed window as the API wants it (ISO 8601), or null when the custom time is unusable. */
export function replaySince(choice: string, custom: string, now = Date.now()): string | null {
  const hours = choice === '24h' ? 24 : choice === '7d' ? 24 * 7 : choice === '30d' ? 24 * 30 : null;
  if (hours !== null) return new Date(now - hours * 3_600_000).toISOString();
  if (!custom) return null;
  const d = new Date(custom); // datetime-local: the browser's zone
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function ReplayFailedDialog({ open, webhook, onClose }: { open: boolean; webhook: Webhook; onClose: () => void }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [choice, setChoice] = useState('24h');
  const [custom, setCustom] = useState('');
  const [invalid, setInvalid] = useState(false);
  const replay = useMutation({
    mutationFn: (since: string) => api.post<{ replayed: number }>(`${webhookPath(current.id, webhook.id)}/replay-failed`, { since }),
    onSuccess: async ({ replayed }) => {
      toast(replayed === 0 ? 'No failed deliveries in that period' : `${replayed} failed ${replayed === 1 ? 'delivery' : 'deliveries'} queued again`);
      onClose();
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) });
    },
  });
  const sinceError = invalid ? 'Choose a date and time.' : replay.error instanceof ApiError ? replay.error.fieldMessage('since') : undefined;
  return (
    <ConfirmDialog
      open={open}
      title="Replay failed deliveries?"
      confirmLabel="Replay failed deliveries"
      danger={false}
      busy={replay.isPending}
      onClose={() => {
        replay.reset();
        setInvalid(false);
        onClose();
      }}
      onConfirm={() => {
        const since = replaySince(choice, custom);
        setInvalid(since === null);
        if (since) replay.mutate(since);
      }}
    >
      <p>
        Sends again every message whose delivery to this webhook failed for good (retries used up, or the webhook was disabled), oldest first, up to 1,000 at
        a time. Each keeps its <code>webhook-id</code>, so receivers that deduplicate ignore any they already processed.
      </p>
      {!webhook.enabled && <p className="muted">This webhook is disabled: enable it first, or the replays fail again without being sent.</p>}
      <SelectField label="Failed deliveries from" options={SINCE_CHOICES} value={choice} onChange={(e) => setChoice(e.target.value)} />
      {choice === 'custom' && <TextField label="Since" type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} error={sinceError} />}
      {choice !== 'custom' && sinceError && <div className="field-error" role="alert">{sinceError}</div>}
      {replay.isError && !sinceError && <ErrorCallout title="Could not replay the failed deliveries" error={replay.error} />}
    </ConfirmDialog>
  );
}
