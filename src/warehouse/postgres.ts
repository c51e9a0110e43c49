/**
 * The PostgreSQL engine (node-postgres). The host is checked by the SSRF guard and the connection pinned
 * to the checked address, with TLS still verifying the original name. Each session runs in UTC with the
 * datasource's statement timeout; values come back as the canonical strings of `warehouse.ts` through
 * per-pool type parsers, so the app database's parsers are never touched.
 */
import pg from 'pg';
import { AppError, MessageNotFoundError } from '../domain/errors.ts';
import { safeResolve } from '../net/safe-resolve.ts';
import { mapConnectionError, type DriverFailure } from './connection-errors.ts';
import { statementTimedOut } from './limit-errors.ts';
import { postgresQueryDialect, type QueryDialect } from './query-dialects.ts';
import { SqlWarehouse, type Statement } from './sql-warehouse.ts';
import { canonicalTimestamp, finiteOrNull } from './value-format.ts';
import { DEFAULT_LIMITS, type ColumnInfo, type ColumnType, type TableInfo, type WarehouseLimits, type WarehouseRow, type WarehouseValue } from './warehouse.ts';

/** libpq's default connect budget in the reference (spec §3.2). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Extra time the client waits past the server's own statement timeout before giving up on the socket. */
const CLIENT_TIMEOUT_GRACE_MS = 5_000;
/** Connections per open warehouse: statements of one request run one after another, a second covers overlap. */
const POOL_SIZE = 2;

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface PostgresWarehouseOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dbname: string;
  readonly sslmode: SslMode;
  readonly searchPath?: string | null | undefined;
  readonly limits?: WarehouseLimits | undefined;
  readonly allowPrivateIps: boolean;
}

const PG_OID = { bool: 16, int8: 20, text: 25, float4: 700, float8: 701, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

/** Parsers for this warehouse's pools only: bigints and numerics stay exact strings, instants become canonical. */
const warehouseTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case PG_OID.int8:
      case PG_OID.numeric:
      case PG_OID.date:
        return (text: string) => text;
      case PG_OID.float4:
      case PG_OID.float8:
        return (text: string) => finiteOrNull(text);
      case PG_OID.timestamp:
        return (text: string) => canonicalTimestamp(text, false);
      case PG_OID.timestamptz:
        return (text: string) => canonicalTimestamp(text, true);
      default:
        return pg.types.getTypeParser(oid, format ?? 'text');
    }
  },
} as unknown as pg.CustomTypesConfig;

const TYPE_NAMES: Readonly<Record<string, ColumnType>> = {
  bool: 'boolean',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  citext: 'string',
  uuid: 'uuid',
  int2: 'integer',
  int4: 'integer',
  int8: 'bigint',
  float4: 'float',
  float8: 'float',
  numeric: 'decimal',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};

/** Our column type for a PostgreSQL `pg_type.typname`. */
export function normalizePostgresType(typname: string): ColumnType {
  return TYPE_NAMES[typname] ?? 'unsupported';
}

function classifyPgError(e: Error & { code?: unknown }): DriverFailure {
  if (e.code === '28P01' || e.code === '28000') return { kind: 'auth', detail: e.message };
  if (e.code === '3D000') return { kind: 'database_missing', detail: e.message };
  if (/timeout/i.test(e.message) && /connect/i.test(e.message)) return { kind: 'connect_timeout', detail: e.message };
  return { kind: 'other', detail: e.message };
}

