/**
 * The participant-type editor as data: one row per column with its annotations (unique id, filter, strata,
 * metric, description), how rows start for a new type or a saved one, what carries over when the table
 * changes, the checks before saving, and the `fields` the API takes.
 */
import type { FieldDescriptor, ParticipantTypeDef, SchemaDiff, TableColumns } from './api.ts';

export interface FieldRow {
  readonly field_name: string;
  readonly data_type: string;
  readonly description: string;
  readonly is_unique_id: boolean;
  readonly is_filter: boolean;
  readonly is_strata: boolean;
  readonly is_metric: boolean;
}

/** Metrics are averaged and compared, so only numbers and booleans (counted as 0/1) qualify. */
const METRIC_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'float', 'decimal', 'boolean']);

export function canBeMetric(dataType: string): boolean {
  return METRIC_TYPES.has(dataType);
}

/**
 * Rows for a new type on `columns`: nothing flagged except the unique id when the table has a one-column
 * primary key (a guess the user sees and can change); descriptions come from column comments.
 */
export function rowsForNewType(columns: TableColumns): FieldRow[] {
  const pk = columns.primary_key_fields.length === 1 ? columns.primary_key_fields[0] : null;
  return columns.fields.map((f) => ({
    field_name: f.field_name,
    data_type: f.data_type,
    description: f.description,
    is_unique_id: f.field_name === pk,
    is_filter: false,
    is_strata: false,
    is_metric: false,
  }));
}

/** Rows for editing a saved type: the live columns with their saved annotations (the API's `proposed`). */
export function rowsFromDefinition(def: ParticipantTypeDef): FieldRow[] {
  return def.fields.map((f) => ({
    field_name: f.field_name,
    data_type: f.data_type,
    description: f.description,
    is_unique_id: f.is_unique_id,
    is_filter: f.is_filter,
    is_strata: f.is_strata,
    is_metric: f.is_metric && canBeMetric(f.data_type),
  }));
}

/** Rows for another table: annotations of same-named columns carry over (metric only where it still fits). */
export function rowsForTable(columns: TableColumns, previous: readonly FieldRow[]): FieldRow[] {
  const before = new Map(previous.map((r) => [r.field_name, r]));
  const fresh = rowsForNewType(columns);
  const anyUniqueCarried = fresh.some((r) => before.get(r.field_name)?.is_unique_id);
  return fresh.map((r) => {
    const old = before.get(r.field_name);
    if (!old) return anyUniqueCarried ? { ...r, is_unique_id: false } : r;
    return {
      ...r,
      description: old.description || r.description,
      is_unique_id: anyUniqueCarried ? old.is_unique_id : r.is_unique_id,
      is_filter: old.is_filter,
      is_strata: old.is_strata,
      is_metric: old.is_metric && canBeMetric(r.data_type),
    };
  });
}

/** Sets one flag of one row; choosing a unique id clears it elsewhere (there is exactly one). */
export function setFlag(rows: readonly FieldRow[], fieldName: string, flag: 'is_unique_id' | 'is_filter' | 'is_strata' | 'is_metric', value: boolean): FieldRow[] {
  return rows.map((r) => {
    if (flag === 'is_unique_id') return { ...r, is_unique_id: r.field_name === fieldName ? value : value ? false : r.is_unique_id };
    return r.field_name === fieldName ? { ...r, [flag]: value } : r;
  });
}

export interface TypeFormProblems {
  readonly name?: string;
  readonly table?: string;
  /** Problems about the rows as a whole (no unique id). */
  readonly fields?: string;
  readonly byField: Readonly<Record<string, string>>;
}

export function checkTypeForm(name: string, table: string, rows: readonly FieldRow[]): TypeFormProblems | null {
  const byField: Record<string, string> = {};
  for (const r of rows) if (r.is_metric && !canBeMetric(r.data_type)) byField[r.field_name] = `A ${r.data_type} column cannot be a metric: metrics must be numbers or booleans.`;
  const problems = {
    ...(name.trim() === '' ? { name: 'Give the participant type a name, e.g. “Learners”.' } : name.trim().length > 100 ? { name: 'At most 100 characters.' } : {}),
    ...(table === '' ? { table: 'Choose the table that holds one row per participant.' } : {}),
    ...(table !== '' && rows.length > 0 && !rows.some((r) => r.is_unique_id) ? { fields: 'Choose the unique id: the column that tells participants apart.' } : {}),
    byField,
  };
  return problems.name || problems.table || problems.fields || Object.keys(byField).length > 0 ? problems : null;
}

/** Only annotated rows are worth storing (what the server keeps on update, too). */
export function fieldsPayload(rows: readonly FieldRow[]): FieldDescriptor[] {
  return rows
    .filter((r) => r.description.trim() !== '' || r.is_unique_id || r.is_filter || r.is_strata || r.is_metric)
    .map((r) => ({ ...r, description: r.description.trim() }));
}

/** A drift entry in words, with what to do about it. */
export function describeDrift(d: SchemaDiff): { readonly what: string; readonly todo: string } {
  switch (d.type) {
    case 'table_deleted':
      return {
        what: `The table ${d.table_name} no longer exists in the warehouse.`,
        todo: 'Choose the table that replaced it below and save, or delete this participant type.',
      };
    case 'column_deleted':
      return {
        what: `The column ${d.column_name} is gone from ${d.table_name}.`,
        todo: 'Saving drops its annotation; new experiments cannot use it. Restore the column in the warehouse if it was removed by mistake.',
      };
    case 'column_changed_type':
      return {
        what: `The column ${d.column_name} changed type from ${d.old_type} to ${d.new_type}.`,
        todo: canBeMetric(d.new_type) ? 'Check its filters still make sense, then save to record the new type.' : 'It can no longer be a metric. Check its uses, then save to record the new type.',
      };
  }
}
