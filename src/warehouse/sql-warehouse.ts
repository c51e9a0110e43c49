/**
 * Everything the engines share once they can run a statement: the count, sample, baseline, ICC,
 * exemplar and fetch statements are built here from a `QueryDialect`, so every engine runs the same
 * logic and differs only in its dialect, its catalogue queries and how it talks to the server.
 * Identifiers are checked against the inspected table before they reach SQL; values are always bound.
 */
import { ValidationError } from '../domain/errors.ts';
import { compileFilters, quoteField } from './filter-sql.ts';
import { FIELD_NAME_PATTERN } from './filter-values.ts';
import { rowCapExceeded } from './limit-errors.ts';
import type { QueryDialect } from './query-dialects.ts';
import {
  DEFAULT_FETCH_BATCH_SIZE,
  MAX_DISTINCT_VALUES,
  type BaselineRequest,
  type ColumnType,
  type CountRequest,
  type FetchRequest,
  type FieldExemplars,
  type IccInputs,
  type IccRequest,
  type MetricBaseline,
  type SampleRequest,
  type TableInfo,
  type Warehouse,
  type WarehouseLimits,
  type WarehouseRow,
  type WarehouseValue,
} from './warehouse.ts';

const METRIC_TYPES: ReadonlySet<ColumnType> = new Set(['boolean', 'integer', 'bigint', 'float', 'decimal']);
const RANGE_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'float', 'decimal', 'date', 'timestamp', 'timestamptz']);
const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A statement with its parameters, as the engines run it. */
export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

function requireCount(name: string, n: number, loc: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ValidationError([{ loc: [loc], msg: `The ${name} must be a non-negative integer.`, type: 'value_error' }]);
  }
}

