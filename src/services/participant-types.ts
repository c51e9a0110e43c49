/**
 * Participant types (spec §1.6, §3.3): a warehouse table with annotated columns that drives the design
 * pickers (filters with exemplars, metrics, strata). Experiments do not reference them; a type only
 * describes a table, so its saved annotations can drift from the live schema, which `getParticipantType`
 * reports (deleted columns, changed types, a deleted table).
 */
import { sql } from 'kysely';
import { AppError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { ColumnInfo, TableInfo } from '../warehouse/warehouse.ts';
import { requireDatasource } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { clearInspections, withDatasourceWarehouse } from './datasource-warehouse.ts';
import { describeCached } from './datasources.ts';
import type { CreateParticipantType, FieldDescriptorInput, UpdateParticipantType } from './participant-types-schema.ts';

/** A saved field annotation, as stored and returned. */
export interface FieldDescriptor {
  readonly field_name: string;
  readonly data_type: string;
  readonly description: string;
  readonly is_unique_id: boolean;
  readonly is_strata: boolean;
  readonly is_filter: boolean;
  readonly is_metric: boolean;
  readonly extra?: Record<string, unknown> | null;
}

export type SchemaDiff =
  | { readonly type: 'table_deleted'; readonly table_name: string }
  | { readonly type: 'column_deleted'; readonly table_name: string; readonly column_name: string }
  | { readonly type: 'column_changed_type'; readonly table_name: string; readonly column_name: string; readonly old_type: string; readonly new_type: string };

type Row = { datasource_id: string; name: string; table_name: string; fields: unknown[]; hidden: boolean };

function definition(row: Row) {
  return { type: 'schema' as const, participant_type: row.name, table_name: row.table_name, fields: row.fields as FieldDescriptor[], hidden: row.hidden };
}

function conflictingName(name: string): ValidationError {
  return new ValidationError([{ loc: ['body', 'participant_type'], msg: `A participant type named '${name}' already exists in this datasource.`, type: 'value_error' }]);
}

/** Case-insensitive lookup (the reference's), 404 when absent. */
async function findType(ctx: ServiceContext<UserActor>, datasourceId: string, name: string): Promise<Row | undefined> {
  return ctx.db
    .selectFrom('participant_types')
    .select(['datasource_id', 'name', 'table_name', 'fields', 'hidden'])
    .where('datasource_id', '=', datasourceId)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

async function requireType(ctx: ServiceContext<UserActor>, datasourceId: string, name: string): Promise<Row> {
  const row = await findType(ctx, datasourceId, name);
  if (!row) throw new NotFoundError(`Participant type '${name}' not found.`);
  return row;
}

/** Missing data types are taken from the live column; fields the table lacks keep what was given. */
function withTypes(fields: readonly FieldDescriptorInput[], table: TableInfo | null): FieldDescriptor[] {
  const live = new Map(table?.columns.map((c) => [c.name, c]) ?? []);
  return fields.map((f) => ({
    field_name: f.field_name,
    data_type: f.data_type ?? live.get(f.field_name)?.type ?? 'unknown',
    description: f.description,
    is_unique_id: f.is_unique_id,
    is_strata: f.is_strata,
    is_filter: f.is_filter,
    is_metric: f.is_metric,
    ...(f.extra != null ? { extra: f.extra } : {}),
  }));
}

/**
 * Only fields worth remembering are kept: described ones, or those flagged as unique id, filter, metric or
 * stratum (the reference's "dehydration" on update), so a UI that sends every column stores only annotations.
 */
function dehydrated(fields: readonly FieldDescriptor[]): FieldDescriptor[] {
  return fields.filter((f) => f.description !== '' || f.is_unique_id || f.is_filter || f.is_metric || f.is_strata);
}

/** Appends a participant type after checking that its table exists (404 naming the known tables otherwise). */
export async function createParticipantType(ctx: ServiceContext<UserActor>, datasourceId: string, input: CreateParticipantType) {
  const ds = await requireDatasource(ctx, datasourceId);
  const table = await describeCached(ctx, ds, input.schema_def.table_name, false);
  const fields = withTypes(input.schema_def.fields, table);
  if (await findType(ctx, ds.id, input.participant_type)) throw conflictingName(input.participant_type);
  const inserted = await ctx.db
    .insertInto('participant_types')
    .values({ datasource_id: ds.id, name: input.participant_type, table_name: table.name, fields: JSON.stringify(fields) })
    .onConflict((oc) => oc.doNothing())
    .returning('name')
    .executeTakeFirst();
  // The case-insensitive unique index settles a race between two creates of the same name.
  if (!inserted) throw conflictingName(input.participant_type);
  return { participant_type: input.participant_type, schema_def: { table_name: table.name, fields } };
}

/** The saved type, the live table merged with its annotations, and how the two differ. */
export async function getParticipantType(ctx: ServiceContext<UserActor>, datasourceId: string, name: string) {
  const ds = await requireDatasource(ctx, datasourceId);
  const row = await requireType(ctx, ds.id, name);
  const current = definition(row);
  if (ds.driver === 'none') throw new AppError('bad_request', 'This datasource has no warehouse (API only).');
  // Fresh, not cached: drift is about what the table is now.
  const table = await withDatasourceWarehouse(ctx, ds, async (w) => ((await w.listTables()).includes(row.table_name) ? w.describeTable(row.table_name) : null));
  if (table === null) {
    return { current, proposed: current, drift: { schema_diff: [{ type: 'table_deleted', table_name: row.table_name }] satisfies SchemaDiff[] } };
  }
  const live = new Map(table.columns.map((c) => [c.name, c]));
  const schemaDiff: SchemaDiff[] = [];
  for (const f of current.fields) {
    const column = live.get(f.field_name);
    if (!column) schemaDiff.push({ type: 'column_deleted', table_name: row.table_name, column_name: f.field_name });
    else if (f.data_type !== column.type) {
      schemaDiff.push({ type: 'column_changed_type', table_name: row.table_name, column_name: f.field_name, old_type: f.data_type, new_type: column.type });
    }
  }
  return { current, proposed: { ...current, fields: proposedFields(current.fields, table.columns) }, drift: { schema_diff: schemaDiff } };
}

/** Every supported live column, sorted, carrying its saved annotations (with the live type) when it has any. */
function proposedFields(saved: readonly FieldDescriptor[], columns: readonly ColumnInfo[]): FieldDescriptor[] {
  const byName = new Map(saved.map((f) => [f.field_name, f]));
  return columns
    .filter((c) => c.type !== 'unsupported')
    .map((c) => {
      const f = byName.get(c.name);
      return {
        field_name: c.name,
        data_type: c.type,
        description: f?.description || (c.description ?? ''),
        is_unique_id: f?.is_unique_id ?? false,
        is_strata: f?.is_strata ?? false,
        is_filter: f?.is_filter ?? false,
        is_metric: f?.is_metric ?? false,
      };
    });
}

/** Renames, repoints or re-annotates a type; given fields are dehydrated. Clears the type's cached exemplars. */
export async function updateParticipantType(ctx: ServiceContext<UserActor>, datasourceId: string, name: string, input: UpdateParticipantType) {
  const ds = await requireDatasource(ctx, datasourceId);
  const row = await requireType(ctx, ds.id, name);
  const tableName = input.table_name ?? row.table_name;
  const table = input.table_name !== undefined || input.fields !== undefined ? await describeCached(ctx, ds, tableName, input.table_name !== undefined) : null;
  const fields = input.fields !== undefined ? dehydrated(withTypes(input.fields, table)) : (row.fields as FieldDescriptor[]);
  const newName = input.participant_type ?? row.name;
  if (newName.toLowerCase() !== row.name.toLowerCase() && (await findType(ctx, ds.id, newName))) throw conflictingName(newName);
  try {
    await ctx.db
      .updateTable('participant_types')
      .set({ name: newName, table_name: tableName, fields: JSON.stringify(fields), updated_at: ctx.clock.now() })
      .where('datasource_id', '=', ds.id)
      .where('name', '=', row.name)
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw conflictingName(newName);
    throw err;
  }
  await clearInspections(ctx, ds.id, exemplarScope(row.table_name));
  if (tableName !== row.table_name) await clearInspections(ctx, ds.id, exemplarScope(tableName));
  return { participant_type: newName, table_name: tableName, fields };
}

/** Deletes a type; an unknown name is 404 unless `allowMissing`. */
export async function deleteParticipantType(ctx: ServiceContext<UserActor>, datasourceId: string, name: string, allowMissing: boolean): Promise<void> {
  const ds = await requireDatasource(ctx, datasourceId);
  const row = await findType(ctx, ds.id, name);
  if (!row) {
    if (allowMissing) return;
    throw new NotFoundError(`Participant type '${name}' not found.`);
  }
  await ctx.db.deleteFrom('participant_types').where('datasource_id', '=', ds.id).where('name', '=', row.name).execute();
}

/** The inspection-cache scope of a table's filter exemplars (shared with `inspectParticipantType`). */
export function exemplarScope(tableName: string): string {
  return `${tableName}#exemplars`;
}
