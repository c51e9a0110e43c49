/**
 * One attempt at delivering a webhook message to one endpoint (a `webhook.outbound` task). The endpoint's
 * URL, token and signing keys are read from its row at send time, so a corrected URL or rotated secret
 * applies to queued retries at once, and a deleted endpoint stops its deliveries. Every attempt leaves one
 * row in the delivery log (`webhook_attempts`) and one `webhook.sent` event in Recent Events (as the
 * reference does), with the token masked and the receiver's answer truncated.
 *
 * Outcome rules (Standard Webhooks): 2xx succeeds; a 3xx is a failure (redirects are never followed);
 * `410 Gone` disables the endpoint and ends the delivery; a `Retry-After` answer delays the next attempt;
 * anything else is retried on the webhook ladder. An endpoint whose attempts have all failed for five days
 * is disabled, which records a `webhook.endpoint_disabled` event and mails the organization's members.
 *
 * @example
 *   await deliverWebhookTask({ db, clock, allowPrivateIps: false, secrets }, task); // throws on failure
 */
import { performance } from 'node:perf_hooks';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import { parseRetryAfterMs, RetryLaterError } from '../domain/retry-policy.ts';
import { PermanentTaskError } from '../domain/task-errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { OutboundHttpError, postBytes } from '../net/outbound-http.ts';
import type { EgressRules } from '../net/egress-rules.ts';
import { DnsLookupError, UnsafeAddressError } from '../net/safe-resolve.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import { signatureHeaders } from '../security/webhook-signing.ts';
import { insertEvent } from '../store/repositories/events.ts';
import type { DB, Task, Webhook } from '../store/schema.ts';
import { emitOrganizationEvent } from './webhook-outbox.ts';
import { isSensitiveKey, REDACTED } from './webhook-redaction.ts';
import { signingKeysFor } from './webhook-secrets.ts';

export const WEBHOOK_SENT_EVENT = 'webhook.sent';
export const WEBHOOK_USER_AGENT = 'Equipoise-Webhooks/0.1';
/** How much of a failing receiver's answer is kept in the event's one-line summary. */
const RESPONSE_MESSAGE_CHARS = 200;
/** How much of a receiver's answer the delivery log keeps. */
export const RESPONSE_LOG_CHARS = 1000;
/** An endpoint failing this long without a single success is disabled (the Svix rule). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60 * 1000;

/** The reference-era task payload: the body is in the task. Still delivered (tasks queued before 0006, old resends). */
export interface WebhookOutboundPayload {
  readonly organization_id: string;
  readonly webhook_id: string;
  readonly url: string;
  readonly body: Record<string, unknown>;
}

export interface WebhookDeliveryDeps {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  readonly allowPrivateIps: boolean;
  /** The operator's WEBHOOK_ALLOWED_HOSTS / WEBHOOK_DENIED_HOSTS; none when absent. */
  readonly webhookEgress?: EgressRules | undefined;
  /** Per-attempt HTTP deadline; `postJson`'s default (15 s) when absent. */
  readonly timeoutMs?: number | undefined;
  /** Opens the endpoints' signing keys. Without it, endpoints that have keys cannot be delivered to. */
  readonly secrets?: SecretKeyset | null | undefined;
  /** Tells the organization's members when an endpoint is disabled. */
  readonly mailer?: Mailer | undefined;
  /** Base of links in mails, without a trailing slash. */
  readonly publicUrl?: string | undefined;
}

/** Why an attempt failed, for the delivery log and for filtering. */
export type AttemptErrorClass =
  | 'http_status'
  | 'redirect'
  | 'gone'
  | 'timeout'
  | 'connection'
  | 'dns'
  | 'unsafe_address'
  | 'endpoint_disabled'
  | 'endpoint_deleted'
  | 'signing';

interface Target {
  readonly organizationId: string;
  readonly webhookId: string;
  readonly messageId: string;
  /** Null for reference-era tasks, which have no delivery row. */
  readonly deliveryId: string | null;
  readonly bodyText: string;
  readonly queuedUrl: string | null;
  readonly eventType: string | null;
}

