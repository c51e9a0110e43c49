/**
 * The webhook outbox. An event is recorded (Recent Events), turned into one message with a stable
 * `webhook-id`, and queued as one delivery task per subscribed endpoint — all in the caller's transaction,
 * so either the change happened and its notifications are certain to go out, or neither happened.
 *
 * Features that change experiments call `emitExperimentEvent` inside their own transaction:
 *
 * @example
 *   await ctx.db.transaction().execute(async (trx) => {
 *     await trx.updateTable('experiments').set({ stopped_assignments_at: now }).where('id', '=', exp.id).execute();
 *     await emitExperimentEvent(trx, { publicUrl: ctx.publicUrl, now }, {
 *       type: 'experiment.assignment_stopped',
 *       experiment: exp,
 *       data: { reason: 'manual', stopped_at: now.toISOString() },
 *     });
 *   });
 */
import { sql, type Transaction } from 'kysely';
import type { EventBody, EventData, EventType, ExperimentEventType } from '../domain/event-catalogue.ts';
import { randomAlphanumeric } from '../domain/ids.ts';
import { WEBHOOK_MAX_ATTEMPTS } from '../domain/retry-policy.ts';
import { envelopePayload, experimentCreatedPayload, experimentUrl } from '../domain/webhook-payloads.ts';
import { insertEvent } from '../store/repositories/events.ts';
import { enqueueTask } from '../store/repositories/tasks.ts';
import type { DB } from '../store/schema.ts';

export const WEBHOOK_TASK = 'webhook.outbound';

/** What a delivery task carries: pointers only. Body, URL and secrets are read when the attempt is made. */
export interface WebhookDeliveryTaskPayload {
  readonly organization_id: string;
  readonly webhook_id: string;
  readonly message_id: string;
  readonly delivery_id: string;
}

export interface OutboxDeps {
  /** Base of `experiment_url`, without a trailing slash. */
  readonly publicUrl: string;
  /** The event's time: `timestamp` in envelopes, and when the first attempt is due. */
  readonly now: Date;
}

export interface ExperimentRef {
  readonly id: string;
  readonly organization_id: string;
  readonly datasource_id: string;
}

const REF_FIELDS = ['experiment_id', 'datasource_id', 'experiment_url'] as const;
type ExtraData<T extends ExperimentEventType> = Omit<EventData<T>, (typeof REF_FIELDS)[number]>;

export type ExperimentEventInput = {
  [T in ExperimentEventType | 'experiment.created']: T extends ExperimentEventType
    ? { readonly type: T; readonly experiment: ExperimentRef; readonly data: ExtraData<T> }
    : { readonly type: T; readonly experiment: ExperimentRef };
}[ExperimentEventType | 'experiment.created'];

export interface EmitResult {
  readonly eventId: string;
  readonly messageId: string;
  /** One per endpoint the message was queued for. */
  readonly deliveryIds: readonly string[];
}

/** Message ids are the receivers' idempotency key; `msg_` plus 24 characters as in the specification's examples. */
export const newMessageId = () => `msg_${randomAlphanumeric(24)}`;
const newDeliveryId = () => `whd_${randomAlphanumeric(20)}`;

/**
 * Records an experiment event and queues it for every endpoint that should receive it:
 * `experiment.created` goes to the webhooks linked to the experiment (the reference's rule) that still
 * subscribe to it; every other type goes to all of the organization's enabled endpoints subscribed to it.
 */
export async function emitExperimentEvent(trx: Transaction<DB>, deps: OutboxDeps, input: ExperimentEventInput): Promise<EmitResult> {
  const exp = input.experiment;
  const ref = { experiment_id: exp.id, datasource_id: exp.datasource_id, experiment_url: experimentUrl(deps.publicUrl, exp.id) };
  let body: EventBody<EventType>;
  let eventData: Record<string, unknown>;
  if (input.type === 'experiment.created') {
    body = experimentCreatedPayload({ organizationId: exp.organization_id, datasourceId: exp.datasource_id, experimentId: exp.id }, deps.publicUrl);
    // The reference's Recent Events shape for this type.
    eventData = { datasource_id: exp.datasource_id, experiment_id: exp.id };
  } else {
    const data = { ...input.data, ...ref } as EventData<typeof input.type>;
    body = envelopePayload(input.type, exp.organization_id, data as never, deps.now);
    eventData = { ...data };
  }
  const endpoints =
    input.type === 'experiment.created'
      ? await trx
          .selectFrom('webhooks as w')
          .innerJoin('experiment_webhooks as l', 'l.webhook_id', 'w.id')
          .select('w.id')
          .where('l.experiment_id', '=', exp.id)
          .where(subscribedTo(input.type))
          .where('w.direction', '=', 'outbound')
          .where('w.disabled_at', 'is', null)
          .orderBy('w.id')
          .execute()
      : await subscribedEndpoints(trx, exp.organization_id, input.type);
  return queueEvent(trx, deps, { organizationId: exp.organization_id, type: input.type, body, eventData, webhookIds: endpoints.map((e) => e.id) });
}

