/**
 * The DuckDB engine: a customer's (or the demo's) `.duckdb` file, opened read-only with external access
 * off and a path confined to the data directory, so a tenant's datasource can neither write the file nor
 * read any other file of the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUUIDValue,
  LIST,
  listValue,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { AppError, MessageNotFoundError, WarehouseError } from '../domain/errors.ts';
import { statementTimedOut } from './limit-errors.ts';
import { duckdbQueryDialect } from './query-dialects.ts';
import { SqlWarehouse, type Statement } from './sql-warehouse.ts';
import {
  DEFAULT_LIMITS,
  type ColumnInfo,
  type ColumnType,
  type TableInfo,
  type WarehouseLimits,
  type WarehouseRow,
  type WarehouseValue,
} from './warehouse.ts';

/**
 * The absolute real path of `target` (relative to `baseDir`, or absolute), refusing anything that leaves
 * `baseDir` lexically (`..`) or through a symlink. The file must exist: a read-only open needs it anyway.
 */
export function resolveInsideDirectory(baseDir: string, target: string): string {
  const outside = (): AppError =>
    new AppError('bad_request', `The DuckDB file must be inside the data directory ${path.resolve(baseDir)}.`, {
      shape: 'message',
    });
  const isInside = (base: string, candidate: string): boolean => {
    const rel = path.relative(base, candidate);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const lexical = path.resolve(baseDir, target);
  if (!isInside(path.resolve(baseDir), lexical)) throw outside();
  let real: string;
  try {
    real = fs.realpathSync(lexical);
  } catch {
    // The reference answers "database does not exist" with 404 {"message"}; a missing file is that case.
    throw new MessageNotFoundError(`The DuckDB file '${target}' does not exist.`);
  }
  if (!isInside(fs.realpathSync(baseDir), real)) throw outside();
  return real;
}

const NATIVE_TYPES: Readonly<Record<string, ColumnType>> = {
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  UUID: 'uuid',
  INTEGER: 'integer',
  SMALLINT: 'integer',
  TINYINT: 'integer',
  BIGINT: 'bigint',
  HUGEINT: 'bigint',
  DOUBLE: 'float',
  FLOAT: 'float',
  REAL: 'float',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
};

/** Our column type for a DuckDB type name as `duckdb_columns()` spells it. */
export function normalizeDuckDbType(nativeType: string): ColumnType {
  const upper = nativeType.toUpperCase();
  if (upper.startsWith('DECIMAL')) return 'decimal';
  return NATIVE_TYPES[upper] ?? 'unsupported';
}

/** Floor division, because BigInt `/` truncates toward zero and timestamps before 1970 are negative. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]` from microseconds since the epoch, keeping all six digits DuckDB stores. */
function isoFromMicros(micros: bigint): string {
  const seconds = floorDiv(micros, 1_000_000n);
  const fraction = micros - seconds * 1_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, -5);
  return fraction === 0n ? base : `${base}.${fraction.toString().padStart(6, '0')}`;
}

/**
 * One DuckDB value as callers see it. We read typed values rather than `getRowObjectsJson()` because
 * the JSON reader renders TIMESTAMPTZ in the Node process's local offset, not UTC.
 */
function normalizeValue(value: DuckDBValue): WarehouseValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  // JSON has no NaN or Infinity; a metric computed from null is honest, one from a string 'NaN' is not.
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return value.isFinite ? `${isoFromMicros(value.micros)}Z` : value.toString();
  if (value instanceof DuckDBTimestampValue) return value.isFinite ? isoFromMicros(value.micros) : value.toString();
  if (value instanceof DuckDBDateValue || value instanceof DuckDBDecimalValue || value instanceof DuckDBUUIDValue) {
    return value.toString();
  }
  return String(value);
}

/**
 * Parameters as the driver binds them: a JS array (the id batch of `fetchByIds`) becomes one
 * `LIST(VARCHAR)` value, which the statement casts to the id column's type; scalars are inferred.
 */
function bindable(params: readonly unknown[]): [DuckDBValue[], DuckDBType[]] {
  const values: DuckDBValue[] = [];
  const types: (DuckDBType | undefined)[] = [];
  for (const p of params) {
    if (Array.isArray(p)) {
      values.push(listValue(p.map(String)));
      types.push(LIST(VARCHAR));
    } else {
      values.push(p as DuckDBValue);
      types.push(undefined);
    }
  }
  // The driver binds a missing type by inferring it from the value (it reads `types[i]` as optional).
  return [values, types as DuckDBType[]];
}

