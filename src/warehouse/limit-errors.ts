/**
 * The errors a datasource's limits produce. Each names the limit, its current value and the setting that
 * raises it, because the person who hits one is rarely the one who configured the datasource.
 *
 * @example throw rowCapExceeded('sample', limits) // 422 {"message": "... row cap of 5,000,000 rows ..."}
 */
import { WarehouseError } from '../domain/errors.ts';
import type { WarehouseLimits } from './warehouse.ts';

const count = (n: number): string => n.toLocaleString('en-US');

export function rowCapExceeded(what: string, limits: WarehouseLimits): WarehouseError {
  return new WarehouseError(
    'limit_exceeded',
    `The ${what} would return more than ${count(limits.maxRows)} rows, this datasource's row cap. ` +
      `Narrow the filters, or raise the cap with "max_rows" in the datasource's dsn (PATCH /v1/m/datasources/{id}).`,
  );
}

export function statementTimedOut(limits: WarehouseLimits, cause?: unknown): WarehouseError {
  return new WarehouseError(
    'warehouse_timeout',
    `A warehouse statement ran longer than this datasource's statement timeout of ${limits.statementTimeoutMs / 1000} s and was cancelled. ` +
      `Narrow the query, or raise the timeout with "statement_timeout_ms" in the datasource's dsn (PATCH /v1/m/datasources/{id}).`,
    { cause },
  );
}
