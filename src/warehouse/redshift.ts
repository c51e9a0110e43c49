/**
 * The Redshift engine: PostgreSQL's wire protocol and most of its SQL, with Redshift's differences.
 * Tables are listed through `information_schema` on `current_schemas(false)`, columns are read from the
 * type codes of a `SELECT * … LIMIT 0` (Redshift's catalogue lacks what `describeTable` of PostgreSQL
 * uses), there are no array parameters or UUIDs, and TLS is always `verify-full` (spec §3.2).
 * Tested against PostgreSQL here; see docs/warehouses.md for what that leaves unproven.
 */
import { DEFAULT_LIMITS, type ColumnInfo, type ColumnType, type TableInfo } from './warehouse.ts';
import { PostgresWarehouse, type PostgresWarehouseOptions } from './postgres.ts';
import { redshiftQueryDialect } from './query-dialects.ts';

/** Redshift's type codes as the LIMIT 0 result reports them, with our type and a readable name. */
const TYPE_CODES: Readonly<Record<number, readonly [ColumnType, string]>> = {
  16: ['boolean', 'boolean'],
  20: ['bigint', 'bigint'],
  21: ['integer', 'smallint'],
  23: ['integer', 'integer'],
  25: ['string', 'text'],
  700: ['float', 'real'],
  701: ['float', 'double precision'],
  1042: ['string', 'character'],
  1043: ['string', 'character varying'],
  1082: ['date', 'date'],
  1114: ['timestamp', 'timestamp without time zone'],
  1184: ['timestamptz', 'timestamp with time zone'],
  1700: ['decimal', 'numeric'],
};

/** Our column type (and a display name) for a Redshift type code; unknown codes are reported, not guessed. */
export function normalizeRedshiftTypeCode(code: number): readonly [ColumnType, string] {
  return TYPE_CODES[code] ?? ['unsupported', `type code ${code}`];
}

export class RedshiftWarehouse extends PostgresWarehouse {
  protected override readonly engineName: string = 'Redshift';

  /**
   * `sslmode` is forced to verify-full unless `trustSslMode` is set, which only tests against a plain
   * PostgreSQL server use.
   *
   * @example const w = await RedshiftWarehouse.open({ host: 'x.redshift.amazonaws.com', port: 5439, user, password, dbname: 'dev', sslmode: 'verify-full', allowPrivateIps: false });
   */
  static override async open(options: PostgresWarehouseOptions & { readonly trustSslMode?: boolean }): Promise<RedshiftWarehouse> {
    const pool = await PostgresWarehouse.pinnedPool(options.trustSslMode ? options : { ...options, sslmode: 'verify-full' }, 'Redshift');
    return new RedshiftWarehouse(pool, options.host, options.limits ?? DEFAULT_LIMITS, redshiftQueryDialect);
  }

  override async listTables(): Promise<string[]> {
    const rows = await this.run({
      sql: `SELECT DISTINCT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))`,
      params: [],
    });
    return rows.map((r) => String(r['table_name'])).sort();
  }

  override async describeTable(table: string): Promise<TableInfo> {
    const known = await this.listTables();
    if (!known.includes(table)) await this.tableMissing(table);
    const result = await this.runRaw({ sql: `SELECT * FROM ${this.q(table)} LIMIT 0`, params: [] });
    const columns: ColumnInfo[] = result.fields
      .map((f) => {
        const [type, nativeType] = normalizeRedshiftTypeCode(f.dataTypeID);
        return { name: f.name, type, nativeType, description: null };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // LIMIT 0 says nothing about keys; Redshift's are informational anyway.
    return { name: table, columns, primaryKey: [] };
  }
}
