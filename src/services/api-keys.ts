/**
 * Datasource API keys: created with the plaintext shown once, listed without it, revoked by deleting,
 * rotated with an overlap window in which the old and the new key both work. Beyond the reference a key
 * has a name, optional expiry, last-used time, scopes (`read`, `assign`) and an optional request-rate limit.
 * Creation, rotation and revocation are audited in the same transaction.
 *
 * @example await createApiKey(ctx, 'ds_…', { name: 'checkout service', scopes: ['assign'] })
 */
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { generateApiKey } from '../security/api-keys.ts';
import { requireDatasource } from './access.ts';
import { recordAudit } from './audit.ts';
import { API_KEY_SCOPES, type ApiKeyScope } from './authentication.ts';
import type { ServiceContext, UserActor } from './context.ts';

export interface NewApiKeyInput {
  readonly name?: string | undefined;
  readonly scopes?: readonly ApiKeyScope[] | undefined;
  readonly expiresAt?: Date | null | undefined;
  readonly rateLimitPerSecond?: number | null | undefined;
}

/** Longest overlap a rotation may keep the old key alive. */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 24 * 3600;

function checkExpiry(ctx: ServiceContext, expiresAt: Date | null | undefined): void {
  if (expiresAt && expiresAt.getTime() <= ctx.clock.now().getTime()) {
    throw new ValidationError([{ loc: ['body', 'expires_at'], msg: 'must be in the future', type: 'value_error' }]);
  }
}

export async function createApiKey(ctx: ServiceContext<UserActor>, datasourceId: string, input: NewApiKeyInput = {}) {
  const ds = await requireDatasource(ctx, datasourceId);
  checkExpiry(ctx, input.expiresAt);
  const scopes = [...new Set(input.scopes ?? API_KEY_SCOPES)].sort();
  const generated = generateApiKey();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_keys')
      .values({
        id: generated.id,
        datasource_id: datasourceId,
        key_hash: generated.hash,
        name: input.name ?? '',
        scopes: JSON.stringify(scopes),
        expires_at: input.expiresAt ?? null,
        rate_limit_per_second: input.rateLimitPerSecond ?? null,
        created_by: ctx.actor.userId,
      })
      .execute();
    await recordAudit(trx, ctx, {
      organizationId: ds.organization_id,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: generated.id,
      details: { datasource_id: datasourceId, name: input.name ?? '', scopes },
    });
  });
  return { id: generated.id, datasource_id: datasourceId, key: generated.key, name: input.name ?? '', scopes, expires_at: input.expiresAt?.toISOString() ?? null };
}

export async function listApiKeys(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  const rows = await ctx.db
    .selectFrom('api_keys')
    .select(['id', 'created_at', 'name', 'scopes', 'expires_at', 'last_used_at', 'rate_limit_per_second'])
    .where('datasource_id', '=', datasourceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      datasource_id: datasourceId,
      organization_id: ds.organization_id,
      organization_name: ds.organization_name,
      created_at: r.created_at.toISOString(),
      name: r.name,
      scopes: r.scopes,
      expires_at: r.expires_at?.toISOString() ?? null,
      last_used_at: r.last_used_at?.toISOString() ?? null,
      rate_limit_per_second: r.rate_limit_per_second,
    })),
  };
}

export async function deleteApiKey(ctx: ServiceContext<UserActor>, datasourceId: string, keyId: string, allowMissing: boolean) {
  const ds = await requireDatasource(ctx, datasourceId);
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('api_keys').where('id', '=', keyId).where('datasource_id', '=', datasourceId).executeTakeFirst();
    if (r.numDeletedRows === 0n) {
      if (allowMissing) return;
      throw new NotFoundError('API key not found.');
    }
    await recordAudit(trx, ctx, { organizationId: ds.organization_id, action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, details: { datasource_id: datasourceId } });
  });
}

/**
 * A new key with the old one's name, scopes and limit; the old key keeps working for `overlapSeconds`
 * (0: stops at once), so clients can be redeployed with the new key without a gap.
 */
export async function rotateApiKey(ctx: ServiceContext<UserActor>, datasourceId: string, keyId: string, overlapSeconds: number) {
  const ds = await requireDatasource(ctx, datasourceId);
  const generated = generateApiKey();
  const now = ctx.clock.now();
  const oldUntil = new Date(now.getTime() + overlapSeconds * 1000);
  return ctx.db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).where('datasource_id', '=', datasourceId).forUpdate().executeTakeFirst();
    if (!old || (old.expires_at && old.expires_at <= now)) throw new NotFoundError('API key not found.');
    await trx
      .insertInto('api_keys')
      .values({
        id: generated.id,
        datasource_id: datasourceId,
        key_hash: generated.hash,
        name: old.name,
        scopes: JSON.stringify(old.scopes),
        expires_at: old.expires_at,
        rate_limit_per_second: old.rate_limit_per_second,
        created_by: ctx.actor.userId,
      })
      .execute();
    const until = old.expires_at && old.expires_at < oldUntil ? old.expires_at : oldUntil;
    await trx.updateTable('api_keys').set({ expires_at: until }).where('id', '=', keyId).execute();
    await recordAudit(trx, ctx, {
      organizationId: ds.organization_id,
      action: 'api_key.rotated',
      targetType: 'api_key',
      targetId: keyId,
      details: { datasource_id: datasourceId, replaced_by: generated.id, old_key_expires_at: until.toISOString() },
    });
    return {
      id: generated.id,
      datasource_id: datasourceId,
      key: generated.key,
      name: old.name,
      scopes: old.scopes,
      expires_at: old.expires_at?.toISOString() ?? null,
      previous_key_expires_at: until.toISOString(),
    };
  });
}
