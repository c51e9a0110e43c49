/**
 * The MariaDB/MySQL engine (mysql2). Same SSRF guard and pinning as PostgreSQL. Sessions run in UTC with
 * the server's own statement limit (`max_statement_time` on MariaDB, `max_execution_time` on MySQL), and
 * string comparisons use a binary no-pad collation with null-safe clauses, so a filter selects the same
 * rows as on PostgreSQL (see `mysqlDialect`).
 */
import net from 'node:net';
import mysql from 'mysql2/promise';
import type { FieldPacket, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { AppError, MessageNotFoundError } from '../domain/errors.ts';
import { safeResolve } from '../net/safe-resolve.ts';
import { mapConnectionError, type DriverFailure } from './connection-errors.ts';
import { mysqlDialect } from './filter-sql.ts';
import { statementTimedOut } from './limit-errors.ts';
import { mysqlQueryDialect } from './query-dialects.ts';
import { SqlWarehouse, type Statement } from './sql-warehouse.ts';
import { canonicalTimestamp, finiteOrNull } from './value-format.ts';
import { DEFAULT_LIMITS, type ColumnInfo, type ColumnType, type TableInfo, type WarehouseLimits, type WarehouseRow, type WarehouseValue } from './warehouse.ts';

export const CONNECT_TIMEOUT_MS = 10_000;
const CLIENT_TIMEOUT_GRACE_MS = 5_000;
const POOL_SIZE = 2;
/** Server error numbers for "statement ran past its limit": MariaDB's ER_STATEMENT_TIMEOUT, MySQL's ER_QUERY_TIMEOUT. */
const STATEMENT_TIMEOUT_ERRNOS: ReadonlySet<number> = new Set([1969, 3024]);

export interface MariaDbWarehouseOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dbname: string;
  /** TLS to the server; verified against the host name. */
  readonly ssl?: boolean | undefined;
  readonly limits?: WarehouseLimits | undefined;
  readonly allowPrivateIps: boolean;
}

const TYPE_NAMES: Readonly<Record<string, ColumnType>> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  bigint: 'bigint',
  float: 'float',
  double: 'float',
  decimal: 'decimal',
  char: 'string',
  varchar: 'string',
  tinytext: 'string',
  text: 'string',
  mediumtext: 'string',
  longtext: 'string',
  uuid: 'uuid',
  date: 'date',
  datetime: 'timestamp',
  // TIMESTAMP columns store UTC and convert to the session zone, which is UTC here: an instant.
  timestamp: 'timestamptz',
};

/** Our column type for `information_schema.columns` (`data_type`, `column_type`); BOOLEAN is `tinyint(1)`. */
export function normalizeMariaDbType(dataType: string, columnType: string): ColumnType {
  if (/^tinyint\(1\)/i.test(columnType)) return 'boolean';
  if (/unsigned/i.test(columnType) && dataType.toLowerCase() === 'bigint') return 'decimal';
  return TYPE_NAMES[dataType.toLowerCase()] ?? 'unsupported';
}

/** MySQL protocol column type codes we convert (include/mysql_com.h). */
const MYSQL_TYPE = { TINY: 1, FLOAT: 4, DOUBLE: 5, TIMESTAMP: 7, DATETIME: 12 } as const;

/**
 * How to turn one result column's driver values into canonical ones, from the column's metadata: the
 * binary protocol of prepared statements gives numbers for TINYINT(1) and text for dates (`dateStrings`).
 */
function converterFor(field: FieldPacket): (v: unknown) => WarehouseValue {
  switch (field.columnType) {
    case MYSQL_TYPE.TINY:
      return field.columnLength === 1 ? (v) => (v === null || v === undefined ? null : Number(v) !== 0) : toValue;
    case MYSQL_TYPE.DATETIME:
      return (v) => (v === null || v === undefined ? null : canonicalTimestamp(String(v), false));
    case MYSQL_TYPE.TIMESTAMP:
      return (v) => (v === null || v === undefined ? null : canonicalTimestamp(String(v), true));
    case MYSQL_TYPE.DOUBLE:
    case MYSQL_TYPE.FLOAT:
      return (v) => (v === null || v === undefined ? null : finiteOrNull(v as number));
    default:
      return toValue;
  }
}

function classifyMysqlError(e: Error & { code?: unknown; errno?: unknown }): DriverFailure {
  if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) return { kind: 'auth', detail: e.message };
  if (e.code === 'ER_BAD_DB_ERROR' || e.errno === 1049) return { kind: 'database_missing', detail: e.message };
  if (e.code === 'ETIMEDOUT') return { kind: 'connect_timeout', detail: e.message };
  return { kind: 'other', detail: e.message };
}

function toValue(v: unknown): WarehouseValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