export interface DuckDbWarehouseOptions {
  /** The `.duckdb` file, relative to `baseDir` or absolute inside it. */
  readonly path: string;
  /** The only directory whose files may be opened. */
  readonly baseDir: string;
  readonly limits?: WarehouseLimits | undefined;
}

export class DuckDbWarehouse extends SqlWarehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** The real path that was opened, for messages and tests. */
    readonly filePath: string,
    limits: WarehouseLimits,
  ) {
    super(duckdbQueryDialect, limits);
  }

  /**
   * Opens `options.path` read-only. Several instances and processes may hold the same file this way; only
   * a writer (the demo generator) needs it alone.
   *
   * @example const w = await DuckDbWarehouse.open({ path: 'demo-warehouse.duckdb', baseDir: '.data' });
   */
  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    const filePath = resolveInsideDirectory(options.baseDir, options.path);
    try {
      const instance = await DuckDBInstance.create(filePath, {
        access_mode: 'READ_ONLY',
        // Without this, SQL such as read_csv('/etc/passwd') or ATTACH could reach any file the server can.
        enable_external_access: 'false',
      });
      return new DuckDbWarehouse(instance, filePath, options.limits ?? DEFAULT_LIMITS);
    } catch (cause) {
      throw new WarehouseError('warehouse_unavailable', `Could not open the DuckDB file: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  async listTables(): Promise<string[]> {
    const rows = await this.run({
      sql: `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'main' AND table_catalog = current_database()`,
      params: [],
    });
    return rows.map((r) => String(r['table_name'])).sort();
  }

  async describeTable(table: string): Promise<TableInfo> {
    const known = await this.listTables();
    if (!known.includes(table)) {
      throw new MessageNotFoundError(`The table '${table}' does not exist. Known tables: ${known.join(', ')}`);
    }
    const columnRows = await this.run({
      sql: `SELECT column_name, data_type, comment FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`,
      params: [table],
    });
    const columns: ColumnInfo[] = columnRows
      .map((r) => ({
        name: String(r['column_name']),
        type: normalizeDuckDbType(String(r['data_type'])),
        nativeType: String(r['data_type']),
        description: r['comment'] === null || r['comment'] === '' ? null : String(r['comment']),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const keyRows = await this.run({
      sql: `SELECT unnest(constraint_column_names) AS column_name FROM duckdb_constraints()
       WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
         AND constraint_type = 'PRIMARY KEY'`,
      params: [table],
    });
    return { name: table, columns, primaryKey: keyRows.map((r) => String(r['column_name'])) };
  }

  async close(): Promise<void> {
    this.instance.closeSync();
  }

  /**
   * The one place every statement runs. DuckDB has no statement_timeout setting, so a timer interrupts the
   * connection and the interruption becomes the timeout error.
   */
  protected async run({ sql, params }: Statement): Promise<WarehouseRow[]> {
    let connection: DuckDBConnection | undefined;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A connection per statement: one DuckDB connection runs one query at a time, and they are cheap.
      connection = await this.instance.connect();
      const open = connection;
      timer = setTimeout(() => {
        timedOut = true;
        open.interrupt();
      }, this.limits.statementTimeoutMs);
      const reader = await connection.runAndReadAll(sql, ...bindable(params));
      // Column by column: one pass per column and no intermediate row objects (a million-row fetch builds
      // each row once).
      const names = reader.columnNames();
      const columns = reader.getColumns();
      const rows = new Array<WarehouseRow>(reader.currentRowCount);
      for (let i = 0; i < rows.length; i++) {
        const out: Record<string, WarehouseValue> = {};
        for (let c = 0; c < names.length; c++) out[names[c]!] = normalizeValue(columns[c]![i]!);
        rows[i] = out;
      }
      return rows;
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      if (timedOut) throw statementTimedOut(this.limits, cause);
      throw new WarehouseError('warehouse_unavailable', `DuckDB query failed: ${(cause as Error).message}`, { cause });
    } finally {
      clearTimeout(timer);
      connection?.closeSync();
    }
  }

  /** Test-only: runs raw SQL, so tests can show that writes and file access are refused by the engine itself. */
  async unsafeQueryForTests(sql: string): Promise<WarehouseRow[]> {
    return this.run({ sql, params: [] });
  }
}
