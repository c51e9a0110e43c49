/**
 * Send a `webhook.test` message and show what the receiver answered: the server queues it, the worker sends
 * it within a moment, and this polls the message until its first attempt is logged (or says it is late).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Badge, Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Section } from '../../ui/Page.tsx';
import { messagePath, webhookKeys, webhookPath, type Attempt, type Webhook, type WebhookMessage } from './api.ts';
import { attemptFailure, attemptOutcome } from './words.ts';

/** How long to wait for the first attempt before saying the worker is late. */
const WAIT_FOR_ATTEMPT_MS = 30_000;
const POLL_MS = 750;

export function TestEventSection({ webhook }: { webhook: Webhook }) {
  const { current } = useOrganization();
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<{ messageId: string; at: number } | null>(null);
  const send = useMutation({
    mutationFn: () => api.post<{ message_id: string; delivery_id: string | null }>(`${webhookPath(current.id, webhook.id)}/test`),
    onSuccess: (r) => setSent({ messageId: r.message_id, at: Date.now() }),
  });
  return (
    <Section
      title="Send a test event"
      id="webhook-test"
      actions={
        <Button variant="primary" busy={send.isPending} onClick={() => send.mutate()}>
          Send test event
        </Button>
      }
    >
      <p className="muted small">
        Sends a <code>webhook.test</code> message to this URL now (even while the webhook is disabled) and shows what your receiver answered.
      </p>
      {send.isError && <ErrorCallout title="Could not send the test event" error={send.error} onRetry={() => send.mutate()} />}
      {sent && (
        <TestResult
          key={sent.messageId}
          messageId={sent.messageId}
          sentAt={sent.at}
          webhookId={webhook.id}
          onSettled={() => void queryClient.invalidateQueries({ queryKey: webhookKeys.all(current.id) })}
        />
      )}
    </Section>
  );
}

function TestResult({ messageId, sentAt, webhookId, onSettled }: { messageId: string; sentAt: number; webhookId: string; onSettled: () => void }) {
  const { current } = useOrganization();
  const [late, setLate] = useState(false);
  const message = useQuery({
    queryKey: webhookKeys.message(current.id, messageId),
    queryFn: () => api.get<WebhookMessage>(messagePath(current.id, messageId)),
    refetchInterval: (q) => (firstAttempt(q.state.data, webhookId) || late ? false : POLL_MS),
  });
  const attempt = firstAttempt(message.data, webhookId);
  const delivery = message.data?.deliveries.find((d) => d.webhook_id === webhookId);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), Math.max(0, sentAt + WAIT_FOR_ATTEMPT_MS - Date.now()));
    return () => clearTimeout(t);
  }, [sentAt]);
  // Once: the list's "last delivery" and the delivery log now have something new.
  const settled = useRef(false);
  useEffect(() => {
    if (attempt && !settled.current) {
      settled.current = true;
      onSettled();
    }
  }, [attempt, onSettled]);

  return (
    <div className="test-result" role="status" aria-live="polite">
      {!attempt && !late && !message.isError && <Loading label="Sent. Waiting for your receiver’s answer…" />}
      {!attempt && late && (
        <Callout tone="warning" title="No attempt recorded yet">
          The message is queued but the worker has not sent it within {WAIT_FOR_ATTEMPT_MS / 1000} seconds. Check that the task worker is running; the
          delivery log below shows the attempt when it happens.
        </Callout>
      )}
      {message.isError && <ErrorCallout title="Could not read the test result" error={message.error} onRetry={() => void message.refetch()} />}
      {attempt && <AttemptResult attempt={attempt} nextAttemptAt={delivery?.next_attempt_at ?? null} />}
      <p className="small muted">
        Message <CopyValue value={messageId} what="test message ID" /> (the <code>webhook-id</code> header)
      </p>
    </div>
  );
}

function firstAttempt(m: WebhookMessage | undefined, webhookId: string): Attempt | undefined {
  return m?.deliveries.find((d) => d.webhook_id === webhookId)?.attempts[0];
}

/** One attempt's outcome in full: badge, HTTP status, latency, the answer's start and the reason in words. */
export function AttemptResult({ attempt, nextAttemptAt }: { attempt: Attempt; nextAttemptAt: string | null }) {
  const failure = attemptFailure(attempt);
  return (
    <div className={`attempt-result ${attempt.success ? 'attempt-ok' : 'attempt-failed'}`}>
      <div className="attempt-result-head">
        <Badge tone={attempt.success ? 'success' : 'danger'}>{attempt.success ? 'Delivered' : 'Failed'}</Badge>
        <span>{attemptOutcome(attempt)}</span>
        <span className="muted">in {attempt.latency_ms} ms</span>
        <time className="muted small" dateTime={attempt.attempted_at}>
          {formatDateTime(attempt.attempted_at)}
        </time>
      </div>
      {failure && <p className="attempt-reason">{failure}</p>}
      {!attempt.success && nextAttemptAt && <p className="small">Equipoise tries again at {formatDateTime(nextAttemptAt)}.</p>}
      {attempt.response_body ? (
        <>
          <div className="small muted">What the receiver answered (the first 1,000 characters are kept)</div>
          <pre className="response-excerpt" tabIndex={0} aria-label="Response excerpt">
            {attempt.response_body}
          </pre>
        </>
      ) : (
        <div className="small muted">No response body.</div>
      )}
    </div>
  );
}
