/**
 * The connection settings ("dsn") of a datasource as the API takes and shows them (spec §1.6), and as
 * they are stored: the same fields with the credential replaced by its AES-GCM ciphertext, bound to the
 * datasource's id. Reads always show `{"type": "hidden"}` in its place. The credential is the `password`
 * of the network engines and the service-account JSON (`credentials`) of BigQuery; both are stored in
 * the config's `credentials` key and follow the same hidden/revealed rules.
 */
import { z } from 'zod';
import { FIELD_NAME } from '../domain/design-spec.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import { MAX_SERVICE_ACCOUNT_JSON, parseServiceAccount } from '../warehouse/bigquery-credentials.ts';
import { missingKeysetError } from './datasource-secrets.ts';

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

/** The service-account key, checked for the fields spec §1.6 requires; problems never quote the key. */
const ServiceAccountCredentials = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('serviceaccountinfo'),
      content: z
        .string()
        .max(MAX_SERVICE_ACCOUNT_JSON)
        .superRefine((content, ctx) => {
          const parsed = parseServiceAccount(content);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
        }),
    })
    .strict(),
  z.object({ type: z.literal('hidden') }).strict(),
]);

const BigQuery = {
  project_id: z.string().regex(/^[a-z0-9-]{6,30}$/, 'must be 6–30 characters of a-z, 0-9 and -'),
  dataset_id: z.string().max(1024).regex(/^[A-Za-z0-9_]+$/, 'must be letters, digits and underscores'),
  credentials: ServiceAccountCredentials,
  ...Limits,
};

export const DsnSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('api_only') }).strict(),
  z.object({ type: z.literal('duckdb'), path: z.string().min(1).max(1000), ...Limits }).strict(),
  z
    .object({ type: z.literal('postgres'), ...Network, sslmode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('verify-full'), search_path: SearchPath })
    .strict(),
  z.object({ type: z.literal('redshift'), ...Network, search_path: SearchPath }).strict(),
  z.object({ type: z.literal('mariadb'), ...Network, ssl: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('bigquery'), ...BigQuery }).strict(),
]);
export type Dsn = z.infer<typeof DsnSchema>;

/** What `datasources.config` holds; `credentials` is ciphertext. */
export type StoredConfig = Record<string, unknown> & { driver: string };

const DRIVER_OF: Record<Dsn['type'], string> = {
  api_only: 'none',
  duckdb: 'duckdb',
  postgres: 'postgres',
  redshift: 'redshift',
  mariadb: 'mariadb',
  bigquery: 'bigquery',
};

export function driverOf(dsn: Dsn): string {
  return DRIVER_OF[dsn.type];
}

/** The associated data that binds a datasource's credential to its row. */
export function credentialAad(datasourceId: string): string {
  return `datasource:${datasourceId}:credentials`;
}

/** A dsn's credential: which field holds it, and its plaintext when revealed (null when hidden). */
interface DsnSecret {
  readonly field: 'password' | 'credentials';
  readonly revealed: string | null;
}

/** The dsn's credential, or null for the engines without one (API only, DuckDB). */
export function secretOf(dsn: Dsn): DsnSecret | null {
  if (dsn.type === 'bigquery') {
    return { field: 'credentials', revealed: dsn.credentials.type === 'serviceaccountinfo' ? dsn.credentials.content : null };
  }
  if ('password' in dsn) return { field: 'password', revealed: dsn.password.type === 'revealed' ? dsn.password.value : null };
  return null;
}

/** Whether storing `dsn` encrypts a new credential (and so needs the keyset). */
export function revealsCredential(dsn: Dsn): boolean {
  return secretOf(dsn)?.revealed != null;
}

/**
 * Why the credential cannot be stored, or null; a hidden one needs a compatible stored one: the same
 * driver, so a Postgres password is never taken for a service-account key or the other way round.
 */
export function hiddenCredentialProblem(dsn: Dsn, existing: StoredConfig | undefined): string | null {
  const secret = secretOf(dsn);
  if (!secret || secret.revealed !== null) return null;
  if (!existing) return 'Credentials must be revealed when a datasource is created.';
  if (existing.driver !== driverOf(dsn) || typeof existing['credentials'] !== 'string') {
    const what = secret.field === 'credentials' ? 'the service-account credentials' : 'the password';
    return `A hidden credential can only keep the stored one when the driver is unchanged; send ${what} revealed.`;
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
  const secret = secretOf(dsn);
  if (!secret) return { driver: driverOf(dsn), ...rest };
  // The plaintext field is dropped whatever its name; only ciphertext reaches the database.
  const settings: Record<string, unknown> = { ...rest };
  delete settings[secret.field];
  let credentials: string;
  if (secret.revealed !== null) {
    if (!keyset) throw missingKeysetError();
    credentials = keyset.encrypt(secret.revealed, credentialAad(id));
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
  if (driver === 'bigquery') return { type: 'bigquery', ...rest, credentials: { type: 'hidden' } };
  return { type: String(driver), ...rest, password: { type: 'hidden' } };
}

/** The config with the credential decrypted, for one connection; never stored, returned or logged. */
export function decryptedConfig(config: Record<string, unknown>, id: string, keyset: SecretKeyset | null): Record<string, unknown> {
  const { credentials, ...rest } = config;
  if (typeof credentials !== 'string') return rest;
  if (!keyset) throw new Error('No secret keyset is configured.');
  const plaintext = keyset.decrypt(credentials, credentialAad(id));
  // Each driver's config names its secret as `open-warehouse.ts` expects it.
  return rest['driver'] === 'bigquery' ? { ...rest, service_account_json: plaintext } : { ...rest, password: plaintext };
}

export { FIELD_NAME };
