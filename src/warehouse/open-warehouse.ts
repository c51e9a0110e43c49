/**
 * Turns a datasource's warehouse config (secrets already decrypted by the service) into a live
 * `Warehouse`; services call only this, so adding an engine means one new branch here and one new file
 * beside it.
 */
import { BigQueryWarehouse } from './bigquery.ts';
import { DuckDbWarehouse } from './duckdb.ts';
import { MariaDbWarehouse } from './mariadb.ts';
import { NoWarehouse } from './none.ts';
import { PostgresWarehouse, type SslMode } from './postgres.ts';
import { RedshiftWarehouse } from './redshift.ts';
import { DEFAULT_MAX_ROWS, DEFAULT_STATEMENT_TIMEOUT_MS, type Warehouse, type WarehouseLimits } from './warehouse.ts';

/** Per-datasource limits; absent means the defaults (60 s per statement, 5,000,000 rows). */
export interface LimitSettings {
  readonly statement_timeout_ms?: number | undefined;
  readonly max_rows?: number | undefined;
}

interface NetworkSettings extends LimitSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Plaintext here: the service decrypted it for this one connection. */
  readonly password: string;
  readonly dbname: string;
}

export type WarehouseConfig =
  | { readonly driver: 'none' }
  /** `path` is relative to the data directory, or absolute but inside it. */
  | ({ readonly driver: 'duckdb'; readonly path: string } & LimitSettings)
  | ({ readonly driver: 'postgres'; readonly sslmode: SslMode; readonly search_path?: string | null } & NetworkSettings)
  | ({ readonly driver: 'redshift'; readonly search_path?: string | null } & NetworkSettings)
  | ({ readonly driver: 'mariadb'; readonly ssl?: boolean } & NetworkSettings)
  /** `service_account_json` is plaintext here: the service decrypted it for this one use. */
  | ({ readonly driver: 'bigquery'; readonly project_id: string; readonly dataset_id: string; readonly service_account_json: string } & LimitSettings);

export interface OpenWarehouseOptions {
  /** The server's data directory: the only place DuckDB files may be opened from. */
  readonly dataDir: string;
  /** Whether warehouse hosts may be private addresses (ALLOW_PRIVATE_IPS). */
  readonly allowPrivateIps?: boolean;
}

/** The limits a config asks for, with the defaults filled in. */
export function limitsOf(config: LimitSettings): WarehouseLimits {
  return { statementTimeoutMs: config.statement_timeout_ms ?? DEFAULT_STATEMENT_TIMEOUT_MS, maxRows: config.max_rows ?? DEFAULT_MAX_ROWS };
}

/**
 * @example const warehouse = await openWarehouse({ driver: 'duckdb', path: 'demo-warehouse.duckdb' }, { dataDir: '.data' });
 */
export async function openWarehouse(config: WarehouseConfig, options: OpenWarehouseOptions): Promise<Warehouse> {
  const allowPrivateIps = options.allowPrivateIps ?? false;
  switch (config.driver) {
    case 'none':
      return new NoWarehouse();
    case 'duckdb':
      return DuckDbWarehouse.open({ path: config.path, baseDir: options.dataDir, limits: limitsOf(config) });
    case 'postgres':
      return PostgresWarehouse.open({ ...config, searchPath: config.search_path, limits: limitsOf(config), allowPrivateIps });
    case 'redshift':
      return RedshiftWarehouse.open({ ...config, sslmode: 'verify-full', searchPath: config.search_path, limits: limitsOf(config), allowPrivateIps });
    case 'mariadb':
      return MariaDbWarehouse.open({ ...config, limits: limitsOf(config), allowPrivateIps });
    case 'bigquery':
      // Google's fixed public endpoint, not a customer host: the SSRF guard has nothing to check.
      return BigQueryWarehouse.open({
        projectId: config.project_id,
        datasetId: config.dataset_id,
        serviceAccountJson: config.service_account_json,
        limits: limitsOf(config),
      });
  }
}