interface Attempt {
  readonly success: boolean;
  readonly response: string;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly errorClass: AttemptErrorClass | null;
  readonly responseBody: string | null;
}

function malformed(task: Task): never {
  throw new PermanentTaskError(`task ${task.id}: malformed webhook.outbound payload`);
}

async function resolveTarget(db: Kysely<DB>, task: Task): Promise<Target> {
  const p = task.payload as Record<string, unknown>;
  if (typeof p.organization_id !== 'string' || typeof p.webhook_id !== 'string') malformed(task);
  if (typeof p.delivery_id === 'string' && typeof p.message_id === 'string') {
    const message = await db.selectFrom('webhook_messages').select(['body', 'event_type']).where('id', '=', p.message_id).executeTakeFirst();
    if (!message) throw new PermanentTaskError(`message ${p.message_id} no longer exists; delivery abandoned`);
    return { organizationId: p.organization_id, webhookId: p.webhook_id, messageId: p.message_id, deliveryId: p.delivery_id, bodyText: message.body, queuedUrl: null, eventType: message.event_type };
  }
  const body = p.body;
  if (typeof p.url !== 'string' || typeof body !== 'object' || body === null || Array.isArray(body)) malformed(task);
  // The task id is stable across this task's retries, so it makes a stable webhook-id.
  return { organizationId: p.organization_id, webhookId: p.webhook_id, messageId: `msg_${task.id}`, deliveryId: null, bodyText: JSON.stringify(body), queuedUrl: p.url, eventType: null };
}

/** Removes the token wherever a receiver may have echoed it back into text we keep. */
function scrub(text: string, token: string | null): string {
  return token ? text.split(token).join(REDACTED) : text;
}

/** The URL as shown in events and mails: a password in `user:pass@` is masked. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = REDACTED;
    return u.toString();
  } catch {
    return url;
  }
}

function disabledWhy(reason: string | null): string {
  if (reason === 'gone') return 'it answered 410 Gone';
  if (reason === 'failing') return 'it failed for 5 days';
  return 'by a member';
}

function classifyError(err: unknown): AttemptErrorClass {
  if (err instanceof UnsafeAddressError) return 'unsafe_address';
  if (err instanceof DnsLookupError) return 'dns';
  if (err instanceof OutboundHttpError && err.code === 'ETIMEDOUT') return 'timeout';
  return 'connection';
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Sends the task's message once. Resolves on a 2xx answer; otherwise throws: `RetryLaterError` when the
 * receiver asked for a delay, `PermanentTaskError` when retrying cannot help (endpoint deleted, disabled or
 * gone), or a plain `Error` whose message is what the event recorded (retried on the ladder).
 */
