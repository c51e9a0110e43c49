/**
 * The connection settings ("dsn") of a datasource as the API takes and shows them (spec §1.6), and as
 * they are stored: the same fields with the credential replaced by its AES-GCM ciphertext, bound to the
 * datasource's id. Reads always show `{"type": "hidden"}` in its place.
 */
import { z } from 'zod';
import { FIELD_NAME } from '../domain/design-spec.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';

const MIN_STATEMENT_TIMEOUT_MS = 1_000;
const MAX_STATEMENT_TIMEOUT_MS = 3_600_000;
const MAX_ROWS_CEILING = 100_000_000;

const Limits = {
  /** Deadline of one warehouse statement; default 60,000 ms. */
  statement_timeout_ms: z.number().int().min(MIN_STATEMENT_TIMEOUT_MS).max(MAX_STATEMENT_TIMEOUT_MS).optional(),
  /** Most rows one sample or fetch may return; default 5,000,000. */
  max_rows: z.number().int().min(1).max(MAX_ROWS_CEILING).optional(),
};

const Password = z.discriminatedUnion('type', [
  z.object({ type: z.literal('revealed'), value: z.string().max(1000) }).strict(),
  z.object({ type: z.literal('hidden') }).strict(),
]);

const HOST = /^[A-Za-z0-9.:\-[\]]{1,253}$/;
const Network = {
  host: z.string().regex(HOST, 'must be a host name or IP address'),
  port: z.number().int().min(1024).max(65535),
  user: z.string().min(1).max(255),
  password: Password,
  dbname: z.string().min(1).max(255),
  ...Limits,
};
const SearchPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a comma-separated list of schema names')
  .nullable()
  .optional();

export const DsnSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('api_only') }).strict(),
  z.object({ type: z.literal('duckdb'), path: z.string().min(1).max(1000), ...Limits }).strict(),
  z
    .object({ type: z.literal('postgres'), ...Network, sslmode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('verify-full'), search_path: SearchPath })
    .strict(),
  z.object({ type: z.literal('redshift'), ...Network, search_path: SearchPath }).strict(),
  z.object({ type: z.literal('mariadb'), ...Network, ssl: z.boolean().default(false) }).strict(),
]);
export type Dsn = z.infer<typeof DsnSchema>;

/** What `datasources.config` holds; `credentials` is ciphertext. */
export type StoredConfig = Record<string, unknown> & { driver: string };

const DRIVER_OF: Record<Dsn['type'], string> = { api_only: 'none', duckdb: 'duckdb', postgres: 'postgres', redshift: 'redshift', mariadb: 'mariadb' };

export function driverOf(dsn: Dsn): string {
  return DRIVER_OF[dsn.type];
}

/** The associated data that binds a datasource's credential to its row. */
export function credentialAad(datasourceId: string): string {
  return `datasource:${datasourceId}:credentials`;
}

/** Why the credential cannot be stored, or null; a hidden password needs a compatible stored one. */
export function hiddenCredentialProblem(dsn: Dsn, existing: StoredConfig | undefined): string | null {
  if (!('password' in dsn) || dsn.password.type === 'revealed') return null;
  if (!existing) return 'Credentials must be revealed when a datasource is created.';
  if (existing.driver !== driverOf(dsn) || typeof existing['credentials'] !== 'string') {
    return 'A hidden credential can only keep the stored one when the driver is unchanged; send the password revealed.';
  }
  return null;
}

/**
 * The stored form of `dsn` for datasource `id`: a revealed password is encrypted, a hidden one keeps the
 * existing ciphertext (callers check `hiddenCredentialProblem` first).
 *
 * @example toStoredConfig({ type: 'duckdb', path: 'w.duckdb' }, 'ds_1', keyset, undefined) // { driver: 'duckdb', path: 'w.duckdb' }
 */
export function toStoredConfig(dsn: Dsn, id: string, keyset: SecretKeyset | null, existing: StoredConfig | undefined): StoredConfig {
  const { type: _type, ...rest } = dsn;
  if (!('password' in rest)) return { driver: driverOf(dsn), ...rest };
  const { password, ...settings } = rest;
  let credentials: string;
  if (password.type === 'revealed') {
    if (!keyset) throw new Error('No secret keyset is configured.');
    credentials = keyset.encrypt(password.value, credentialAad(id));
  } else {
    credentials = String(existing?.['credentials']);
  }
  return { driver: driverOf(dsn), ...settings, credentials };
}

/** The stored config as the API shows it: everything but the credential, which is always hidden. */
export function publicDsn(config: Record<string, unknown>): Record<string, unknown> {
  const { driver, credentials, ...rest } = config;
  if (driver === 'none') return { type: 'api_only' };
  if (driver === 'duckdb') return { type: 'duckdb', ...rest };
  return { type: String(driver), ...rest, password: { type: 'hidden' } };
}

/** The config with the credential decrypted, for one connection; never stored, returned or logged. */
export function decryptedConfig(config: Record<string, unknown>, id: string, keyset: SecretKeyset | null): Record<string, unknown> {
  const { credentials, ...rest } = config;
  if (typeof credentials !== 'string') return rest;
  if (!keyset) throw new Error('No secret keyset is configured.');
  return { ...rest, password: keyset.decrypt(credentials, credentialAad(id)) };
}

export { FIELD_NAME };
