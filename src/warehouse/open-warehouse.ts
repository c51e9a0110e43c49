/**
 * Turns a datasource's stored warehouse config into a live `Warehouse`; services call only this, so adding
 * an engine means one new branch here and one new file beside it.
 */
import { DuckDbWarehouse } from './duckdb.ts';
import { NoWarehouse } from './none.ts';
import type { Warehouse } from './warehouse.ts';

export type WarehouseConfig =
  | { readonly driver: 'none' }
  /** `path` is relative to the data directory, or absolute but inside it. */
  | { readonly driver: 'duckdb'; readonly path: string };

export interface OpenWarehouseOptions {
  /** The server's data directory: the only place DuckDB files may be opened from. */
  readonly dataDir: string;
}

/**
 * @example const warehouse = await openWarehouse({ driver: 'duckdb', path: 'demo-warehouse.duckdb' }, { dataDir: '.data' });
 */
export async function openWarehouse(config: WarehouseConfig, options: OpenWarehouseOptions): Promise<Warehouse> {
  switch (config.driver) {
    case 'none':
      return new NoWarehouse();
    case 'duckdb':
      return DuckDbWarehouse.open({ path: config.path, baseDir: options.dataDir });
  }
}