export async function deliverWebhookTask(deps: WebhookDeliveryDeps, task: Task): Promise<void> {
  const target = await resolveTarget(deps.db, task);
  const now = deps.clock.now();
  const webhook = await deps.db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', target.webhookId)
    .where('organization_id', '=', target.organizationId)
    .executeTakeFirst();

  const baseHeaders: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': WEBHOOK_USER_AGENT };
  if (!webhook) {
    const message = `webhook ${target.webhookId} was deleted; delivery abandoned`;
    // Deleting an organization cascades to its webhooks and events; only a surviving organization gets the event.
    const org = await deps.db.selectFrom('organizations').select('id').where('id', '=', target.organizationId).executeTakeFirst();
    if (org) {
      await deps.db.transaction().execute((trx) =>
        record(trx, deps, task, target, null, target.queuedUrl ?? '', baseHeaders, now, {
          success: false,
          response: message,
          statusCode: null,
          latencyMs: 0,
          errorClass: 'endpoint_deleted',
          responseBody: null,
        }),
      );
    }
    throw new PermanentTaskError(message);
  }

  const url = webhook.url ?? target.queuedUrl ?? '';
  const token = webhook.auth_token;
  // Both spellings: the reference's receivers read Webhook-Token, generic ones expect a bearer token.
  const tokenHeaders: Record<string, string> = token ? { 'Webhook-Token': token, Authorization: `Bearer ${token}` } : {};

  // A test message is the way to check a disabled endpoint before enabling it, so it is still sent.
  if (webhook.disabled_at && target.eventType !== 'webhook.test') {
    const message = `the endpoint is disabled (${disabledWhy(webhook.disabled_reason)}); replay the message after enabling it`;
    await deps.db.transaction().execute((trx) =>
      record(trx, deps, task, target, webhook, url, baseHeaders, now, { success: false, response: message, statusCode: null, latencyMs: 0, errorClass: 'endpoint_disabled', responseBody: null }, true),
    );
    throw new PermanentTaskError(message);
  }

  let signed: Record<string, string>;
  try {
    signed = signatureHeaders(signingKeysFor(deps.secrets ?? null, webhook, now), target.messageId, now, target.bodyText);
  } catch (err) {
    const message = `cannot sign the delivery: ${err instanceof Error ? err.message : String(err)}`;
    await deps.db.transaction().execute((trx) =>
      record(trx, deps, task, target, webhook, url, baseHeaders, now, { success: false, response: message, statusCode: null, latencyMs: 0, errorClass: 'signing', responseBody: null }),
    );
    throw new Error(message);
  }
  const headers = { ...baseHeaders, ...signed, ...tokenHeaders };

  let attempt: Attempt;
  let retryAfterMs: number | undefined;
  const started = performance.now();
  try {
    const r = await postBytes(url, Buffer.from(target.bodyText, 'utf8'), headers, {
      allowPrivateIps: deps.allowPrivateIps,
      egress: deps.webhookEgress,
      timeoutMs: deps.timeoutMs,
    });
    const ok = r.status >= 200 && r.status < 300;
    const shownBody = scrub(r.body, token);
    const errorClass: AttemptErrorClass | null = ok ? null : r.status === 410 ? 'gone' : r.status >= 300 && r.status < 400 ? 'redirect' : 'http_status';
    attempt = {
      success: ok,
      response: ok ? String(r.status) : `status=${r.status} message=${shownBody.slice(0, RESPONSE_MESSAGE_CHARS)}`,
      statusCode: r.status,
      latencyMs: r.latencyMs,
      errorClass,
      responseBody: shownBody.slice(0, RESPONSE_LOG_CHARS),
    };
    if (!ok) retryAfterMs = parseRetryAfterMs(r.retryAfter, now);
  } catch (err) {
    const message = scrub(err instanceof Error ? err.message : String(err), token);
    attempt = { success: false, response: message, statusCode: null, latencyMs: Math.round(performance.now() - started), errorClass: classifyError(err), responseBody: null };
  }

  const gone = attempt.errorClass === 'gone';
  const disabled = await deps.db.transaction().execute((trx) => record(trx, deps, task, target, webhook, url, headers, now, attempt, gone));
  if (disabled) await mailMembers(deps, webhook, disabled);
  if (attempt.success) return;
  if (gone) throw new PermanentTaskError(`${attempt.response} (410 Gone: the endpoint was disabled)`);
  if (retryAfterMs !== undefined) throw new RetryLaterError(attempt.response, retryAfterMs);
  throw new Error(attempt.response);
}

/**
 * Writes the attempt everywhere it shows (delivery log, delivery status, Recent Events) and keeps the
 * endpoint's failure clock; disables the endpoint when it answered 410 or has failed for five days.
 * Returns why the endpoint was disabled by this attempt, if it was.
 */
