/**
 * Creating, changing and deleting datasources (spec §1.6). Hosts pass the SSRF guard before anything is
 * stored (400 "DNS resolution failed…"), credentials are encrypted before they reach the database, and an
 * optional connectivity check runs against the warehouse before the row is written — outside any
 * transaction, since it is network I/O.
 */
import { AppError, MessageNotFoundError, ValidationError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { DnsLookupError, safeResolve, UnsafeAddressError } from '../net/safe-resolve.ts';
import { requireDatasource, requireOrganization } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { driverOf, hiddenCredentialProblem, revealsCredential, secretOf, toStoredConfig, type Dsn, type StoredConfig } from './datasource-dsn.ts';
import { requireKeyset } from './datasource-secrets.ts';
import { clearInspections, withDatasourceWarehouse } from './datasource-warehouse.ts';

export interface CreateDatasourceInput {
  readonly organization_id: string;
  readonly name: string;
  readonly dsn: Dsn;
}

export interface UpdateDatasourceInput {
  readonly name?: string | undefined;
  readonly dsn?: Dsn | undefined;
}

async function checkHost(ctx: ServiceContext<UserActor>, dsn: Dsn): Promise<void> {
  if (!('host' in dsn)) return;
  try {
    await safeResolve(dsn.host, { allowPrivateIps: ctx.allowPrivateIps, allowIpv6: true });
  } catch (err) {
    if (err instanceof DnsLookupError || err instanceof UnsafeAddressError) {
      throw new AppError('bad_request', `DNS resolution failed for ${dsn.host}: ${err.message}`, { shape: 'message' });
    }
    throw err;
  }
}

/** A 422 located at the dsn's credential field (`password`, or `credentials` for BigQuery). */
function credentialIssue(dsn: Dsn, msg: string): ValidationError {
  return new ValidationError([{ loc: ['body', 'dsn', secretOf(dsn)?.field ?? 'password'], msg, type: 'credentials' }]);
}

/**
 * @example await createDatasource(ctx, { organization_id: 'o_1', name: 'Shop', dsn: { type: 'duckdb', path: 'shop.duckdb' } }, false) // { id: 'ds_…' }
 */
export async function createDatasource(ctx: ServiceContext<UserActor>, input: CreateDatasourceInput, connectivityCheck: boolean): Promise<{ id: string }> {
  await requireOrganization(ctx, input.organization_id);
  const problem = hiddenCredentialProblem(input.dsn, undefined);
  if (problem) throw credentialIssue(input.dsn, problem);
  if (revealsCredential(input.dsn)) requireKeyset(ctx);
  await checkHost(ctx, input.dsn);
  const id = newId('datasource');
  const config = toStoredConfig(input.dsn, id, ctx.secrets, undefined);
  if (connectivityCheck) await withDatasourceWarehouse(ctx, { id, config }, (w) => w.checkConnectivity());
  await ctx.db
    .insertInto('datasources')
    .values({ id, organization_id: input.organization_id, name: input.name, driver: driverOf(input.dsn), config: JSON.stringify(config) })
    .execute();
  return { id };
}

/** Name and/or settings; a hidden password keeps the stored ciphertext if the driver is unchanged. Clears inspection caches. */
export async function updateDatasource(ctx: ServiceContext<UserActor>, datasourceId: string, input: UpdateDatasourceInput): Promise<void> {
  const ds = await requireDatasource(ctx, datasourceId);
  let config: StoredConfig | undefined;
  if (input.dsn) {
    const problem = hiddenCredentialProblem(input.dsn, ds.config as StoredConfig);
    if (problem) throw credentialIssue(input.dsn, problem);
    if (revealsCredential(input.dsn)) requireKeyset(ctx);
    await checkHost(ctx, input.dsn);
    config = toStoredConfig(input.dsn, ds.id, ctx.secrets, ds.config as StoredConfig);
  }
  await ctx.db
    .updateTable('datasources')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(config && input.dsn ? { config: JSON.stringify(config), driver: driverOf(input.dsn) } : {}),
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', ds.id)
    .execute();
  await clearInspections(ctx, ds.id);
}

export async function deleteDatasource(ctx: ServiceContext<UserActor>, datasourceId: string, allowMissing: boolean): Promise<void> {
  try {
    await requireDatasource(ctx, datasourceId);
  } catch (err) {
    if (allowMissing && err instanceof MessageNotFoundError) return;
    throw err;
  }
  await ctx.db.deleteFrom('datasources').where('id', '=', datasourceId).execute();
}
