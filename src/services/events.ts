/** The organization's "Recent Events": newest first, cursor-paginated, and resend of webhook attempts. */
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../domain/page-token.ts';
import { NotFoundError } from '../domain/errors.ts';
import { REFERENCE_MAX_ATTEMPTS } from '../domain/retry-policy.ts';
import { listEvents as listEventRows } from '../store/repositories/events.ts';
import type { EventRow } from '../store/schema.ts';
import { enqueueTask } from '../store/repositories/tasks.ts';
import { requireOrganization } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { WEBHOOK_TASK } from './webhook-outbox.ts';
import { replayMessage } from './webhook-operations.ts';
import { redactSecrets } from './webhook-redaction.ts';

export { WEBHOOK_TASK };

export function summarizeEvent(e: EventRow) {
  const data = e.data as Record<string, unknown>;
  // Masked on the way out as well as when written: older rows and receivers' echoes must not leak credentials.
  const base = { id: e.id, created_at: e.created_at.toISOString(), type: e.type, details: redactSecrets(data) };
  switch (e.type) {
    case 'experiment.created': {
      const ds = data.datasource_id as string | undefined;
      return {
        ...base,
        summary: `Created experiment ${String(data.experiment_id)}`,
        link: ds ? `/datasources/${ds}/experiments/${String(data.experiment_id)}` : null,
        status_icon: 'info' as const,
      };
    }
    case 'webhook.sent': {
      const request = (data.request ?? {}) as { url?: string; method?: string };
      const ok = data.success === true;
      return {
        ...base,
        summary: `Sent ${request.method ?? 'POST'} to ${request.url ?? '?'} (${ok ? 'success' : 'failed'})`,
        link: null,
        status_icon: ok ? ('success' as const) : ('failure' as const),
      };
    }
    case 'webhook.endpoint_disabled':
      return {
        ...base,
        summary: `Disabled webhook ${String(data.webhook_id)} (${data.reason === 'gone' ? 'it answered 410 Gone' : 'failing for 5 days'})`,
        link: null,
        status_icon: 'failure' as const,
      };
    case 'webhook.test':
      return { ...base, summary: `Test event for webhook ${String(data.webhook_id)}`, link: null, status_icon: 'info' as const };
    case 'experiment.warning': {
      // Raised by the analysis (issue 11): say which problem, not just "warning".
      const ds = data.datasource_id as string | undefined;
      const what = data.warning === 'sample_ratio_mismatch' ? 'sample ratio mismatch' : String(data.warning ?? 'warning');
      return {
        ...base,
        summary: `Analysis warning (${what}): experiment ${String(data.experiment_id)}`,
        link: ds ? `/datasources/${ds}/experiments/${String(data.experiment_id)}` : null,
        status_icon: 'failure' as const,
      };
    }
    default: {
      // The other experiment events (abandoned, updated, assignment_stopped, ended, warning).
      if (e.type.startsWith('experiment.') && typeof data.experiment_id === 'string') {
        const ds = data.datasource_id as string | undefined;
        return {
          ...base,
          summary: `${e.type.slice('experiment.'.length).replace(/_/g, ' ')}: experiment ${data.experiment_id}`,
          link: ds ? `/datasources/${ds}/experiments/${data.experiment_id}` : null,
          status_icon: e.type === 'experiment.warning' ? ('failure' as const) : ('info' as const),
        };
      }
      return { ...base, summary: e.type, link: null, status_icon: 'info' as const };
    }
  }
}

export async function listOrganizationEvents(
  ctx: ServiceContext<UserActor>,
  organizationId: string,
  q: { pageSize: number; pageToken?: string | undefined; type?: string | undefined },
) {
  await requireOrganization(ctx, organizationId);
  const now = ctx.clock.now();
  let afterSeq: string | undefined;
  if (q.pageToken) {
    const [seq] = decodePageToken(q.pageToken, 1, now);
    if (!/^\d{1,18}$/.test(String(seq))) throw new InvalidPageTokenError();
    afterSeq = String(seq);
  }
  const page = await listEventRows(ctx.db, organizationId, { pageSize: q.pageSize, afterSeq, type: q.type });
  const last = page.rows.at(-1);
  return {
    items: page.rows.map(summarizeEvent),
    next_page_token: page.hasMore && last ? encodePageToken([last.seq], now) : '',
  };
}

/**
 * Sends a recorded webhook attempt again, to the webhook's current URL with its current token and keys.
 * Reference-era attempts (no message) are queued as they were recorded.
 */
export async function resendEvent(ctx: ServiceContext<UserActor>, organizationId: string, eventId: string) {
  await requireOrganization(ctx, organizationId);
  const event = await ctx.db
    .selectFrom('events')
    .selectAll()
    .where('id', '=', eventId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!event || event.type !== 'webhook.sent') throw new NotFoundError('Event not found.');
  const data = event.data as { webhook_id?: string; message_id?: string; delivery_id?: string | null; request?: { url?: string; body?: Record<string, unknown> } };
  if (!data.webhook_id) throw new NotFoundError('Event not found.');
  // Attempts of outbox messages are resent as the same message (same webhook-id), through the delivery log.
  if (data.delivery_id && data.message_id) {
    await replayMessage(ctx, organizationId, data.webhook_id, data.message_id);
    return;
  }
  if (!data.request?.body) throw new NotFoundError('Event not found.');
  await enqueueTask(ctx.db, {
    taskType: WEBHOOK_TASK,
    payload: { organization_id: organizationId, webhook_id: data.webhook_id, url: data.request.url, body: data.request.body },
    maxAttempts: REFERENCE_MAX_ATTEMPTS,
    runAt: ctx.clock.now(),
  });
}
