/**
 * Datasources and what their warehouses hold. Credentials never leave this layer: summaries carry the
 * driver and name only.
 */
import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Datasource } from '../store/schema.ts';
import type { ColumnType } from '../warehouse/warehouse.ts';
import { requireDatasource, requireOrganization } from './access.ts';
import { withWarehouse, type ServiceContext, type UserActor } from './context.ts';

export function summarizeDatasource(d: Pick<Datasource, 'id' | 'name' | 'driver' | 'organization_id'>, organizationName: string) {
  return { id: d.id, name: d.name, driver: d.driver, type: 'remote' as const, organization_id: d.organization_id, organization_name: organizationName };
}

/** The org's datasources, busiest first (by experiment count), then by name. */
export async function listDatasources(ctx: ServiceContext<UserActor>, organizationId: string) {
  const org = await requireOrganization(ctx, organizationId);
  const rows = await ctx.db
    .selectFrom('datasources as d')
    .selectAll('d')
    .select((eb) =>
      eb.selectFrom('experiments as e').whereRef('e.datasource_id', '=', 'd.id').select(sql<string>`count(*)`.as('n')).as('experiment_count'),
    )
    .where('d.organization_id', '=', organizationId)
    .execute();
  rows.sort((a, b) => Number(b.experiment_count) - Number(a.experiment_count) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { items: rows.map((d) => summarizeDatasource(d, org.name)) };
}

export async function getDatasource(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  return {
    id: ds.id,
    name: ds.name,
    driver: ds.driver,
    organization_id: ds.organization_id,
    organization_name: ds.organization_name,
    dsn: publicDsn(ds.config),
  };
}

/** The stored connection settings with every secret replaced by `{type: "hidden"}`. */
function publicDsn(config: Record<string, unknown>): Record<string, unknown> {
  const driver = config.driver;
  if (driver === 'duckdb') return { type: 'duckdb', path: config.path };
  if (driver === 'none') return { type: 'api_only' };
  return { type: String(driver), credentials: { type: 'hidden' } };
}

export async function inspectTables(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  const tables = await withWarehouse(ctx, ds.config, (w) => w.listTables());
  return { tables };
}

/** Columns of one table with the reference's field shape and unique-id candidates. */
export async function inspectTable(ctx: ServiceContext<UserActor>, datasourceId: string, tableName: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  if (ds.driver === 'none') throw new AppError('bad_request', 'This datasource has no warehouse (API only).');
  const table = await withWarehouse(ctx, ds.config, (w) => w.describeTable(tableName));
  const supported = table.columns.filter((c) => c.type !== 'unsupported');
  const uniqueIdCandidates = supported
    .filter((c) => /(id|hash)$/i.test(c.name) || c.type === 'uuid' || (table.primaryKey.length === 1 && table.primaryKey[0] === c.name))
    .map((c) => c.name);
  return {
    table_name: table.name,
    primary_key_fields: [...table.primaryKey],
    detected_unique_id_fields: uniqueIdCandidates,
    fields: supported.map((c) => ({ field_name: c.name, data_type: c.type as ColumnType, description: c.description ?? '' })),
    unsupported_fields: table.columns.filter((c) => c.type === 'unsupported').map((c) => ({ field_name: c.name, native_type: c.nativeType })),
  };
}

export async function listParticipantTypes(ctx: ServiceContext<UserActor>, datasourceId: string) {
  await requireDatasource(ctx, datasourceId);
  const rows = await ctx.db
    .selectFrom('participant_types')
    .selectAll()
    .where('datasource_id', '=', datasourceId)
    .orderBy('name')
    .execute();
  return {
    items: rows.map((r) => ({ type: 'schema' as const, participant_type: r.name, table_name: r.table_name, fields: r.fields })),
  };
}
