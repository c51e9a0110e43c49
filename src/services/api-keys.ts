/** Datasource API keys: created with the plaintext shown once, listed without it, revoked by deleting. */
import { NotFoundError } from '../domain/errors.ts';
import { generateApiKey } from '../security/api-keys.ts';
import { requireDatasource } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';

export async function createApiKey(ctx: ServiceContext<UserActor>, datasourceId: string) {
  await requireDatasource(ctx, datasourceId);
  const generated = generateApiKey();
  await ctx.db.insertInto('api_keys').values({ id: generated.id, datasource_id: datasourceId, key_hash: generated.hash }).execute();
  return { id: generated.id, datasource_id: datasourceId, key: generated.key };
}

export async function listApiKeys(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  const rows = await ctx.db
    .selectFrom('api_keys')
    .select(['id', 'created_at'])
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
    })),
  };
}

export async function deleteApiKey(ctx: ServiceContext<UserActor>, datasourceId: string, keyId: string, allowMissing: boolean) {
  await requireDatasource(ctx, datasourceId);
  const r = await ctx.db.deleteFrom('api_keys').where('id', '=', keyId).where('datasource_id', '=', datasourceId).executeTakeFirst();
  if (r.numDeletedRows === 0n && !allowMissing) throw new NotFoundError('API key not found.');
}
