/**
 * Organization webhooks (endpoints). Each has the legacy shared token (`Webhook-Token`) and a Standard
 * Webhooks signing secret (`whsec_…`, encrypted at rest), optionally an Ed25519 key whose public half is
 * published; both secrets are shown on creation and when a member explicitly asks to reveal them, never in
 * lists. An endpoint subscribes to event types; `experiment.created` still goes only to the webhooks linked
 * to the experiment, as in the reference.
 */
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { EVENT_TYPES, isEventType, type EventType } from '../domain/event-catalogue.ts';
import { newId } from '../domain/ids.ts';
import { ONE_HOUR_MS } from '../domain/retry-policy.ts';
import { safeResolve } from '../net/safe-resolve.ts';
import { generateEd25519KeyPair, generateSigningSecret } from '../security/webhook-signing.ts';
import { generateWebhookToken } from '../security/webhook-tokens.ts';
import type { Transaction } from 'kysely';
import type { DB, Webhook } from '../store/schema.ts';
import { requireOrganization } from './access.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { decryptSigningSecret, ed25519KeyAad, hmacSecretAad, previousSecretActive, requireWebhookKeyset } from './webhook-secrets.ts';

export interface WebhookInput {
  readonly type?: 'experiment.created' | undefined;
  readonly direction: 'outbound';
  readonly name: string;
  readonly url: string;
  /** What the endpoint receives; `['experiment.created']` (the reference's only type) when absent. */
  readonly event_types?: readonly string[] | undefined;
  /** Also sign with Ed25519 (`v1a,`), publishing the public key. */
  readonly ed25519?: boolean | undefined;
}

/** How long the old signing secret keeps signing after a rotation, unless the caller says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;
export const MAX_ROTATION_OVERLAP_HOURS = 7 * 24;

/** The newest attempt to an endpoint, as lists show it ("last delivery"). */
export interface LastAttempt {
  readonly attempted_at: string;
  readonly success: boolean;
  readonly status_code: number | null;
  readonly error_class: string | null;
}

/** Each endpoint's newest attempt, one indexed probe per endpoint (`webhook_attempts_endpoint`). */
async function lastAttempts(ctx: ServiceContext, webhookIds: readonly string[]): Promise<Map<string, LastAttempt>> {
  if (webhookIds.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('webhook_attempts')
    .select(['webhook_id', 'attempted_at', 'success', 'status_code', 'error_class'])
    .distinctOn('webhook_id')
    .where('webhook_id', 'in', webhookIds)
    .orderBy('webhook_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(
    rows.map((r) => [r.webhook_id, { attempted_at: r.attempted_at.toISOString(), success: r.success, status_code: r.status_code, error_class: r.error_class }]),
  );
}

function summarize(ctx: ServiceContext, w: Webhook, reveal: { authToken: boolean; signingSecret: boolean }) {
  const now = ctx.clock.now();
  return {
    id: w.id,
    type: w.type,
    direction: w.direction,
    name: w.name,
    url: w.url,
    event_types: w.event_types,
    enabled: w.disabled_at === null,
    disabled_at: w.disabled_at?.toISOString() ?? null,
    disabled_reason: w.disabled_reason,
    public_key: w.ed25519_public_key,
    previous_secret_expires_at: previousSecretActive(w, now) ? (w.previous_secret_expires_at?.toISOString() ?? null) : null,
    ...(reveal.authToken ? { auth_token: w.auth_token } : {}),
    ...(reveal.signingSecret ? { signing_secret: w.signing_secret ? decryptSigningSecret(requireWebhookKeyset(ctx.secrets), w) : null } : {}),
  };
}

function checkEventTypes(types: readonly string[]): EventType[] {
  const bad = types.filter((t) => !isEventType(t));
  if (bad.length > 0 || types.length === 0) {
    const msg = types.length === 0 ? 'must name at least one event type' : `unknown event types ${bad.join(', ')}; known: ${EVENT_TYPES.join(', ')}`;
    throw new ValidationError([{ loc: ['body', 'event_types'], msg, type: 'value_error' }]);
  }
  return [...new Set(types as EventType[])];
}

/**
 * The URL must be http(s) with a host, and the host must resolve to an address we are allowed to call,
 * under the built-in rules and the operator's egress lists (the 422 names the list, never its entries).
 */
async function checkUrl(ctx: ServiceContext, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError([{ loc: ['body', 'url'], msg: 'must be an absolute http(s) URL', type: 'value_error' }]);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new ValidationError([{ loc: ['body', 'url'], msg: 'must be an http(s) URL with a host', type: 'value_error' }]);
  }
  try {
    await safeResolve(parsed.hostname.replace(/^\[|\]$/g, ''), { allowPrivateIps: ctx.allowPrivateIps, egress: ctx.webhookEgress });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ValidationError([{ loc: ['body', 'url'], msg: `the host cannot be used: ${reason}`, type: 'value_error' }]);
  }
}

