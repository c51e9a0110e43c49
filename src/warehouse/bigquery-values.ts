/**
 * BigQuery's types and values as Equipoise sees them. Column types come from the tables API (legacy names
 * such as `INTEGER`) or from a query result schema (either spelling), so both are accepted. Result values
 * are read from the REST `{"f": [{"v": …}]}` rows ourselves rather than through the client's parser: the
 * parser turns INT64 into JS numbers (losing digits past 2^53) and NUMERIC into Big.js objects, while the
 * interface wants exact strings.
 */
import { canonicalTimestamp, finiteOrNull } from './value-format.ts';
import type { ColumnType, WarehouseRow, WarehouseValue } from './warehouse.ts';

/** Legacy (tables API) spellings to the standard SQL names we report as `nativeType`. */
const STANDARD_NAMES: Readonly<Record<string, string>> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
  RECORD: 'STRUCT',
  DECIMAL: 'NUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
};

const COLUMN_TYPES: Readonly<Record<string, ColumnType>> = {
  BOOL: 'boolean',
  STRING: 'string',
  INT64: 'bigint',
  FLOAT64: 'float',
  NUMERIC: 'decimal',
  BIGNUMERIC: 'decimal',
  DATE: 'date',
  DATETIME: 'timestamp',
  TIMESTAMP: 'timestamptz',
};

/** The standard SQL name of a BigQuery type, parameters such as `(10, 2)` dropped. */
export function standardBigQueryType(type: string): string {
  const base = type.trim().toUpperCase().replace(/\s*\(.*$/, '');
  return STANDARD_NAMES[base] ?? base;
}

/**
 * Our column type for a BigQuery field; repeated fields (arrays) and every other type are unsupported.
 *
 * @example normalizeBigQueryType('INTEGER') // 'bigint'
 * @example normalizeBigQueryType('NUMERIC(10, 2)') // 'decimal'
 */
export function normalizeBigQueryType(type: string, mode?: string | null): ColumnType {
  if (mode?.toUpperCase() === 'REPEATED') return 'unsupported';
  return COLUMN_TYPES[standardBigQueryType(type)] ?? 'unsupported';
}

/** The type name shown to users: `ARRAY<…>` for repeated fields, standard names otherwise. */
export function bigQueryNativeType(type: string, mode?: string | null): string {
  const name = standardBigQueryType(type);
  return mode?.toUpperCase() === 'REPEATED' ? `ARRAY<${name}>` : name;
}

const MICROS_PER_SECOND = 1_000_000n;

/**
 * A TIMESTAMP as the canonical `…Z` text. The client asks for `useInt64Timestamp`, so values arrive as
 * microseconds since the epoch; float seconds (older API answers) and ISO text are accepted too.
 *
 * @example bigQueryTimestamp('1709294405250000') // '2024-03-01T12:00:05.250000Z'
 */
export function bigQueryTimestamp(raw: string): string {
  if (/^-?\d+$/.test(raw)) {
    const micros = BigInt(raw);
    let seconds = micros / MICROS_PER_SECOND;
    let fraction = micros % MICROS_PER_SECOND;
    // BigInt division truncates toward zero; instants before 1970 need the floor.
    if (fraction < 0n) {
      seconds -= 1n;
      fraction += MICROS_PER_SECOND;
    }
    const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
    return `${whole}${fraction === 0n ? '' : `.${fraction.toString().padStart(6, '0')}`}Z`;
  }
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds)) {
    const micros = BigInt(Math.round(seconds * 1e6));
    return bigQueryTimestamp(micros.toString());
  }
  return canonicalTimestamp(raw.replace(/ UTC$/, ''), true);
}

/** One field of a result schema, as the REST API describes it. */
export interface BigQueryField {
  readonly name?: string | null | undefined;
  readonly type?: string | null | undefined;
  readonly mode?: string | null | undefined;
}

/** One REST cell value of a field of `type` as a `WarehouseValue`. */
export function bigQueryValue(type: string, raw: unknown): WarehouseValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  switch (standardBigQueryType(type)) {
    case 'BOOL':
      return raw === 'true';
    case 'FLOAT64':
      return finiteOrNull(raw);
    case 'DATETIME':
      return canonicalTimestamp(raw, false);
    case 'TIMESTAMP':
      return bigQueryTimestamp(raw);
    default:
      // INT64 and NUMERIC stay exact strings; STRING and DATE are already canonical.
      return raw;
  }
}

/** A REST row `{f: [{v}]}` paired with its schema; repeated and record cells come back as JSON text. */
export function bigQueryRow(fields: readonly BigQueryField[], row: { readonly f?: readonly { readonly v?: unknown }[] | null }): WarehouseRow {
  const out: Record<string, WarehouseValue> = {};
  (row.f ?? []).forEach((cell, i) => {
    const field = fields[i];
    if (!field?.name) return;
    const repeated = field.mode?.toUpperCase() === 'REPEATED';
    out[field.name] = repeated ? JSON.stringify(cell.v ?? null) : bigQueryValue(field.type ?? 'STRING', cell.v);
  });
  return out;
}
