/**
 * Why a warehouse connection failed, in the user's words: one of a few problem codes, the warehouse's
 * own message (with the credential scrubbed), what to do about it, and the settings field to look at, so
 * a "Test connection" button can put the explanation next to the field that is probably wrong.
 */
import { AppError, MessageNotFoundError, WarehouseError } from '../domain/errors.ts';
import { DnsLookupError, UnsafeAddressError } from '../net/safe-resolve.ts';
import type { Dsn } from './datasource-dsn.ts';

export const CONNECTION_PROBLEM_CODES = ['dns', 'blocked_address', 'refused', 'unreachable', 'auth', 'not_found', 'timeout', 'tls', 'settings', 'failed'] as const;
export type ConnectionProblemCode = (typeof CONNECTION_PROBLEM_CODES)[number];

export interface ConnectionProblem {
  readonly code: ConnectionProblemCode;
  /** What went wrong, as the warehouse or our guard said it; never contains the credential. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  /** The dsn field most likely at fault (`host`, `port`, `password`, `dbname`, `path`, …), or null. */
  readonly field: string | null;
}

const ENGINE: Record<Dsn['type'], string> = {
  api_only: 'API only',
  duckdb: 'DuckDB',
  postgres: 'PostgreSQL',
  redshift: 'Redshift',
  mariadb: 'MariaDB/MySQL',
  bigquery: 'BigQuery',
};