function num(v: WarehouseValue | undefined): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function numOrNull(v: WarehouseValue | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** Code-point order, so exemplar lists read the same whatever the engine's collation. */
function compareValues(a: WarehouseValue, b: WarehouseValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An id string in the form its column compares with, or null when it cannot match any row. */
function parseId(type: ColumnType, id: string): string | number | null {
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;
    case 'bigint':
      return /^-?\d+$/.test(id) ? id : null;
    case 'uuid':
      return UUID_TEXT.test(id) ? id.toLowerCase() : null;
    case 'float':
    case 'decimal':
      return id.trim() !== '' && Number.isFinite(Number(id)) ? Number(id) : null;
    default:
      return id;
  }
}

export abstract class SqlWarehouse implements Warehouse {
  constructor(
    protected readonly dialect: QueryDialect,
    readonly limits: WarehouseLimits,
  ) {}

  abstract listTables(): Promise<string[]>;
  abstract describeTable(table: string): Promise<TableInfo>;
  abstract close(): Promise<void>;
  /** Runs one statement under the datasource's timeout, returning normalized rows. */
  protected abstract run(statement: Statement): Promise<WarehouseRow[]>;

  async checkConnectivity(): Promise<void> {
    await this.run({ sql: 'SELECT 1 AS ok', params: [] });
  }

  async count(request: CountRequest): Promise<number> {
    const { types } = await this.columnTypes(request.table, []);
    const where = compileFilters(request.filters, types, this.dialect);
    const rows = await this.run({ sql: `SELECT COUNT(*) AS n FROM ${this.q(request.table)} WHERE ${where.sql}`, params: where.params });
    return num(rows[0]?.['n']);
  }

  async sample(request: SampleRequest): Promise<WarehouseRow[]> {
    requireCount('sample limit', request.limit, 'limit');
    if (request.columns.length === 0) {
      throw new ValidationError([{ loc: ['columns'], msg: 'At least one column is needed.', type: 'value_error' }]);
    }
    const cluster = request.cluster;
    if (cluster) requireCount('number of clusters', cluster.clusters, 'clusters');
    else if (request.limit > this.limits.maxRows) throw rowCapExceeded(`sample of ${request.limit.toLocaleString('en-US')} rows`, this.limits);
    const { info, types } = await this.columnTypes(request.table, request.columns, cluster ? [cluster.field] : []);
    const table = this.q(request.table);
    const selected = request.columns.map((c) => this.q(c));

    if (!cluster) {
      const where = compileFilters(request.filters, types, this.dialect);
      const params = [...where.params];
      let order = this.dialect.randomOrder();
      if (request.seed !== undefined) {
        // Keying on the primary key (when there is one) makes the sample depend on the seed and the rows
        // only, not on which columns were asked for; the selected columns then break ties.
        const keys = info.primaryKey.length > 0 ? info.primaryKey.map((c) => this.q(c)) : selected;
        params.push(String(request.seed));
        order = `${this.dialect.seededOrder(this.dialect.placeholder(params.length), keys)}, ${selected.join(', ')}`;
      }
      // The limit is a validated integer, not caller text, so it is written into the statement: not every
      // engine accepts a parameter there.
      return this.run({
        sql: `SELECT ${selected.join(', ')} FROM ${table} WHERE ${where.sql} ORDER BY ${order} LIMIT ${request.limit}`,
        params,
      });
    }

    // Clusters are drawn first among eligible rows with a non-NULL key, then every eligible row of the drawn
    // clusters is returned. A join rather than IN (subquery … LIMIT), which MySQL refuses.
    const key = this.q(cluster.field);
    const inner = compileFilters(request.filters, types, this.dialect);
    const params = [...inner.params];
    let order = this.dialect.randomOrder();
    if (request.seed !== undefined) {
      params.push(String(request.seed));
      order = `${this.dialect.seededOrder(this.dialect.placeholder(params.length), [key])}, ${key}`;
    }
    const outer = compileFilters(request.filters, types, this.dialect, { firstParamIndex: params.length + 1 });
    params.push(...outer.params);
    const drawn = this.q('eq_drawn_cluster');
    const rows = await this.run({
      sql:
        `SELECT ${selected.map((c) => `e.${c}`).join(', ')} FROM ${table} e` +
        ` JOIN (SELECT ${key} AS ${drawn} FROM ${table} WHERE (${inner.sql}) AND ${key} IS NOT NULL` +
        ` GROUP BY ${key} ORDER BY ${order} LIMIT ${cluster.clusters}) c ON e.${key} = c.${drawn}` +
        ` WHERE ${outer.sql} LIMIT ${this.limits.maxRows + 1}`,
      params,
    });
    if (rows.length > this.limits.maxRows) throw rowCapExceeded('cluster sample', this.limits);
    return rows;
  }

  async baselineStats(request: BaselineRequest): Promise<MetricBaseline[]> {
    const { types } = await this.columnTypes(request.table, request.metrics);
    this.requireMetrics(request.metrics, types);
    const where = compileFilters(request.filters, types, this.dialect);
    const parts = request.metrics.flatMap((m, i) => {
      const value = this.dialect.toFloat(this.q(m), types[m] as ColumnType);
      return [`COUNT(${this.q(m)}) AS nn_${i}`, `AVG(${value}) AS mean_${i}`, `STDDEV_POP(${value}) AS sd_${i}`];
    });
    const rows = await this.run({
      sql: `SELECT COUNT(*) AS n${parts.length > 0 ? `, ${parts.join(', ')}` : ''} FROM ${this.q(request.table)} WHERE ${where.sql}`,
      params: where.params,
    });
    const row = rows[0] ?? {};
    return request.metrics.map((field, i) => {
      const nonNullN = num(row[`nn_${i}`]);
      return { field, n: num(row['n']), nonNullN, mean: nonNullN > 0 ? numOrNull(row[`mean_${i}`]) : null, sd: nonNullN > 0 ? numOrNull(row[`sd_${i}`]) : null };
    });
  }

  async iccInputs(request: IccRequest): Promise<IccInputs> {
    const { types } = await this.columnTypes(request.table, [request.metric, request.clusterField]);
    this.requireMetrics([request.metric], types);
    const where = compileFilters(request.filters, types, this.dialect);
    const metric = this.q(request.metric);
    const key = this.q(request.clusterField);
    const value = this.dialect.toFloat(metric, types[request.metric] as ColumnType);
    const rows = await this.run({
      sql:
        `SELECT COUNT(*) AS k, SUM(cnt) AS n, SUM(cnt * cnt) AS sizes2, SUM(cnt * mean) AS total,` +
        ` SUM(cnt * mean * mean) AS weighted2, SUM(ss) AS within_ss FROM (` +
        `SELECT ${this.dialect.toFloat('COUNT(*)', 'integer')} AS cnt, AVG(${value}) AS mean, VAR_POP(${value}) * COUNT(*) AS ss` +
        ` FROM ${this.q(request.table)} WHERE (${where.sql}) AND ${metric} IS NOT NULL AND ${key} IS NOT NULL GROUP BY ${key}) g`,
      params: where.params,
    });
    const row = rows[0] ?? {};
    const n = num(row['n']);
    const total = num(row['total']);
    const grand = n > 0 ? total / n : 0;
    return {
      clusters: num(row['k']),
      n,
      sumSquaredSizes: num(row['sizes2']),
      // Σ nᵢ(ȳᵢ − ȳ)² = Σ nᵢȳᵢ² − nȳ²; clamped because rounding can make an exact zero slightly negative.
      ssBetween: Math.max(0, num(row['weighted2']) - n * grand * grand),
      ssWithin: Math.max(0, num(row['within_ss'])),
    };
  }

  async fieldExemplars(table: string, field: string): Promise<FieldExemplars> {
    const { types } = await this.columnTypes(table, [field]);
    const type = types[field] as ColumnType;
    const column = this.q(field);
    if (RANGE_TYPES.has(type)) {
      const rows = await this.run({ sql: `SELECT MIN(${column}) AS lo, MAX(${column}) AS hi FROM ${this.q(table)}`, params: [] });
      return { kind: 'range', min: rows[0]?.['lo'] ?? null, max: rows[0]?.['hi'] ?? null };
    }
    // DISTINCT and ORDER BY under the binary forms too, or a case-insensitive collation would merge 'a' and 'A'.
    const wrap = type === 'string' ? this.dialect.stringColumn : undefined;
    const distinct = wrap ? wrap(column, 'equality') : column;
    const ordered = wrap ? wrap('v', 'order') : 'v';
    const rows = await this.run({
      sql: `SELECT v FROM (SELECT DISTINCT ${distinct} AS v FROM ${this.q(table)} WHERE ${column} IS NOT NULL) d ORDER BY ${ordered} LIMIT ${MAX_DISTINCT_VALUES + 1}`,
      params: [],
    });
    const values = rows.map((r) => r['v'] ?? null).slice(0, MAX_DISTINCT_VALUES).sort(compareValues);
    return { kind: 'distinct', values, truncated: rows.length > MAX_DISTINCT_VALUES };
  }

  async *fetchByIds(request: FetchRequest): AsyncIterable<WarehouseRow[]> {
    const batchSize = request.batchSize ?? DEFAULT_FETCH_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new ValidationError([{ loc: ['batchSize'], msg: 'The batch size must be a positive integer.', type: 'value_error' }]);
    }
    const columns = [request.idField, ...request.columns.filter((c) => c !== request.idField)];
    const { types } = await this.columnTypes(request.table, columns);
    const idType = types[request.idField] as ColumnType;
    const head = `SELECT ${columns.map((c) => this.q(c)).join(', ')} FROM ${this.q(request.table)} WHERE `;
    let batch: (string | number)[] = [];
    let seen = 0;
    const flush = async (): Promise<WarehouseRow[]> => {
      const ids = this.dialect.idPredicate(this.q(request.idField), idType, 1, batch);
      batch = [];
      return this.run({ sql: head + ids.sql, params: ids.params });
    };
    for await (const id of request.ids) {
      seen += 1;
      if (seen > this.limits.maxRows) throw rowCapExceeded(`fetch of more than ${this.limits.maxRows.toLocaleString('en-US')} ids`, this.limits);
      const parsed = parseId(idType, id);
      if (parsed !== null) batch.push(parsed);
      if (batch.length >= batchSize) yield await flush();
    }
    if (batch.length > 0) yield await flush();
  }

  /** A quoted identifier that passed the plain-name check. */
  protected q(name: string): string {
    return quoteField(this.dialect, name);
  }

  /** The table's column types, after checking that every named column exists (422 naming each missing one). */
  protected async columnTypes(
    table: string,
    columns: readonly string[],
    extra: readonly string[] = [],
  ): Promise<{ info: TableInfo; types: Record<string, ColumnType> }> {
    if (!FIELD_NAME_PATTERN.test(table)) throw new ValidationError(`Invalid table name '${table}'.`, 'value_error');
    const info = await this.describeTable(table);
    const types: Record<string, ColumnType> = Object.fromEntries(info.columns.map((c) => [c.name, c.type]));
    const issues = [...columns, ...extra]
      .map((name, i) => ({ name, i }))
      .filter(({ name }) => !Object.hasOwn(types, name))
      .map(({ name, i }) => ({ loc: ['columns', i], msg: `Column '${name}' does not exist in table '${table}'.`, type: 'value_error' }));
    if (issues.length > 0) throw new ValidationError(issues);
    return { info, types };
  }

  private requireMetrics(metrics: readonly string[], types: Readonly<Record<string, ColumnType>>): void {
    const bad = metrics.filter((m) => !METRIC_TYPES.has(types[m] as ColumnType));
    if (bad.length > 0) {
      throw new ValidationError(
        bad.map((m) => ({ loc: ['metrics', metrics.indexOf(m)], msg: `Only boolean or numeric data types are supported as metrics ('${m}').`, type: 'value_error' })),
      );
    }
  }
}
