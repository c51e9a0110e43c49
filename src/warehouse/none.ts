/**
 * The warehouse of the "API only" datasource every organization starts with: it has no tables, and
 * anything that needs rows is a bad request rather than a crash.
 */
import { AppError } from '../domain/errors.ts';
import type { FieldExemplars, IccInputs, MetricBaseline, TableInfo, Warehouse, WarehouseRow } from './warehouse.ts';

const NO_WAREHOUSE_MESSAGE = 'This datasource has no warehouse (API only).';

function refuse(): never {
  throw new AppError('bad_request', NO_WAREHOUSE_MESSAGE);
}

export class NoWarehouse implements Warehouse {
  async listTables(): Promise<string[]> {
    return [];
  }

  async describeTable(_table: string): Promise<TableInfo> {
    refuse();
  }

  async count(): Promise<number> {
    refuse();
  }

  async sample(): Promise<WarehouseRow[]> {
    refuse();
  }

  async baselineStats(): Promise<MetricBaseline[]> {
    refuse();
  }

  async iccInputs(): Promise<IccInputs> {
    refuse();
  }

  async fieldExemplars(): Promise<FieldExemplars> {
    refuse();
  }

  // eslint-disable-next-line require-yield -- an empty stream that refuses on first pull
  async *fetchByIds(): AsyncIterable<WarehouseRow[]> {
    refuse();
  }

  /** Nothing to reach, so always reachable. */
  async checkConnectivity(): Promise<void> {}

  async close(): Promise<void> {}
}