const REFUSED_CODES = new Set(['ECONNREFUSED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const AUTH_CODES = new Set(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
const AUTH_ERRNOS = new Set([1044, 1045]);
const TLS_CODES = new Set([
  'HANDSHAKE_NO_SSL_SUPPORT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const TLS_TEXT = /\bSSL\b|\bTLS\b|secure connection|certificate/i;

type Cause = Error & { code?: unknown; errno?: unknown };

/** The driver's original error behind our mapped one (one or two `cause` links deep). */
function rootCause(err: unknown): Cause | null {
  let e: unknown = err;
  for (let i = 0; i < 3 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  return e instanceof Error && e !== err ? (e as Cause) : null;
}

function hasCode(cause: Cause | null, codes: ReadonlySet<string>): boolean {
  return cause !== null && typeof cause.code === 'string' && codes.has(cause.code);
}

/**
 * Replaces every occurrence of a secret in a message. Drivers do not normally quote passwords, but a
 * test-connection answer goes back to the browser, so nothing is left to "normally".
 */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('••••');
  return out;
}

function networkPort(dsn: Dsn): string {
  const usual = dsn.type === 'redshift' ? 5439 : dsn.type === 'mariadb' ? 3306 : 5432;
  return 'port' in dsn ? `${dsn.port} (${ENGINE[dsn.type]} usually listens on ${usual})` : 'the port';
}

const CREDENTIAL_FIELD = (dsn: Dsn) => (dsn.type === 'bigquery' ? 'credentials' : 'password');

/**
 * The problem behind `err`, thrown while connecting with `dsn`.
 *
 * @example classifyConnectionError(new DnsLookupError('db.example', 'no such host'), dsn, []) // { code: 'dns', field: 'host', … }
 */
export function classifyConnectionError(err: unknown, dsn: Dsn, secrets: readonly string[]): ConnectionProblem {
  const cause = err instanceof DnsLookupError || err instanceof UnsafeAddressError ? err : (rootCause(err) ?? (err instanceof Error && !(err instanceof AppError) ? (err as Cause) : null));
  // The guard's own errors arrive unwrapped (the service checks the host before connecting); word them as create does.
  const raw =
    err instanceof DnsLookupError
      ? `DNS resolution failed for ${err.host}: ${err.message}`
      : err instanceof UnsafeAddressError
        ? `Refusing to connect: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
  const message = scrubSecrets(raw, secrets);
  const make = (code: ConnectionProblemCode, hint: string, field: string | null): ConnectionProblem => ({ code, message, hint, field });
  const host = 'host' in dsn ? dsn.host : '';

  if (cause instanceof UnsafeAddressError) {
    return make(
      'blocked_address',
      `${host} is a private, loopback or otherwise internal address, which this server refuses so that datasources cannot reach its own network. Use the warehouse's public address; on a self-hosted server where every user is trusted, an administrator can set ALLOW_PRIVATE_IPS=true.`,
      'host',
    );
  }
  if (cause instanceof DnsLookupError || hasCode(cause, DNS_CODES)) {
    return make('dns', `Check the host name for typos. It must resolve on the Equipoise server: a name that only resolves on your own network or VPN will not work here.`, 'host');
  }
  if (hasCode(cause, REFUSED_CODES)) {
    return make('refused', `Nothing accepted the connection at ${host}. Check the port: ${networkPort(dsn)}, that the warehouse is running, and that it listens on that address.`, 'port');
  }
  if (hasCode(cause, UNREACHABLE_CODES)) {
    return make('unreachable', `The network path to ${host} is closed. Check that the warehouse's firewall or security group admits connections from the Equipoise server.`, 'host');
  }
  if (err instanceof WarehouseError && err.code === 'warehouse_timeout') {
    return make(
      'timeout',
      `${host || 'The warehouse'} did not answer in time. This is usually a firewall that silently drops the connection, or a wrong host or port; check that the warehouse admits connections from the Equipoise server.`,
      'host' in dsn ? 'host' : null,
    );
  }
  if (hasCode(cause, AUTH_CODES) || (cause !== null && typeof cause.errno === 'number' && AUTH_ERRNOS.has(cause.errno)) || /refused the credentials/.test(raw)) {
    if (dsn.type === 'bigquery') {
      return make('auth', 'Google refused the service-account key. Check that the key has not been deleted or disabled, and that the account has the BigQuery Data Viewer and BigQuery Job User roles on the project.', 'credentials');
    }
    return make(
      'auth',
      `Check the user name and password. The user must also be allowed to sign in from the Equipoise server's address${dsn.type === 'mariadb' ? " (MariaDB/MySQL grants are per 'user'@'host')" : dsn.type === 'postgres' ? ' (pg_hba.conf on PostgreSQL)' : ''}.`,
      CREDENTIAL_FIELD(dsn),
    );
  }
  if (hasCode(cause, TLS_CODES) || (cause !== null && TLS_TEXT.test(cause.message))) {
    const fix =
      dsn.type === 'postgres'
        ? "If the server has no TLS, choose SSL mode 'disable' (only on a trusted network); if its certificate is self-signed or issued for another name, 'require' encrypts without verifying it."
        : dsn.type === 'mariadb'
          ? 'Turn TLS off if the server does not offer it, or give the server a certificate Node.js trusts.'
          : 'Check that the server offers TLS with a certificate issued by a public authority for this host name.';
    return make('tls', `The encrypted connection could not be set up. ${fix}`, dsn.type === 'postgres' ? 'sslmode' : dsn.type === 'mariadb' ? 'ssl' : 'host');
  }
  if (err instanceof MessageNotFoundError) {
    if (dsn.type === 'duckdb') return make('not_found', "The file was not found in the server's data directory. Give a path relative to DATA_DIR, and check its spelling.", 'path');
    if (dsn.type === 'bigquery') return make('not_found', 'Check the project id and dataset id; the service account must be able to see the dataset.', 'dataset_id');
    return make('not_found', `The server answered but has no database by that name. Check the database name${dsn.type === 'postgres' || dsn.type === 'redshift' ? ' (it is case-sensitive)' : ''}.`, 'dbname');
  }
  if (err instanceof AppError && err.code === 'bad_request') {
    return make('settings', 'Change the setting the message names, then test again.', dsn.type === 'duckdb' ? 'path' : null);
  }
  return make('failed', `${ENGINE[dsn.type]} answered with an error; the message above is what it said. Check the settings it points to and test again.`, null);
}
