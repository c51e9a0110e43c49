/**
 * The fields a design may use, from either source the wizard offers: a participant type (curated: only the
 * fields annotated as filters, metrics or strata, with descriptions and example values) or a bare table
 * (every usable column: numeric and boolean ones as metrics, every other as filter and stratum).
 */
import type { ColumnType, FilterScalar, ParticipantType, ParticipantTypeInspection, TableInspection } from '../api-types.ts';

export interface CatalogField {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  /** Every value the column holds, when the warehouse listed them (participant types only). */
  readonly distinctValues?: readonly FilterScalar[];
  readonly min?: FilterScalar;
  readonly max?: FilterScalar;
}

export interface FieldCatalog {
  readonly tableName: string;
  readonly primaryKey: string;
  readonly filters: readonly CatalogField[];
  readonly metrics: readonly CatalogField[];
  readonly strata: readonly CatalogField[];
}

export const METRIC_TYPES: ReadonlySet<ColumnType> = new Set(['boolean', 'integer', 'bigint', 'float', 'decimal']);
export const ID_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'uuid', 'string']);

export function uniqueIdOf(type: ParticipantType): string | undefined {
  return type.fields.find((f) => f.is_unique_id)?.field_name;
}

export function catalogFromParticipantType(type: ParticipantType, inspection: ParticipantTypeInspection): FieldCatalog {
  const primaryKey = uniqueIdOf(type) ?? '';
  const plain = (f: { field_name: string; data_type: ColumnType; description: string }): CatalogField => ({ name: f.field_name, type: f.data_type, description: f.description });
  return {
    tableName: type.table_name,
    primaryKey,
    filters: inspection.filters
      .filter((f) => f.data_type !== 'unsupported')
      .map((f) => ({
        ...plain(f),
        // A truncated list is only a sample: offering it as the full set of choices would mislead.
        ...(f.distinct_values && !f.distinct_values_truncated ? { distinctValues: f.distinct_values } : {}),
        ...(f.min !== undefined ? { min: f.min } : {}),
        ...(f.max !== undefined ? { max: f.max } : {}),
      })),
    metrics: inspection.metrics.filter((f) => METRIC_TYPES.has(f.data_type) && f.field_name !== primaryKey).map(plain),
    strata: inspection.strata.filter((f) => f.data_type !== 'unsupported' && f.field_name !== primaryKey).map(plain),
  };
}

export function catalogFromTable(table: TableInspection, primaryKey: string): FieldCatalog {
  const usable = table.fields.filter((f) => f.data_type !== 'unsupported');
  const plain = (f: { field_name: string; data_type: ColumnType; description: string }): CatalogField => ({ name: f.field_name, type: f.data_type, description: f.description });
  return {
    tableName: table.table_name,
    primaryKey,
    filters: usable.filter((f) => f.field_name !== primaryKey).map(plain),
    metrics: usable.filter((f) => METRIC_TYPES.has(f.data_type) && f.field_name !== primaryKey).map(plain),
    strata: usable.filter((f) => f.field_name !== primaryKey).map(plain),
  };
}

/**
 * What a warehouse bandit on a participant type may read its outcome from: the yes/no and number columns of
 * the type's table that the type marks as metrics, or every such column when it marks none (or none of its
 * marks is still in the table). Types come from the live table, since the type's stored ones may have
 * drifted; descriptions come from the type. A bandit has no filters or strata.
 */
export function outcomeCatalogFromParticipantType(type: ParticipantType, table: TableInspection): FieldCatalog {
  const primaryKey = uniqueIdOf(type) ?? '';
  const described = new Map(type.fields.map((f) => [f.field_name, f]));
  const usable = table.fields.filter((f) => METRIC_TYPES.has(f.data_type) && f.field_name !== primaryKey);
  const marked = usable.filter((f) => described.get(f.field_name)?.is_metric);
  return {
    tableName: type.table_name,
    primaryKey,
    filters: [],
    metrics: (marked.length > 0 ? marked : usable).map((f) => ({ name: f.field_name, type: f.data_type, description: described.get(f.field_name)?.description || f.description })),
    strata: [],
  };
}

/** The column a table's unique id most likely is: its primary key, else the first detected unique column. */
export function suggestedUniqueId(table: TableInspection): string {
  return table.primary_key_fields[0] ?? table.detected_unique_id_fields[0] ?? '';
}

export function typeLabel(type: ColumnType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'float':
    case 'decimal':
      return 'number';
    case 'timestamptz':
      return 'timestamp (UTC)';
    default:
      return type;
  }
}