export class MariaDbWarehouse extends SqlWarehouse {
  private constructor(
    private readonly pool: Pool,
    private readonly host: string,
    limits: WarehouseLimits,
    flavor: 'mariadb' | 'mysql',
  ) {
    // MySQL 8 has no utf8mb4_nopad_bin; its utf8mb4_0900_bin is binary and no-pad already.
    super(mysqlQueryDialect(mysqlDialect(flavor === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin')), limits);
  }

  /**
   * Checks the host, connects once to learn whether the server is MariaDB or MySQL, and returns a pool
   * pinned to the checked address.
   *
   * @example const w = await MariaDbWarehouse.open({ host: 'db.example.com', port: 3306, user: 'ro', password, dbname: 'shop', allowPrivateIps: false });
   */
  static async open(options: MariaDbWarehouseOptions): Promise<MariaDbWarehouse> {
    const limits = options.limits ?? DEFAULT_LIMITS;
    const fail = (err: unknown) => mapConnectionError(err, 'MariaDB', options.host, classifyMysqlError);
    let address: string;
    try {
      address = await safeResolve(options.host, { allowPrivateIps: options.allowPrivateIps, allowIpv6: true });
    } catch (err) {
      throw fail(err);
    }
    const pool = mysql.createPool({
      // The name stays the host (TLS verifies it); the socket goes to the checked address only.
      host: options.host,
      stream: () => net.connect({ host: address, port: options.port }),
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.dbname,
      ...(options.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
      connectionLimit: POOL_SIZE,
      connectTimeout: CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
    });
    let flavor: 'mariadb' | 'mysql' = 'mariadb';
    let first: PoolConnection | undefined;
    try {
      first = await pool.getConnection();
      const [rows] = await first.query<RowDataPacket[]>('SELECT VERSION() AS v');
      flavor = /mariadb/i.test(String(rows[0]?.['v'])) ? 'mariadb' : 'mysql';
      await first.query(MariaDbWarehouse.sessionSql(flavor, limits));
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw fail(err);
    } finally {
      first?.release();
    }
    pool.on('connection', (connection) => {
      // Queued before any statement on the new connection.
      // The event hands over the callback-style connection, whatever the promise wrapper's types say.
      (connection as unknown as { query(sql: string, done: () => void): void }).query(MariaDbWarehouse.sessionSql(flavor, limits), () => undefined);
    });
    return new MariaDbWarehouse(pool, options.host, limits, flavor);
  }

  /** UTC sessions and the server-side statement limit (seconds on MariaDB, milliseconds on MySQL). */
  private static sessionSql(flavor: 'mariadb' | 'mysql', limits: WarehouseLimits): string {
    const limit =
      flavor === 'mariadb'
        ? `max_statement_time = ${(limits.statementTimeoutMs / 1000).toFixed(3)}`
        : `max_execution_time = ${Math.round(limits.statementTimeoutMs)}`;
    return `SET time_zone = '+00:00', SESSION ${limit}`;
  }

  async listTables(): Promise<string[]> {
    const rows = await this.run({ sql: 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()', params: [] });
    return rows.map((r) => String(r['t'])).sort();
  }

  async describeTable(table: string): Promise<TableInfo> {
    const rows = await this.run({
      sql: `SELECT column_name AS name, data_type AS data_type, column_type AS column_type, column_comment AS comment, column_key AS k
            FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
      params: [table],
    });
    if (rows.length === 0) {
      const known = await this.listTables();
      throw new MessageNotFoundError(`The table '${table}' does not exist. Known tables: ${known.join(', ')}`);
    }
    const columns: ColumnInfo[] = rows
      .map((r) => ({
        name: String(r['name']),
        type: normalizeMariaDbType(String(r['data_type']), String(r['column_type'])),
        nativeType: String(r['column_type']),
        description: r['comment'] === null || r['comment'] === '' ? null : String(r['comment']),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { name: table, columns, primaryKey: rows.filter((r) => r['k'] === 'PRI').map((r) => String(r['name'])) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Server-side prepared statements: values travel apart from the text, never spliced into it. */
  protected async run({ sql, params }: Statement): Promise<WarehouseRow[]> {
    try {
      const [rows, fields] = (await this.pool.execute({ sql, timeout: this.limits.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS }, params as never)) as [
        RowDataPacket[],
        FieldPacket[],
      ];
      const converters = new Map(fields.map((f) => [f.name, converterFor(f)]));
      return rows.map((row) => {
        const out: Record<string, WarehouseValue> = {};
        for (const [key, value] of Object.entries(row)) out[key] = (converters.get(key) ?? toValue)(value);
        return out;
      });
    } catch (err) {
      const e = err as Error & { errno?: unknown; code?: unknown };
      if ((typeof e.errno === 'number' && STATEMENT_TIMEOUT_ERRNOS.has(e.errno)) || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
        throw statementTimedOut(this.limits, err);
      }
      if (err instanceof AppError) throw err;
      throw mapConnectionError(err, 'MariaDB', this.host, classifyMysqlError);
    }
  }
}
