/**
 * Driver errors of the network engines turned into the reference's answers (spec §3.2): a missing
 * database is 404, a connection that takes too long is 504, anything else reaching the server is 502,
 * each as `{"message"}`. The messages name the host and the cause but never a credential.
 */
import { AppError, MessageNotFoundError, WarehouseError } from '../domain/errors.ts';
import { DnsLookupError, UnsafeAddressError } from '../net/safe-resolve.ts';

const NETWORK_CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'unknown host (DNS lookup failed)',
};

/** The server-side facts a driver reports, in one shape for pg and mysql2. */
export interface DriverFailure {
  readonly kind: 'auth' | 'database_missing' | 'connect_timeout' | 'other';
  readonly detail: string;
}

/**
 * @example mapConnectionError(err, 'PostgreSQL', 'db.example.com', (e) => ({ kind: 'other', detail: e.message }))
 */
export function mapConnectionError(
  err: unknown,
  engine: string,
  host: string,
  classify: (err: Error & { code?: unknown }) => DriverFailure,
): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DnsLookupError) return new WarehouseError('warehouse_unavailable', `DNS resolution failed for ${engine} host ${host}: ${err.message}`, { cause: err });
  if (err instanceof UnsafeAddressError) return new WarehouseError('warehouse_unavailable', `Refusing to connect to ${engine} host: ${err.message}`, { cause: err });
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & { code?: unknown };
  const network = typeof e.code === 'string' ? NETWORK_CAUSES[e.code] : undefined;
  if (network) return new WarehouseError('warehouse_unavailable', `Could not connect to ${engine} at ${host}: ${network}.`, { cause: err });
  const failure = classify(e);
  switch (failure.kind) {
    case 'auth':
      return new WarehouseError('warehouse_unavailable', `${engine} at ${host} refused the credentials: ${failure.detail}`, { cause: err });
    case 'database_missing':
      return new MessageNotFoundError(`${engine} at ${host}: ${failure.detail}`);
    case 'connect_timeout':
      return new WarehouseError('warehouse_timeout', `Connecting to ${engine} at ${host} timed out.`, { cause: err });
    case 'other':
      return new WarehouseError('warehouse_unavailable', `${engine} at ${host} failed: ${failure.detail}`, { cause: err });
  }
}