export async function createWebhook(ctx: ServiceContext<UserActor>, organizationId: string, input: WebhookInput) {
  await requireOrganization(ctx, organizationId);
  const eventTypes = checkEventTypes(input.event_types ?? ['experiment.created']);
  await checkUrl(ctx, input.url);
  const keyset = requireWebhookKeyset(ctx.secrets);
  const id = newId('webhook');
  const keys = input.ed25519 ? generateEd25519KeyPair() : null;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('webhooks')
      .values({
        id,
        organization_id: organizationId,
        type: input.type ?? 'experiment.created',
        direction: input.direction,
        name: input.name,
        url: input.url,
        auth_token: generateWebhookToken(),
        event_types: JSON.stringify(eventTypes),
        signing_secret: keyset.encrypt(generateSigningSecret(), hmacSecretAad(id)),
        ed25519_private_key: keys ? keyset.encrypt(keys.secretKey, ed25519KeyAad(id)) : null,
        ed25519_public_key: keys?.publicKey ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, created, 'webhook.created', { name: created.name, url: created.url, event_types: eventTypes });
    return created;
  });
  return summarize(ctx, row, { authToken: true, signingSecret: true });
}

export async function listWebhooks(ctx: ServiceContext<UserActor>, organizationId: string) {
  await requireOrganization(ctx, organizationId);
  const rows = await ctx.db.selectFrom('webhooks').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  const last = await lastAttempts(ctx, rows.map((w) => w.id));
  return { items: rows.map((w) => ({ ...summarize(ctx, w, { authToken: false, signingSecret: false }), last_attempt: last.get(w.id) ?? null })) };
}

export async function requireWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  await requireOrganization(ctx, organizationId);
  const row = await ctx.db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', webhookId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Webhook not found.');
  return row;
}

export async function getWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  const row = await requireWebhook(ctx, organizationId, webhookId);
  const last = await lastAttempts(ctx, [row.id]);
  return { ...summarize(ctx, row, { authToken: false, signingSecret: false }), last_attempt: last.get(row.id) ?? null };
}

/** Records a webhook change in the organization's audit log; never a secret. */
function audit(trx: Transaction<DB>, ctx: ServiceContext<UserActor>, w: Pick<Webhook, 'id' | 'organization_id'>, action: string, details?: Record<string, unknown>) {
  return recordAudit(trx, ctx, { organizationId: w.organization_id, action, targetType: 'webhook', targetId: w.id, ...(details ? { details } : {}) });
}

export async function updateWebhook(
  ctx: ServiceContext<UserActor>,
  organizationId: string,
  webhookId: string,
  input: { name: string; url: string; event_types?: readonly string[] | undefined },
) {
  const before = await requireWebhook(ctx, organizationId, webhookId);
  const eventTypes = input.event_types === undefined ? undefined : checkEventTypes(input.event_types);
  await checkUrl(ctx, input.url);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      .set({ name: input.name, url: input.url, updated_at: ctx.clock.now(), ...(eventTypes ? { event_types: JSON.stringify(eventTypes) } : {}) })
      .where('id', '=', webhookId)
      .execute();
    await audit(trx, ctx, before, 'webhook.updated', { name: input.name, url: input.url, previous_url: before.url, ...(eventTypes ? { event_types: eventTypes } : {}) });
  });
}

