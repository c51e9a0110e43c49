/**
 * Wiring by hand: the pieces every subcommand shares, built from the configuration (no container, no
 * globals). Each subcommand takes what it needs and closes it on shutdown.
 */
import { ConfigError, type Config } from '../config.ts';
import { systemClock } from '../domain/clock.ts';
import type { ServiceDeps } from '../services/context.ts';
import { openDatabase, type AppDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { loadSecretKeyset, SECRET_KEYS_ENV } from '../security/secret-keyset-file.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import { hardenGoogleEnvironment } from '../warehouse/bigquery-ambient.ts';
import { openWarehouse } from '../warehouse/open-warehouse.ts';

export interface Runtime {
  readonly database: AppDatabase;
  readonly deps: ServiceDeps;
}

/**
 * The keyset that encrypts warehouse credentials. Embedded: generated on first start in the data directory.
 * Shared database: from EQUIPOISE_SECRET_KEYS, and `requireSecretKeys` (what `openRuntime` passes with a
 * DATABASE_URL) refuses to start without it. Without the requirement the server warns, and storing or using
 * a warehouse password answers 400 naming the variable.
 */
export function secretKeysetFor(config: Config, options: { requireSecretKeys?: boolean } = {}): SecretKeyset | null {
  let keyset: SecretKeyset | null;
  try {
    keyset = loadSecretKeyset({ fromEnv: config.secretKeys, dataDir: config.dataDir, embedded: config.databaseUrl === undefined });
  } catch (err) {
    throw new ConfigError(`Invalid environment:\n  ${SECRET_KEYS_ENV}: ${(err as Error).message}`);
  }
  if (!keyset && options.requireSecretKeys) {
    throw new ConfigError(`Invalid environment:\n  ${SECRET_KEYS_ENV}: required with DATABASE_URL (warehouse credentials are encrypted with it)`);
  }
  if (!keyset) console.warn(`${SECRET_KEYS_ENV} is not set: warehouse datasources with passwords cannot be created or used.`);
  return keyset;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  // BigQuery must only ever use each datasource's own service account: refuse ambient Google credentials
  // and point the metadata server nowhere before anything could pick them up.
  try {
    hardenGoogleEnvironment();
  } catch (err) {
    throw new ConfigError(`Invalid environment:\n  ${(err as Error).message}`);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
  } catch (err) {
    await database.close();
    throw err;
  }
  let secrets: SecretKeyset | null;
  try {
    // A shared database holds other organizations' credentials: refuse to run without the key that protects them.
    secrets = secretKeysetFor(config, { requireSecretKeys: config.databaseUrl !== undefined });
  } catch (err) {
    await database.close();
    throw err;
  }
  const deps: ServiceDeps = {
    secrets,
    db: database.db,
    clock: systemClock,
    publicUrl: config.publicUrl,
    allowPrivateIps: config.allowPrivateIps,
    webhookEgress: config.webhookEgress,
    openWarehouse: (settings) =>
      openWarehouse(settings as Parameters<typeof openWarehouse>[0], { dataDir: config.dataDir, allowPrivateIps: config.allowPrivateIps }),
  };
  return { database, deps };
}

/** Runs `stop` once on SIGINT/SIGTERM, then exits. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down…`);
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error('Shutdown failed:', err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}