/**
 * Records an organization-level event (`webhook.test`, `webhook.endpoint_disabled`) and queues it: to
 * `onlyWebhookId` when given (a test goes to the endpoint asked for, enabled or not), otherwise to every
 * enabled endpoint subscribed to the type.
 */
export async function emitOrganizationEvent<T extends 'webhook.test' | 'webhook.endpoint_disabled'>(
  trx: Transaction<DB>,
  deps: OutboxDeps,
  input: { readonly type: T; readonly organizationId: string; readonly data: EventData<T>; readonly onlyWebhookId?: string },
): Promise<EmitResult> {
  const body = envelopePayload(input.type, input.organizationId, input.data, deps.now);
  const webhookIds = input.onlyWebhookId
    ? [input.onlyWebhookId]
    : (await subscribedEndpoints(trx, input.organizationId, input.type)).map((e) => e.id);
  return queueEvent(trx, deps, { organizationId: input.organizationId, type: input.type, body, eventData: { ...input.data }, webhookIds });
}

function subscribedTo(type: EventType) {
  return sql<boolean>`w.event_types @> ${JSON.stringify([type])}::jsonb`;
}

function subscribedEndpoints(trx: Transaction<DB>, organizationId: string, type: EventType) {
  return trx
    .selectFrom('webhooks as w')
    .select('w.id')
    .where('w.organization_id', '=', organizationId)
    .where('w.direction', '=', 'outbound')
    .where('w.disabled_at', 'is', null)
    .where(subscribedTo(type))
    .orderBy('w.id')
    .execute();
}

async function queueEvent(
  trx: Transaction<DB>,
  deps: OutboxDeps,
  e: { organizationId: string; type: EventType; body: unknown; eventData: Record<string, unknown>; webhookIds: readonly string[] },
): Promise<EmitResult> {
  const messageId = newMessageId();
  const eventId = await insertEvent(trx, { organizationId: e.organizationId, type: e.type, data: { ...e.eventData, message_id: messageId } });
  await trx
    .insertInto('webhook_messages')
    .values({ id: messageId, organization_id: e.organizationId, event_type: e.type, event_id: eventId, body: JSON.stringify(e.body), created_at: deps.now })
    .execute();
  const deliveryIds: string[] = [];
  for (const webhookId of e.webhookIds) {
    deliveryIds.push(await queueDelivery(trx, { organizationId: e.organizationId, webhookId, messageId, now: deps.now }));
  }
  return { eventId, messageId, deliveryIds };
}

/** One delivery of an existing message to one endpoint, with its task; also what replay uses. */
export async function queueDelivery(
  trx: Transaction<DB>,
  d: { organizationId: string; webhookId: string; messageId: string; now: Date },
): Promise<string> {
  const deliveryId = newDeliveryId();
  await trx.insertInto('webhook_deliveries').values({ id: deliveryId, message_id: d.messageId, webhook_id: d.webhookId, created_at: d.now, updated_at: d.now }).execute();
  const payload: WebhookDeliveryTaskPayload = { organization_id: d.organizationId, webhook_id: d.webhookId, message_id: d.messageId, delivery_id: deliveryId };
  const taskId = await enqueueTask(trx, { taskType: WEBHOOK_TASK, payload: { ...payload }, maxAttempts: WEBHOOK_MAX_ATTEMPTS, runAt: d.now });
  await trx.updateTable('webhook_deliveries').set({ task_id: taskId }).where('id', '=', deliveryId).execute();
  return deliveryId;
}

/** Sends an existing delivery again from its first rung (replay): same message, same `webhook-id`. */
export async function requeueDelivery(
  trx: Transaction<DB>,
  d: { organizationId: string; webhookId: string; messageId: string; deliveryId: string; now: Date },
): Promise<void> {
  const payload: WebhookDeliveryTaskPayload = { organization_id: d.organizationId, webhook_id: d.webhookId, message_id: d.messageId, delivery_id: d.deliveryId };
  const taskId = await enqueueTask(trx, { taskType: WEBHOOK_TASK, payload: { ...payload }, maxAttempts: WEBHOOK_MAX_ATTEMPTS, runAt: d.now });
  await trx.updateTable('webhook_deliveries').set({ status: 'pending', task_id: taskId, last_error: null, updated_at: d.now }).where('id', '=', d.deliveryId).execute();
}