function toValue(v: unknown): WarehouseValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export class PostgresWarehouse extends SqlWarehouse {
  protected readonly engineName: string = 'PostgreSQL';

  protected constructor(
    protected readonly pool: pg.Pool,
    protected readonly host: string,
    limits: WarehouseLimits,
    dialect: QueryDialect = postgresQueryDialect,
  ) {
    super(dialect, limits);
    // An idle connection dropped by the server must not crash the process; the next statement reconnects.
    pool.on('error', () => undefined);
  }

  /**
   * Resolves and checks the host, then builds a pool pinned to the checked address. No connection is made
   * until the first statement.
   *
   * @example const w = await PostgresWarehouse.open({ host: 'db.example.com', port: 5432, user: 'ro', password, dbname: 'app', sslmode: 'verify-full', allowPrivateIps: false });
   */
  static async open(options: PostgresWarehouseOptions): Promise<PostgresWarehouse> {
    const pool = await PostgresWarehouse.pinnedPool(options, 'PostgreSQL');
    return new PostgresWarehouse(pool, options.host, options.limits ?? DEFAULT_LIMITS);
  }

  protected static async pinnedPool(options: PostgresWarehouseOptions, engine: string): Promise<pg.Pool> {
    const limits = options.limits ?? DEFAULT_LIMITS;
    let address: string;
    try {
      address = await safeResolve(options.host, { allowPrivateIps: options.allowPrivateIps, allowIpv6: true });
    } catch (err) {
      throw mapConnectionError(err, engine, options.host, classifyPgError);
    }
    const verify = options.sslmode === 'verify-ca' || options.sslmode === 'verify-full';
    const pool = new pg.Pool({
      // The checked address, never the name: a second DNS answer cannot move us inside the network.
      host: address,
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.dbname,
      // TLS still verifies the certificate against the name the customer gave.
      ssl: options.sslmode === 'disable' ? false : { rejectUnauthorized: verify, servername: options.host },
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: limits.statementTimeoutMs,
      query_timeout: limits.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS,
      types: warehouseTypes,
      // Awaited by the pool before it hands the client out, so every statement sees UTC and the path (and
      // nothing is queued on a client that is still busy, which pg deprecates).
      onConnect: async (client: pg.ClientBase) => {
        await client.query(`SET TIME ZONE 'UTC'`);
        if (options.searchPath) await client.query('SELECT set_config($1, $2, false)', ['search_path', options.searchPath]);
      },
    });
    return pool;
  }

  async listTables(): Promise<string[]> {
    const rows = await this.run({
      sql: `SELECT DISTINCT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))`,
      params: [],
    });
    return rows.map((r) => String(r['table_name'])).sort();
  }

  async describeTable(table: string): Promise<TableInfo> {
    // to_regclass(quote_ident(...)) finds the table the search path would, with the name as a value.
    const columnRows = await this.run({
      sql: `SELECT a.attname AS name, t.typname AS typname, format_type(a.atttypid, a.atttypmod) AS native,
              col_description(a.attrelid, a.attnum) AS description
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped`,
      params: [table],
    });
    if (columnRows.length === 0) await this.tableMissing(table);
    const columns: ColumnInfo[] = columnRows
      .map((r) => ({
        name: String(r['name']),
        type: normalizePostgresType(String(r['typname'])),
        nativeType: String(r['native']),
        description: r['description'] === null || r['description'] === '' ? null : String(r['description']),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const keyRows = await this.run({
      sql: `SELECT a.attname AS name FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      params: [table],
    });
    return { name: table, columns, primaryKey: keyRows.map((r) => String(r['name'])) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  protected async tableMissing(table: string): Promise<never> {
    const known = await this.listTables();
    throw new MessageNotFoundError(`The table '${table}' does not exist. Known tables: ${known.join(', ')}`);
  }

  /** Runs one statement; also used by the Redshift engine, which reads column types from the result. */
  protected async runRaw({ sql, params }: Statement, rowMode?: 'array'): Promise<pg.QueryResult> {
    try {
      return await this.pool.query({ text: sql, values: params, ...(rowMode ? { rowMode } : {}) });
    } catch (err) {
      const e = err as Error & { code?: unknown };
      // 57014 is the server cancelling at statement_timeout; the client's own read timeout is the backstop.
      if (e.code === '57014' || /Query read timeout/.test(e.message ?? '')) throw statementTimedOut(this.limits, err);
      if (err instanceof AppError) throw err;
      throw mapConnectionError(err, this.engineName, this.host, classifyPgError);
    }
  }

  protected async run(statement: Statement): Promise<WarehouseRow[]> {
    // Rows as arrays: each output row is built once, without the driver's intermediate object.
    const result = await this.runRaw(statement, 'array');
    const names = result.fields.map((f) => f.name);
    return result.rows.map((row: unknown[]) => {
      const out: Record<string, WarehouseValue> = {};
      for (let c = 0; c < names.length; c++) out[names[c]!] = toValue(row[c]);
      return out;
    });
  }
}
