/**
 * Organization webhooks. The receiver's shared token is generated here and shown on creation, on rotation
 * and when a member explicitly asks to reveal it; listings never carry it.
 */
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { safeResolve } from '../net/safe-resolve.ts';
import { generateWebhookToken } from '../security/webhook-tokens.ts';
import type { Transaction } from 'kysely';
import type { DB, Webhook } from '../store/schema.ts';
import { requireOrganization } from './access.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, UserActor } from './context.ts';

export interface WebhookInput {
  readonly type: 'experiment.created';
  readonly direction: 'outbound';
  readonly name: string;
  readonly url: string;
}

function summarize(w: Webhook, revealToken: boolean) {
  return {
    id: w.id,
    type: w.type,
    direction: w.direction,
    name: w.name,
    url: w.url,
    ...(revealToken ? { auth_token: w.auth_token } : {}),
  };
}

/** The URL must be http(s) with a host, and the host must resolve to an address we are allowed to call. */
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
    await safeResolve(parsed.hostname.replace(/^\[|\]$/g, ''), { allowPrivateIps: ctx.allowPrivateIps });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ValidationError([{ loc: ['body', 'url'], msg: `the host cannot be used: ${reason}`, type: 'value_error' }]);
  }
}

export async function createWebhook(ctx: ServiceContext<UserActor>, organizationId: string, input: WebhookInput) {
  await requireOrganization(ctx, organizationId);
  await checkUrl(ctx, input.url);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('webhooks')
      .values({
        id: newId('webhook'),
        organization_id: organizationId,
        type: input.type,
        direction: input.direction,
        name: input.name,
        url: input.url,
        auth_token: generateWebhookToken(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, created, 'webhook.created', { name: created.name, url: created.url });
    return created;
  });
  return summarize(row, true);
}

export async function listWebhooks(ctx: ServiceContext<UserActor>, organizationId: string) {
  await requireOrganization(ctx, organizationId);
  const rows = await ctx.db.selectFrom('webhooks').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  return { items: rows.map((w) => summarize(w, false)) };
}

async function requireWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
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

/** Records a webhook change in the organization's audit log; never the token itself. */
function audit(trx: Transaction<DB>, ctx: ServiceContext<UserActor>, w: Pick<Webhook, 'id' | 'organization_id'>, action: string, details?: Record<string, unknown>) {
  return recordAudit(trx, ctx, { organizationId: w.organization_id, action, targetType: 'webhook', targetId: w.id, ...(details ? { details } : {}) });
}

export async function updateWebhook(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string, input: { name: string; url: string }) {
  const before = await requireWebhook(ctx, organizationId, webhookId);
  await checkUrl(ctx, input.url);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('webhooks').set({ name: input.name, url: input.url, updated_at: ctx.clock.now() }).where('id', '=', webhookId).execute();
    await audit(trx, ctx, before, 'webhook.updated', { name: input.name, url: input.url, previous_url: before.url });
  });
}

/** The token, for a member who asks for it; the reveal itself is audited. */
export async function revealWebhookToken(ctx: ServiceContext<UserActor>, organizationId: string, webhookId: string) {
  const row = await requireWebhook(ctx, organizationId, webhookId);
  await ctx.db.transaction().execute((trx) => audit(trx, ctx, row, 'webhook.token_revealed'));
  return summarize(row, true);
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
  return summarize(row, true);
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