async function record(
  trx: Transaction<DB>,
  deps: WebhookDeliveryDeps,
  task: Task,
  target: Target,
  webhook: Webhook | null,
  url: string,
  headers: Readonly<Record<string, string>>,
  now: Date,
  attempt: Attempt,
  final = false,
): Promise<'gone' | 'failing' | null> {
  // The token headers, and the signatures too: with the body, id and timestamp beside them, a signature
  // would let anyone who reads the event replay the request to the receiver within its tolerance window.
  const shownHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSensitiveKey(k) ? REDACTED : v]));
  await insertEvent(trx, {
    organizationId: target.organizationId,
    type: WEBHOOK_SENT_EVENT,
    data: {
      request: { method: 'POST', url: displayUrl(url), body: parseBody(target.bodyText), headers: shownHeaders },
      success: attempt.success,
      response: attempt.response,
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      error_class: attempt.errorClass,
      attempt: task.attempts,
      task_id: task.id,
      webhook_id: target.webhookId,
      message_id: target.messageId,
      delivery_id: target.deliveryId,
    },
  });
  if (!webhook) return null;
  if (target.deliveryId) {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: target.deliveryId,
        message_id: target.messageId,
        webhook_id: webhook.id,
        attempt: task.attempts,
        attempted_at: now,
        success: attempt.success,
        status_code: attempt.statusCode,
        latency_ms: attempt.latencyMs,
        error_class: attempt.errorClass,
        response_body: attempt.responseBody,
      })
      .execute();
    const exhausted = final || task.attempts >= task.max_attempts;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: attempt.success ? 'succeeded' : exhausted ? 'failed' : 'pending', attempts: task.attempts, last_error: attempt.success ? null : attempt.response, updated_at: now })
      .where('id', '=', target.deliveryId)
      .execute();
  }
  if (attempt.errorClass === 'endpoint_disabled') return null;
  if (attempt.success) {
    if (webhook.failing_since) await trx.updateTable('webhooks').set({ failing_since: null }).where('id', '=', webhook.id).execute();
    return null;
  }
  const row = await trx
    .updateTable('webhooks')
    .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(now)) }))
    .where('id', '=', webhook.id)
    .returning(['failing_since'])
    .executeTakeFirst();
  const failingSince = row?.failing_since ?? now;
  const reason = attempt.errorClass === 'gone' ? 'gone' : now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS ? 'failing' : null;
  if (!reason) return null;
  const disabled = await trx
    .updateTable('webhooks')
    .set({ disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('id', '=', webhook.id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (disabled.numUpdatedRows === 0n) return null;
  await emitOrganizationEvent(trx, { publicUrl: deps.publicUrl ?? '', now }, {
    type: 'webhook.endpoint_disabled',
    organizationId: webhook.organization_id,
    data: { webhook_id: webhook.id, reason, failing_since: reason === 'failing' ? failingSince.toISOString() : null },
  });
  return reason;
}

/** Mails every member of the organization; a mail failure is reported but does not undo the disabling. */
async function mailMembers(deps: WebhookDeliveryDeps, webhook: Webhook, reason: 'gone' | 'failing'): Promise<void> {
  if (!deps.mailer) return;
  const members = await deps.db
    .selectFrom('users as u')
    .innerJoin('user_organizations as uo', 'uo.user_id', 'u.id')
    .select('u.email')
    .where('uo.organization_id', '=', webhook.organization_id)
    .orderBy('u.email')
    .execute();
  const why = reason === 'gone' ? 'it answered 410 Gone' : 'every delivery to it has failed for 5 days';
  const text =
    `The webhook "${webhook.name || webhook.id}" (${displayUrl(webhook.url ?? '')}) was disabled because ${why}.\n\n` +
    `Messages are no longer sent to it. Fix the receiver, then enable the webhook again ` +
    `(POST /v1/m/organizations/${webhook.organization_id}/webhooks/${webhook.id}/enable) and replay the failed messages ` +
    `(POST …/webhooks/${webhook.id}/replay-failed).` +
    (deps.publicUrl ? `\n\n${deps.publicUrl}` : '');
  for (const m of members) {
    try {
      await deps.mailer.send({ to: m.email, subject: `Webhook disabled: ${webhook.name || webhook.id}`, text });
    } catch (err) {
      console.warn(`webhook ${webhook.id}: could not mail ${m.email} about the disabled endpoint: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
