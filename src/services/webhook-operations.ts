/**
 * Operating webhooks: the delivery log per endpoint and per message, replay of one message or of every
 * failed delivery since a time, and test events. Replays keep the message's `webhook-id`, so a receiver
 * that already processed it can recognise the duplicate.
 */
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { WebhookAttempt } from '../store/schema.ts';
import { requireOrganization } from './access.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { emitOrganizationEvent, queueDelivery, requeueDelivery } from './webhook-outbox.ts';
import { requireWebhook } from './webhooks.ts';

/** At most this many deliveries are replayed by one "replay failed" call; call again for the rest. */
export const MAX_REPLAY_BATCH = 1000;

function attemptView(a: WebhookAttempt, eventType: string | null) {
  return {
    id: String(a.id),
    delivery_id: a.delivery_id,
    message_id: a.message_id,
    webhook_id: a.webhook_id,
    event_type: eventType,
    attempt: a.attempt,
    attempted_at: a.attempted_at.toISOString(),
    success: a.success,
    status_code: a.status_code,
    latency_ms: a.latency_ms,
    error_class: a.error_class,
    response_body: a.response_body,
  };
}

/**
 * An endpoint's attempts, newest first, with their message's event type; `before` is the `id` of the last
 * attempt of the previous page, and `has_more` says whether there is one.
 */
export async function listEndpointAttempts(
  ctx: ServiceContext<UserActor>,
  organizationId: string,
  webhookId: string,
  q: { limit: number; before?: string | undefined },
) {
  await requireWebhook(ctx, organizationId, webhookId);
  let query = ctx.db
    .selectFrom('webhook_attempts as a')
    .leftJoin('webhook_messages as m', 'm.id', 'a.message_id')
    .selectAll('a')
    .select('m.event_type')
    .where('a.webhook_id', '=', webhookId);
  if (q.before !== undefined && /^\d{1,18}$/.test(q.before)) query = query.where('a.id', '<', q.before);
  const rows = await query.orderBy('a.id', 'desc').limit(q.limit + 1).execute();
  return { items: rows.slice(0, q.limit).map((r) => attemptView(r, r.event_type)), has_more: rows.length > q.limit };
}

/** A message with its body and, per endpoint, the delivery's status and every attempt. */
export async function getMessage(ctx: ServiceContext<UserActor>, organizationId: string, messageId: string) {
  await requireOrganization(ctx, organizationId);
  const message = await ctx.db
    .selectFrom('webhook_messages')
    .selectAll()
    .where('id', '=', messageId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!message) throw new NotFoundError('Message not found.');
  const deliveries = await ctx.db
    .selectFrom('webhook_deliveries as d')
    .leftJoin('tasks as t', 't.id', 'd.task_id')
    .selectAll('d')
    .select('t.run_at')
    .where('d.message_id', '=', messageId)
    .orderBy('d.created_at')
    .execute();
  const attempts = await ctx.db.selectFrom('webhook_attempts').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
  return {
    id: message.id,
    event_type: message.event_type,
    event_id: message.event_id,
    created_at: message.created_at.toISOString(),
    body: JSON.parse(message.body) as Record<string, unknown>,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      webhook_id: d.webhook_id,
      status: d.status,
      last_error: d.last_error,
      next_attempt_at: d.status === 'pending' && d.run_at ? d.run_at.toISOString() : null,
      attempts: attempts.filter((a) => a.delivery_id === d.id).map((a) => attemptView(a, message.event_type)),
    })),
  };
}

/** Sends one message to one endpoint again, whether it was delivered, failed, or never sent there. */
export async function replayMessage(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string, messageId: string) {
  const webhook = await requireWebhook(ctx, organizationId, webhookId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const message = await trx.selectFrom('webhook_messages').select('id').where('id', '=', messageId).where('organization_id', '=', organizationId).executeTakeFirst();
    if (!message) throw new NotFoundError('Message not found.');
    const existing = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'status'])
      .where('message_id', '=', messageId)
      .where('webhook_id', '=', webhookId)
      .forUpdate()
      .executeTakeFirst();
    if (existing?.status === 'pending') throw new ConflictError('This message is still being delivered to this webhook.');
    let deliveryId: string;
    if (existing) {
      await requeueDelivery(trx, { organizationId, webhookId, messageId, deliveryId: existing.id, now });
      deliveryId = existing.id;
    } else {
      deliveryId = await queueDelivery(trx, { organizationId, webhookId, messageId, now });
    }
    await recordAudit(trx, ctx, { organizationId, action: 'webhook.message_replayed', targetType: 'webhook', targetId: webhook.id, details: { message_id: messageId } });
    return { delivery_id: deliveryId, message_id: messageId };
  });
}

/** Queues again every failed delivery to the endpoint created at or after `since` (oldest first). */
export async function replayFailed(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string, since: Date) {
  const webhook = await requireWebhook(ctx, organizationId, webhookId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const failed = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'message_id'])
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'failed')
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .limit(MAX_REPLAY_BATCH)
      .forUpdate()
      .execute();
    for (const d of failed) await requeueDelivery(trx, { organizationId, webhookId, messageId: d.message_id, deliveryId: d.id, now });
    await recordAudit(trx, ctx, { organizationId, action: 'webhook.failed_replayed', targetType: 'webhook', targetId: webhook.id, details: { since: since.toISOString(), count: failed.length } });
    return { replayed: failed.length };
  });
}

/** Queues a `webhook.test` message to the endpoint (even a disabled one is tried, to check it before enabling). */
export async function sendTestEvent(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  const webhook = await requireWebhook(ctx, organizationId, webhookId);
  return ctx.db.transaction().execute(async (trx) => {
    const r = await emitOrganizationEvent(trx, { publicUrl: ctx.publicUrl, now: ctx.clock.now() }, {
      type: 'webhook.test',
      organizationId,
      data: { webhook_id: webhook.id, message: 'This is a test event from Equipoise.' },
      onlyWebhookId: webhook.id,
    });
    return { message_id: r.messageId, delivery_id: r.deliveryIds[0] ?? null };
  });
}
