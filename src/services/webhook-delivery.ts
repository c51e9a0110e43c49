/**
 * One attempt at delivering an outbound webhook (a `webhook.outbound` task). Every attempt, successful or
 * not, leaves one `webhook.sent` event in the organization's Recent Events; a failed attempt then throws so
 * the worker schedules the next one. The receiver's URL and token are read from the webhook row at send time,
 * so a corrected URL or rotated token is used at once and a deleted webhook stops its deliveries, and it is never written to the
 * event or to the task's error.
 *
 * @example
 *   await deliverWebhookTask({ db, clock, allowPrivateIps: false }, task); // throws on non-2xx
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import { postJson } from '../net/outbound-http.ts';
import { insertEvent } from '../store/repositories/events.ts';
import type { DB, Task } from '../store/schema.ts';
import { PermanentTaskError } from '../domain/task-errors.ts';

export const WEBHOOK_SENT_EVENT = 'webhook.sent';
export const WEBHOOK_USER_AGENT = 'Equipoise-Webhooks/0.1';
/** How much of a failing receiver's answer is kept in the event. */
const RESPONSE_MESSAGE_CHARS = 200;
const REDACTED = '***';

/** What a `webhook.outbound` task carries. The token is deliberately absent: it is read at send time. */
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
  /** Per-attempt HTTP deadline; `postJson`'s default (15 s) when absent. */
  readonly timeoutMs?: number | undefined;
}

function parsePayload(task: Task): WebhookOutboundPayload {
  const p = task.payload as Partial<Record<keyof WebhookOutboundPayload, unknown>>;
  const body = p.body;
  if (
    typeof p.organization_id !== 'string' ||
    typeof p.webhook_id !== 'string' ||
    typeof p.url !== 'string' ||
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body)
  ) {
    throw new PermanentTaskError(`task ${task.id}: malformed webhook.outbound payload`);
  }
  return { organization_id: p.organization_id, webhook_id: p.webhook_id, url: p.url, body: body as Record<string, unknown> };
}

/** Removes the token wherever a receiver may have echoed it back into text we keep. */
function scrub(text: string, token: string | null): string {
  return token ? text.split(token).join(REDACTED) : text;
}

interface Attempt {
  readonly success: boolean;
  readonly response: string;
  readonly statusCode: number | null;
  readonly latencyMs: number;
}

async function recordAttempt(
  deps: WebhookDeliveryDeps,
  task: Task,
  payload: WebhookOutboundPayload,
  headers: Readonly<Record<string, string>>,
  attempt: Attempt,
): Promise<void> {
  const shownHeaders = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, k === 'Webhook-Token' || k === 'Authorization' ? REDACTED : v]),
  );
  await insertEvent(deps.db, {
    organizationId: payload.organization_id,
    type: WEBHOOK_SENT_EVENT,
    data: {
      request: { method: 'POST', url: payload.url, body: payload.body, headers: shownHeaders },
      success: attempt.success,
      response: attempt.response,
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      attempt: task.attempts,
      task_id: task.id,
      webhook_id: payload.webhook_id,
    },
  });
}

/**
 * Sends the task's webhook once. Resolves on a 2xx answer; otherwise throws an `Error` whose message is what
 * the event recorded (the worker retries it), or a `PermanentTaskError` when the webhook no longer exists.
 */
export async function deliverWebhookTask(deps: WebhookDeliveryDeps, task: Task): Promise<void> {
  const payload = parsePayload(task);
  const webhook = await deps.db
    .selectFrom('webhooks')
    .select(['auth_token', 'url'])
    .where('id', '=', payload.webhook_id)
    .where('organization_id', '=', payload.organization_id)
    .executeTakeFirst();

  const baseHeaders: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': WEBHOOK_USER_AGENT };
  if (!webhook) {
    const message = `webhook ${payload.webhook_id} was deleted; delivery abandoned`;
    // Deleting an organization cascades to its webhooks and events; only a surviving organization gets the event.
    const org = await deps.db.selectFrom('organizations').select('id').where('id', '=', payload.organization_id).executeTakeFirst();
    if (org) await recordAttempt(deps, task, payload, baseHeaders, { success: false, response: message, statusCode: null, latencyMs: 0 });
    throw new PermanentTaskError(message);
  }

  // The webhook's current URL wins over the one queued, so fixing a broken URL also fixes pending retries.
  const sent: WebhookOutboundPayload = { ...payload, url: webhook.url ?? payload.url };
  const token = webhook.auth_token;
  // Both spellings: the reference's receivers read Webhook-Token, generic ones expect a bearer token.
  const headers = token ? { ...baseHeaders, 'Webhook-Token': token, Authorization: `Bearer ${token}` } : baseHeaders;

  let attempt: Attempt;
  const started = performance.now();
  try {
    const r = await postJson(sent.url, sent.body, headers, { allowPrivateIps: deps.allowPrivateIps, timeoutMs: deps.timeoutMs });
    const ok = r.status >= 200 && r.status < 300;
    attempt = {
      success: ok,
      response: ok ? String(r.status) : `status=${r.status} message=${scrub(r.body, token).slice(0, RESPONSE_MESSAGE_CHARS)}`,
      statusCode: r.status,
      latencyMs: r.latencyMs,
    };
  } catch (err) {
    const message = scrub(err instanceof Error ? err.message : String(err), token);
    attempt = { success: false, response: message, statusCode: null, latencyMs: Math.round(performance.now() - started) };
  }

  await recordAttempt(deps, task, sent, headers, attempt);
  if (!attempt.success) throw new Error(attempt.response);
}
