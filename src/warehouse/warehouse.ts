/**
 * The one interface through which Equipoise reads a customer's warehouse. Design, preassignment and
 * analysis use only this; each engine implements it in its own file. Values come back normalized to
 * JSON-safe scalars so callers never see driver types.
 */

/** Normalized column types. `unsupported` columns are reported, never crashed on. */
export type ColumnType =
  | 'boolean'
  | 'string'
  | 'uuid'
  | 'integer'
  | 'bigint'
  | 'float'
  | 'decimal'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'unsupported';

export interface ColumnInfo {
  readonly name: string;
  readonly type: ColumnType;
  /** The engine's own type name, e.g. `VARCHAR`, `DOUBLE`. */
  readonly nativeType: string;
  readonly description: string | null;
}

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
}

export type FilterValue = string | number | boolean | null;

export interface Filter {
  readonly field_name: string;
  readonly relation: 'includes' | 'excludes' | 'between';
  readonly value: readonly FilterValue[];
}

/**
 * A scalar as callers receive it: booleans and finite numbers as JSON, bigint/decimal/uuid/date/timestamp
 * values as strings (ISO 8601 for dates and timestamps), NULL as null.
 */
export type WarehouseValue = string | number | boolean | null;
export type WarehouseRow = Readonly<Record<string, WarehouseValue>>;

export interface SampleRequest {
  readonly table: string;
  readonly columns: readonly string[];
  readonly filters: readonly Filter[];
  /** How many rows at most. */
  readonly limit: number;
  /** With a seed the same rows come back every time (for reproducible designs); without, a fresh random sample. */
  readonly seed?: number | undefined;
}

export interface Warehouse {
  /** Tables and views, sorted. */
  listTables(): Promise<string[]>;
  /** Columns sorted by name. Throws `MessageNotFoundError` naming the known tables when the table is missing. */
  describeTable(table: string): Promise<TableInfo>;
  /** A uniform random sample of rows that pass every filter. */
  sample(request: SampleRequest): Promise<WarehouseRow[]>;
  close(): Promise<void>;
}
