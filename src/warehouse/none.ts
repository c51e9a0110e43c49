/**
 * The warehouse of the "API only" datasource every organization starts with: it has no tables, and
 * anything that needs rows is a bad request rather than a crash.
 */
import { AppError } from '../domain/errors.ts';
import type { SampleRequest, TableInfo, Warehouse, WarehouseRow } from './warehouse.ts';

const NO_WAREHOUSE_MESSAGE = 'This datasource has no warehouse (API only).';

export class NoWarehouse implements Warehouse {
  async listTables(): Promise<string[]> {
    return [];
  }

  async describeTable(_table: string): Promise<TableInfo> {
    throw new AppError('bad_request', NO_WAREHOUSE_MESSAGE);
  }

  async sample(_request: SampleRequest): Promise<WarehouseRow[]> {
    throw new AppError('bad_request', NO_WAREHOUSE_MESSAGE);
  }

  async close(): Promise<void> {}
}
