/**
 * "Test connection": opens a warehouse with settings that are not saved (a new datasource, or changes to
 * an existing one), lists its tables and reports what it found or, in plain words, why it failed. Nothing
 * is written: the credential is used for this one connection, never stored, logged or echoed (it is
 * scrubbed from warehouse messages). Failures of the connection are the answer, not an error status;
 * only a malformed request (422) or an unknown organization/datasource (404) is an error.
 */
import { AppError, ValidationError } from '../domain/errors.ts';
import { DnsLookupError, safeResolve, UnsafeAddressError } from '../net/safe-resolve.ts';
import { parseServiceAccount } from '../warehouse/bigquery-credentials.ts';
import { requireDatasource, requireOrganization } from './access.ts';
import { withWarehouse, type ServiceContext, type UserActor } from './context.ts';
import { classifyConnectionError, type ConnectionProblem } from './datasource-connection-problems.ts';
import { decryptedConfig, driverOf, hiddenCredentialProblem, publicDsn, secretOf, type Dsn, type StoredConfig } from './datasource-dsn.ts';

/** How many table names the answer carries; the count is always complete. */
export const TESTED_TABLES_SHOWN = 50;

export type ConnectionTestResult =
  | { readonly ok: true; readonly driver: string; readonly table_count: number; readonly tables: string[]; readonly elapsed_ms: number }
  | { readonly ok: false; readonly driver: string; readonly problem: ConnectionProblem; readonly elapsed_ms: number };

/** The config `openWarehouse` takes, with the credential in plaintext for this one use. */
function plainConfig(dsn: Dsn, credential: string | null): Record<string, unknown> {
  const { type: _type, ...rest } = dsn;
  const secret = secretOf(dsn);
  if (!secret) return { driver: driverOf(dsn), ...rest };
  const settings: Record<string, unknown> = { ...rest };
  delete settings[secret.field];
  return dsn.type === 'bigquery' ? { driver: 'bigquery', ...settings, service_account_json: credential } : { driver: driverOf(dsn), ...settings, password: credential };
}

/** Strings that must not reach the answer: the password, or the key material of a service account. */
function secretsOf(dsn: Dsn, credential: string | null): string[] {
  if (credential === null || credential === '') return [];
  if (dsn.type !== 'bigquery') return [credential];
  const parsed = parseServiceAccount(credential);
  return parsed.ok ? [credential, parsed.account.private_key, parsed.account.private_key_id] : [credential];
}

/** The first tables (sorted) and their count, or the problem; the host is checked by our guard first. */
async function runTest(ctx: ServiceContext<UserActor>, dsn: Dsn, credential: string | null): Promise<ConnectionTestResult> {
  const started = performance.now();
  const driver = driverOf(dsn);
  const elapsed = () => Math.round(performance.now() - started);
  const secrets = secretsOf(dsn, credential);
  try {
    if ('host' in dsn) await safeResolve(dsn.host, { allowPrivateIps: ctx.allowPrivateIps, allowIpv6: true });
    const tables = await withWarehouse(ctx, plainConfig(dsn, credential), (w) => w.listTables());
    return { ok: true, driver, table_count: tables.length, tables: tables.slice(0, TESTED_TABLES_SHOWN), elapsed_ms: elapsed() };
  } catch (err) {
    // Our mapped errors, the guard's, and driver errors that escaped their engine's mapping (they carry a
    // `code`) are answers about the connection; anything else is a fault of ours and goes to the log as a 500.
    const driverError = err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
    if (!(err instanceof AppError || err instanceof DnsLookupError || err instanceof UnsafeAddressError || driverError)) throw err;
    return { ok: false, driver, problem: classifyConnectionError(err, dsn, secrets), elapsed_ms: elapsed() };
  }
}

/**
 * Tests the settings of a datasource about to be created in `organizationId`; the credential must be revealed.
 *
 * @example await testNewDatasourceConnection(ctx, 'o_1', { type: 'duckdb', path: 'demo-warehouse.duckdb' }) // { ok: true, table_count: 1, … }
 */
export async function testNewDatasourceConnection(ctx: ServiceContext<UserActor>, organizationId: string, dsn: Dsn): Promise<ConnectionTestResult> {
  await requireOrganization(ctx, organizationId);
  const problem = hiddenCredentialProblem(dsn, undefined);
  if (problem) throw new ValidationError([{ loc: ['body', 'dsn', secretOf(dsn)?.field ?? 'password'], msg: problem, type: 'credentials' }]);
  return runTest(ctx, dsn, secretOf(dsn)?.revealed ?? null);
}

/**
 * Tests an existing datasource: its saved settings, or `dsn` (proposed changes) where a hidden credential
 * stands for the saved one, as on update.
 */
export async function testDatasourceConnection(ctx: ServiceContext<UserActor>, datasourceId: string, dsn: Dsn | undefined): Promise<ConnectionTestResult> {
  const ds = await requireDatasource(ctx, datasourceId);
  const stored = ds.config as StoredConfig;
  const proposed = dsn ?? (publicDsn(stored) as Dsn);
  const problem = hiddenCredentialProblem(proposed, stored);
  if (problem) throw new ValidationError([{ loc: ['body', 'dsn', secretOf(proposed)?.field ?? 'password'], msg: problem, type: 'credentials' }]);
  const secret = secretOf(proposed);
  if (!secret) return runTest(ctx, proposed, null);
  if (secret.revealed !== null) return runTest(ctx, proposed, secret.revealed);
  let saved: Record<string, unknown>;
  try {
    saved = decryptedConfig(stored, ds.id, ctx.secrets);
  } catch {
    return {
      ok: false,
      driver: driverOf(proposed),
      problem: {
        code: 'settings',
        message: "The datasource's saved credential cannot be read on this server (its secret key is missing or was rotated away).",
        hint: `Enter the ${secret.field === 'credentials' ? 'service-account key' : 'password'} again and save.`,
        field: secret.field,
      },
      elapsed_ms: 0,
    };
  }
  const credential = saved[proposed.type === 'bigquery' ? 'service_account_json' : 'password'];
  return runTest(ctx, proposed, typeof credential === 'string' ? credential : null);
}