/** The token and signing secret, for a member who asks for them; the reveal itself is audited. */
export async function revealWebhookToken(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  const row = await requireWebhook(ctx, organizationId, webhookId);
  await ctx.db.transaction().execute((trx) => audit(trx, ctx, row, 'webhook.token_revealed'));
  return summarize(ctx, row, { authToken: true, signingSecret: true });
}

export async function rotateWebhookToken(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  await requireWebhook(ctx, organizationId, webhookId);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const rotated = await trx
      .updateTable('webhooks')
      .set({ auth_token: generateWebhookToken(), updated_at: ctx.clock.now() })
      .where('id', '=', webhookId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, rotated, 'webhook.token_rotated');
    return rotated;
  });
  return summarize(ctx, row, { authToken: true, signingSecret: false });
}

/**
 * A new signing secret. The old one keeps signing next to it (two `v1,` signatures) for `overlapHours`, so
 * receivers can deploy the new secret without rejecting anything; 0 ends the old secret at once.
 */
export async function rotateSigningSecret(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string, overlapHours = DEFAULT_ROTATION_OVERLAP_HOURS) {
  if (!(overlapHours >= 0 && overlapHours <= MAX_ROTATION_OVERLAP_HOURS)) {
    throw new ValidationError([{ loc: ['body', 'overlap_hours'], msg: `must be between 0 and ${MAX_ROTATION_OVERLAP_HOURS}`, type: 'value_error' }]);
  }
  const keyset = requireWebhookKeyset(ctx.secrets);
  await requireWebhook(ctx, organizationId, webhookId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    // Locked so two rotations at once cannot both demote the same secret and lose the other's.
    const current = await trx.selectFrom('webhooks').select(['signing_secret']).where('id', '=', webhookId).forUpdate().executeTakeFirstOrThrow();
    const rotated = await trx
      .updateTable('webhooks')
      .set({
        signing_secret: keyset.encrypt(generateSigningSecret(), hmacSecretAad(webhookId)),
        previous_signing_secret: overlapHours > 0 ? current.signing_secret : null,
        previous_secret_expires_at: overlapHours > 0 && current.signing_secret ? new Date(now.getTime() + overlapHours * ONE_HOUR_MS) : null,
        updated_at: now,
      })
      .where('id', '=', webhookId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, rotated, 'webhook.secret_rotated', { overlap_hours: overlapHours });
    return rotated;
  });
  return summarize(ctx, row, { authToken: false, signingSecret: true });
}

/** Re-enables a disabled endpoint and restarts its failure clock. Messages it missed are replayed separately. */
export async function enableWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  await requireWebhook(ctx, organizationId, webhookId);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const enabled = await trx
      .updateTable('webhooks')
      .set({ disabled_at: null, disabled_reason: null, failing_since: null, updated_at: ctx.clock.now() })
      .where('id', '=', webhookId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, enabled, 'webhook.enabled');
    return enabled;
  });
  return summarize(ctx, row, { authToken: false, signingSecret: false });
}

/**
 * Stops deliveries to an endpoint on a member's request (`disabled_reason: 'manual'`), e.g. while its
 * receiver is being moved. Deliveries that come due meanwhile fail without a request and are recovered with
 * replay-failed after `enable`; a test message is still sent. Disabling a disabled endpoint keeps its reason.
 */
export async function disableWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  const before = await requireWebhook(ctx, organizationId, webhookId);
  if (before.disabled_at) return summarize(ctx, before, { authToken: false, signingSecret: false });
  const row = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const disabled = await trx
      .updateTable('webhooks')
      .set({ disabled_at: now, disabled_reason: 'manual', updated_at: now })
      .where('id', '=', webhookId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, disabled, 'webhook.disabled');
    return disabled;
  });
  return summarize(ctx, row, { authToken: false, signingSecret: false });
}

export async function deleteWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string, allowMissing: boolean) {
  await requireOrganization(ctx, organizationId);
  const deleted = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('webhooks').where('id', '=', webhookId).where('organization_id', '=', organizationId).returningAll().executeTakeFirst();
    if (row) await audit(trx, ctx, row, 'webhook.deleted', { name: row.name, url: row.url });
    return row;
  });
  if (!deleted && !allowMissing) throw new NotFoundError('Webhook not found.');
}
