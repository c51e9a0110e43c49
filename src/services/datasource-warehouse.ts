/**
 * Opening a datasource's warehouse with its credential decrypted for that one use, and the inspection
 * cache kept in the app database (five minutes, as the reference; `refresh` skips it, errors clear it).
 * Warehouse I/O never happens inside an app-database transaction.
 */
import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { SecretDecryptionError } from '../security/secret-keyset.ts';
import type { Datasource } from '../store/schema.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { withWarehouse, type ServiceDeps } from './context.ts';
import { decryptedConfig } from './datasource-dsn.ts';

export const INSPECTION_TTL_MS = 5 * 60_000;
/** The cache scope of the table list; table scopes are table names, which cannot be empty. */
export const TABLE_LIST_SCOPE = '';

/**
 * Runs `fn` with the datasource's warehouse, closing it afterwards.
 *
 * @example const tables = await withDatasourceWarehouse(ctx, ds, (w) => w.listTables());
 */
export async function withDatasourceWarehouse<T>(deps: ServiceDeps, ds: Pick<Datasource, 'id' | 'config'>, fn: (w: Warehouse) => Promise<T>): Promise<T> {
  let config: Record<string, unknown>;
  try {
    config = decryptedConfig(ds.config, ds.id, deps.secrets);
  } catch (err) {
    // Say what to do, never what the secret was.
    const why = err instanceof SecretDecryptionError ? err.message : 'no secret keyset is configured';
    throw new AppError('bad_request', `The datasource's stored credentials cannot be read (${why}). Re-enter the password with PATCH.`, { shape: 'message' });
  }
  return withWarehouse(deps, config, fn);
}

/** The cached result of `scope` if fresh, else `compute()` stored as the new entry. */
export async function cachedInspection<T>(deps: ServiceDeps, datasourceId: string, scope: string, refresh: boolean, compute: () => Promise<T>): Promise<T> {
  if (!refresh) {
    const hit = await deps.db
      .selectFrom('datasource_inspections')
      .select(['result', 'inspected_at'])
      .where('datasource_id', '=', datasourceId)
      .where('scope', '=', scope)
      .executeTakeFirst();
    if (hit && deps.clock.now().getTime() - new Date(hit.inspected_at).getTime() < INSPECTION_TTL_MS) return hit.result as T;
  }
  let result: T;
  try {
    result = await compute();
  } catch (err) {
    await clearInspections(deps, datasourceId, scope);
    throw err;
  }
  const at = deps.clock.now().toISOString();
  await sql`
    INSERT INTO datasource_inspections (datasource_id, scope, result, inspected_at)
    VALUES (${datasourceId}, ${scope}, ${JSON.stringify(result)}::jsonb, ${at}::timestamptz)
    ON CONFLICT (datasource_id, scope) DO UPDATE SET result = EXCLUDED.result, inspected_at = EXCLUDED.inspected_at
  `.execute(deps.db);
  return result;
}

/** Drops one scope's cache entry, or all of the datasource's when `scope` is omitted. */
export async function clearInspections(deps: ServiceDeps, datasourceId: string, scope?: string): Promise<void> {
  let q = deps.db.deleteFrom('datasource_inspections').where('datasource_id', '=', datasourceId);
  if (scope !== undefined) q = q.where('scope', '=', scope);
  await q.execute();
}
