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
 * values as strings (ISO 8601 for dates and timestamps: `YYYY-MM-DDTHH:MM:SS[.ffffff]`, plus `Z` for
 * timestamptz), NULL as null.
 */
export type WarehouseValue = string | number | boolean | null;
export type WarehouseRow = Readonly<Record<string, WarehouseValue>>;

/** Cluster sampling: whole clusters are drawn, then every eligible row of the drawn clusters returned. */
export interface ClusterSample {
  /** The column holding the cluster key; rows whose key is NULL are never eligible. */
  readonly field: string;
  /** How many clusters to draw at most. */
  readonly clusters: number;
}

export interface SampleRequest {
  readonly table: string;
  readonly columns: readonly string[];
  readonly filters: readonly Filter[];
  /** How many rows at most (ignored for cluster samples, which are capped by the datasource's row cap). */
  readonly limit: number;
  /** With a seed the same rows come back every time (for reproducible designs); without, a fresh random sample. */
  readonly seed?: number | undefined;
  readonly cluster?: ClusterSample | undefined;
}

export interface CountRequest {
  readonly table: string;
  readonly filters: readonly Filter[];
}

/** Moments of one metric over the rows passing the filters; booleans count as 0/1. */
export interface MetricBaseline {
  readonly field: string;
  /** Eligible rows. */
  readonly n: number;
  /** Eligible rows where the metric is not NULL. */
  readonly nonNullN: number;
  readonly mean: number | null;
  /** Population standard deviation (divisor n, not n - 1). */
  readonly sd: number | null;
}

export interface BaselineRequest {
  readonly table: string;
  readonly filters: readonly Filter[];
  readonly metrics: readonly string[];
}

/**
 * The one-way ANOVA sums from which an intraclass correlation is computed (see `iccFromInputs`), over the
 * eligible rows with a non-NULL metric and cluster key.
 */
export interface IccInputs {
  readonly clusters: number;
  readonly n: number;
  /** Σ nᵢ², for the average cluster size n₀ of unbalanced designs. */
  readonly sumSquaredSizes: number;
  readonly ssBetween: number;
  readonly ssWithin: number;
}

export interface IccRequest {
  readonly table: string;
  readonly filters: readonly Filter[];
  readonly metric: string;
  readonly clusterField: string;
}

/** What a filter picker shows for one field: its distinct values when few, otherwise (or for numbers/dates) its range. */
export type FieldExemplars =
  | { readonly kind: 'distinct'; readonly values: readonly WarehouseValue[]; readonly truncated: boolean }
  | { readonly kind: 'range'; readonly min: WarehouseValue; readonly max: WarehouseValue };

export interface FetchRequest {
  readonly table: string;
  /** The participant id column. */
  readonly idField: string;
  /** Columns to return besides the id (metrics, covariates). */
  readonly columns: readonly string[];
  /** Participant ids as strings (the form assignments store); consumed lazily, batch by batch. */
  readonly ids: Iterable<string> | AsyncIterable<string>;
  /** Ids per statement; defaults to `DEFAULT_FETCH_BATCH_SIZE`. */
  readonly batchSize?: number;
}

/** Limits every engine enforces, per datasource. */
export interface WarehouseLimits {
  /** Deadline of one statement. */
  readonly statementTimeoutMs: number;
  /** Most rows one sample or fetch may return. */
  readonly maxRows: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_ROWS = 5_000_000;
export const DEFAULT_FETCH_BATCH_SIZE = 10_000;
/** Distinct values a filter picker is offered at most (the reference's cap). */
export const MAX_DISTINCT_VALUES = 1_000;

export const DEFAULT_LIMITS: WarehouseLimits = { statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS, maxRows: DEFAULT_MAX_ROWS };

export interface Warehouse {
  /** Tables and views, sorted. */
  listTables(): Promise<string[]>;
  /** Columns sorted by name. Throws `MessageNotFoundError` naming the known tables when the table is missing. */
  describeTable(table: string): Promise<TableInfo>;
  /** How many rows pass every filter. */
  count(request: CountRequest): Promise<number>;
  /** A uniform random sample of rows that pass every filter (or of whole clusters, with `cluster`). */
  sample(request: SampleRequest): Promise<WarehouseRow[]>;
  /** n, non-null n, mean and population sd of each metric over the eligible rows. */
  baselineStats(request: BaselineRequest): Promise<MetricBaseline[]>;
  /** ANOVA sums for the ICC of `metric` within `clusterField`. */
  iccInputs(request: IccRequest): Promise<IccInputs>;
  /** Up to `MAX_DISTINCT_VALUES` sorted non-null values (strings, booleans, uuids) or min/max (numbers, dates). */
  fieldExemplars(table: string, field: string): Promise<FieldExemplars>;
  /**
   * The rows of the given ids, `batchSize` ids per statement, yielded batch by batch so a million ids never
   * sit in memory twice. Ids absent from the table are skipped; each row has `idField` plus `columns`.
   *
   * Ids are consumed lazily and in step with the output: each yielded batch holds the rows of exactly the
   * ids consumed since the previous batch was yielded (ids that cannot match the column's type are
   * consumed and answered by no row). A caller can therefore tell, batch by batch, which ids were absent
   * without keeping every id it sent (the analysis does; `test/analysis/warehouse-fetch.test.ts`).
   */
  fetchByIds(request: FetchRequest): AsyncIterable<WarehouseRow[]>;
  /** Runs a trivial statement; throws the mapped connection error (404/502/504) when the warehouse is unreachable. */
  checkConnectivity(): Promise<void>;
  close(): Promise<void>;
}

/**
 * ICC(1) from one-way ANOVA sums, clamped at 0; null when there are fewer than two clusters or no
 * within-cluster degrees of freedom.
 *
 * @example iccFromInputs({ clusters: 2, n: 4, sumSquaredSizes: 8, ssBetween: 8, ssWithin: 0 }) // 1
 */
export function iccFromInputs(i: IccInputs): number | null {
  if (i.clusters < 2 || i.n <= i.clusters) return null;
  const msb = i.ssBetween / (i.clusters - 1);
  const msw = i.ssWithin / (i.n - i.clusters);
  const n0 = (i.n - i.sumSquaredSizes / i.n) / (i.clusters - 1);
  const denominator = msb + (n0 - 1) * msw;
  if (denominator <= 0) return null;
  return Math.max(0, (msb - msw) / denominator);
}
