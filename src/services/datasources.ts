/**
 * Datasources and what their warehouses hold. Credentials never leave this layer: summaries carry the
 * driver and name only.
 */
import { sql } from 'kysely';
import { AppError, MessageNotFoundError } from '../domain/errors.ts';
import type { Datasource } from '../store/schema.ts';
import type { ColumnType, FieldExemplars, TableInfo } from '../warehouse/warehouse.ts';
import { requireDatasource, requireOrganization } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { publicDsn } from './datasource-dsn.ts';
import { cachedInspection, TABLE_LIST_SCOPE, withDatasourceWarehouse } from './datasource-warehouse.ts';

export function summarizeDatasource(d: Pick<Datasource, 'id' | 'name' | 'driver' | 'organization_id'>, organizationName: string) {
  return { id: d.id, name: d.name, driver: d.driver, type: 'remote' as const, organization_id: d.organization_id, organization_name: organizationName };
}

/**
 * The org's datasources, busiest first (by experiment count), then by name. Beyond the reference's
 * summary, each carries what a list screen shows and a delete would cascade to: its experiment and API-key
 * counts and the names of its visible participant types.
 */
export async function listDatasources(ctx: ServiceContext<UserActor>, organizationId: string) {
  const org = await requireOrganization(ctx, organizationId);
  const rows = await ctx.db
    .selectFrom('datasources as d')
    .selectAll('d')
    .select((eb) => [
      eb.selectFrom('experiments as e').whereRef('e.datasource_id', '=', 'd.id').select(sql<string>`count(*)`.as('n')).as('experiment_count'),
      eb.selectFrom('api_keys as k').whereRef('k.datasource_id', '=', 'd.id').select(sql<string>`count(*)`.as('n')).as('api_key_count'),
    ])
    .where('d.organization_id', '=', organizationId)
    .execute();
  const types = await ctx.db
    .selectFrom('participant_types as p')
    .innerJoin('datasources as d', 'd.id', 'p.datasource_id')
    .select(['p.datasource_id', 'p.name'])
    .where('d.organization_id', '=', organizationId)
    .where('p.hidden', '=', false)
    .orderBy('p.name')
    .execute();
  rows.sort((a, b) => Number(b.experiment_count) - Number(a.experiment_count) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return {
    items: rows.map((d) => ({
      ...summarizeDatasource(d, org.name),
      experiment_count: Number(d.experiment_count),
      api_key_count: Number(d.api_key_count),
      participant_types: types.filter((t) => t.datasource_id === d.id).map((t) => t.name),
    })),
  };
}

export async function getDatasource(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  const counts = await ctx.db
    .selectNoFrom((eb) => [
      eb.selectFrom('experiments').where('datasource_id', '=', ds.id).select(sql<string>`count(*)`.as('n')).as('experiment_count'),
      eb.selectFrom('api_keys').where('datasource_id', '=', ds.id).select(sql<string>`count(*)`.as('n')).as('api_key_count'),
    ])
    .executeTakeFirstOrThrow();
  return {
    id: ds.id,
    name: ds.name,
    driver: ds.driver,
    organization_id: ds.organization_id,
    organization_name: ds.organization_name,
    dsn: publicDsn(ds.config),
    experiment_count: Number(counts.experiment_count),
    api_key_count: Number(counts.api_key_count),
  };
}

/** The table list, from the app-DB cache unless `refresh` (or it is older than five minutes). */
export async function inspectTables(ctx: ServiceContext<UserActor>, datasourceId: string, refresh = false) {
  const ds = await requireDatasource(ctx, datasourceId);
  if (ds.driver === 'none') return { tables: [] as string[] };
  const tables = await cachedInspection(ctx, ds.id, TABLE_LIST_SCOPE, refresh, () => withDatasourceWarehouse(ctx, ds, (w) => w.listTables()));
  return { tables };
}

/** A table's columns from the five-minute inspection cache; 400 for an API-only datasource. */
export async function describeCached(ctx: ServiceContext<UserActor>, ds: Pick<Datasource, 'id' | 'config' | 'driver'>, tableName: string, refresh: boolean): Promise<TableInfo> {
  if (ds.driver === 'none') throw new AppError('bad_request', 'This datasource has no warehouse (API only).');
  return cachedInspection(ctx, ds.id, tableName, refresh, () => withDatasourceWarehouse(ctx, ds, (w) => w.describeTable(tableName)));
}

/** Columns of one table with the reference's field shape and unique-id candidates. */
export async function inspectTable(ctx: ServiceContext<UserActor>, datasourceId: string, tableName: string, refresh = false) {
  const ds = await requireDatasource(ctx, datasourceId);
  const table = await describeCached(ctx, ds, tableName, refresh);
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

const DISCRETE: ReadonlySet<ColumnType> = new Set(['boolean', 'string', 'uuid']);

interface FieldDescriptor {
  readonly field_name: string;
  readonly data_type?: string;
  readonly description?: string;
  readonly is_filter?: boolean;
  readonly is_metric?: boolean;
  readonly is_strata?: boolean;
}

/**
 * The filter, metric and strata fields of a participant type (spec §1.6), with exemplars for filter
 * pickers when `expensive`: up to 1,000 sorted distinct values for discrete fields, min/max otherwise.
 */
export async function inspectParticipantType(ctx: ServiceContext<UserActor>, datasourceId: string, participantType: string, refresh: boolean, expensive: boolean) {
  const ds = await requireDatasource(ctx, datasourceId);
  const pt = await ctx.db
    .selectFrom('participant_types')
    .selectAll()
    .where('datasource_id', '=', ds.id)
    .where(sql<boolean>`lower(name) = lower(${participantType})`)
    .executeTakeFirst();
  if (!pt) throw new MessageNotFoundError(`Participant type '${participantType}' not found.`);
  const table = await describeCached(ctx, ds, pt.table_name, refresh);
  const typeOf = new Map(table.columns.map((c) => [c.name, c.type]));
  const fields = (pt.fields as FieldDescriptor[]).filter((f) => typeOf.has(f.field_name) && typeOf.get(f.field_name) !== 'unsupported');
  const filterFields = fields.filter((f) => f.is_filter);
  const exemplars = new Map<string, FieldExemplars>();
  if (expensive && filterFields.length > 0) {
    const scope = `${pt.table_name}#exemplars`;
    const computed = await cachedInspection(ctx, ds.id, scope, refresh, () =>
      withDatasourceWarehouse(ctx, ds, async (w) => {
        const out: Record<string, FieldExemplars> = {};
        for (const f of filterFields) out[f.field_name] = await w.fieldExemplars(pt.table_name, f.field_name);
        return out;
      }),
    );
    for (const [k, v] of Object.entries(computed)) exemplars.set(k, v);
  }
  const describe = (f: FieldDescriptor) => ({ field_name: f.field_name, data_type: typeOf.get(f.field_name) as ColumnType, description: f.description ?? '' });
  return {
    filters: filterFields.map((f) => {
      const type = typeOf.get(f.field_name) as ColumnType;
      const discrete = DISCRETE.has(type) || f.field_name.endsWith('_id');
      const ex = exemplars.get(f.field_name);
      return {
        ...describe(f),
        relations: discrete ? ['includes', 'excludes'] : ['between', 'excludes', 'includes'],
        ...(ex?.kind === 'distinct' ? { distinct_values: [...ex.values], distinct_values_truncated: ex.truncated } : {}),
        ...(ex?.kind === 'range' ? { min: ex.min, max: ex.max } : {}),
      };
    }),
    metrics: fields.filter((f) => f.is_metric).map(describe),
    strata: fields.filter((f) => f.is_strata).map(describe),
  };
}

/** Visible participant types sorted by name; `has_hidden` says whether auto-generated ones were left out. */
export async function listParticipantTypes(ctx: ServiceContext<UserActor>, datasourceId: string) {
  await requireDatasource(ctx, datasourceId);
  const rows = await ctx.db
    .selectFrom('participant_types')
    .selectAll()
    .where('datasource_id', '=', datasourceId)
    .orderBy('name')
    .execute();
  return {
    items: rows
      .filter((r) => !r.hidden)
      .map((r) => ({ type: 'schema' as const, participant_type: r.name, table_name: r.table_name, fields: r.fields, hidden: false })),
    has_hidden: rows.some((r) => r.hidden),
  };
}
