/**
 * Reading a preassigned experiment's cohort from the warehouse in bounded memory: first the sampled ids
 * (and cluster keys) alone, then the stratification columns fetched by id in batches into one array per
 * column, so no row objects for the whole cohort are kept. Participants are put in id order, so the
 * assignment depends only on the sampled set and the seed, never on the order the warehouse returned.
 */
import { clusterKeyOf, effectiveFilters, type DesignSpec } from '../../domain/design-spec.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Cell } from '../../stats/preprocess.ts';
import { DEFAULT_FETCH_BATCH_SIZE, type ColumnType, type Warehouse, type WarehouseValue } from '../../warehouse/warehouse.ts';

export interface Cohort {
  /** Participant ids as stored (strings), sorted by code point. */
  readonly ids: readonly string[];
  /** Cluster key per participant (aligned with `ids`), for cluster designs. */
  readonly clusterKeys: readonly (string | number)[] | null;
  /** One array per stratification column, aligned with `ids`; missing rows and NULLs are null. */
  readonly columns: Readonly<Record<string, Cell[]>>;
}

export interface CohortRequest {
  readonly spec: DesignSpec & { experiment_type: 'freq_preassigned' };
  /** Columns to stratify on (and to store per assignment), other than the id and the cluster key. */
  readonly columns: readonly string[];
  readonly types: Readonly<Record<string, ColumnType>>;
  readonly seed: number;
  readonly batchSize?: number;
  /** Called after each fetched batch with the participants filled in so far. */
  readonly onBatch?: (filled: number) => void;
}

const late = (path: string, msg: string) => new ValidationError([{ loc: ['body', 'design_spec', path], msg, type: 'late' }]);

/** Bigint and decimal values arrive as exact strings; as strata they are numbers (binned into quantiles). */
const NUMERIC_AS_TEXT: ReadonlySet<ColumnType> = new Set(['bigint', 'decimal']);

export async function readCohort(w: Warehouse, request: CohortRequest): Promise<Cohort> {
  const { spec } = request;
  const clusterKey = clusterKeyOf(spec);
  const sampled = await w.sample({
    table: spec.table_name,
    columns: clusterKey === null ? [spec.primary_key] : [spec.primary_key, clusterKey],
    filters: effectiveFilters(spec),
    limit: spec.desired_n ?? 0,
    seed: request.seed,
    ...(clusterKey !== null ? { cluster: { field: clusterKey, clusters: spec.desired_n_clusters ?? 0 } } : {}),
  });
  if (sampled.length === 0) {
    throw late('filters', 'Preassigned experiments must have eligible participants data: no row passes the filters.');
  }
  const raw: string[] = new Array<string>(sampled.length);
  for (let i = 0; i < sampled.length; i++) {
    const id = (sampled[i] as Record<string, WarehouseValue>)[spec.primary_key];
    if (id === null || id === undefined) {
      throw late('primary_key', `Participant ID column '${spec.primary_key}' has NULL values; add a filter excluding them.`);
    }
    raw[i] = String(id);
  }
  const order = Int32Array.from({ length: raw.length }, (_, i) => i).sort((a, b) => compareIds(raw[a] as string, raw[b] as string));
  const ids = Array.from(order, (i) => raw[i] as string);
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) throw late('primary_key', `Duplicate participant ID found after filtering: '${ids[i]}'`);
  }
  const clusterKeys = clusterKey === null ? null : Array.from(order, (i) => clusterValue((sampled[i] as Record<string, WarehouseValue>)[clusterKey]));
  sampled.length = 0; // the row objects are no longer needed: let them go before the fetch

  const columns: Record<string, Cell[]> = {};
  for (const c of request.columns) columns[c] = new Array<Cell>(ids.length).fill(null);
  if (request.columns.length > 0) {
    const interned = new Map<string, Map<string, string>>(request.columns.map((c) => [c, new Map()]));
    let filled = 0;
    for await (const batch of w.fetchByIds({ table: spec.table_name, idField: spec.primary_key, columns: request.columns, ids, batchSize: request.batchSize ?? DEFAULT_FETCH_BATCH_SIZE })) {
      for (const row of batch) {
        const at = binarySearch(ids, String(row[spec.primary_key]));
        if (at < 0) continue;
        for (const c of request.columns) (columns[c] as Cell[])[at] = cellOf(row[c] ?? null, request.types[c], interned.get(c) as Map<string, string>);
      }
      filled += batch.length;
      request.onBatch?.(filled);
    }
  }
  return { ids, clusterKeys, columns };
}

/** Code-point order (not locale), the same in every process. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function binarySearch(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as string;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function clusterValue(v: WarehouseValue | undefined): string | number {
  // The warehouse never returns a NULL cluster key for a cluster sample; a boolean key becomes its text.
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

/** Strings are interned per column (strata have few distinct values; one copy each instead of one per row). */
function cellOf(v: WarehouseValue, type: ColumnType | undefined, interned: Map<string, string>): Cell {
  if (typeof v !== 'string') return v;
  if (type !== undefined && NUMERIC_AS_TEXT.has(type)) {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  const known = interned.get(v);
  if (known !== undefined) return known;
  if (interned.size < 100_000) interned.set(v, v);
  return v;
}
