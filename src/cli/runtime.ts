/**
 * Wiring by hand: the pieces every subcommand shares, built from the configuration (no container, no
 * globals). Each subcommand takes what it needs and closes it on shutdown.
 */
import type { Config } from '../config.ts';
import { systemClock } from '../domain/clock.ts';
import type { ServiceDeps } from '../services/context.ts';
import { openDatabase, type AppDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openWarehouse } from '../warehouse/open-warehouse.ts';

export interface Runtime {
  readonly database: AppDatabase;
  readonly deps: ServiceDeps;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
  } catch (err) {
    await database.close();
    throw err;
  }
  const deps: ServiceDeps = {
    db: database.db,
    clock: systemClock,
    publicUrl: config.publicUrl,
    allowPrivateIps: config.allowPrivateIps,
    openWarehouse: (settings) => openWarehouse(settings as Parameters<typeof openWarehouse>[0], { dataDir: config.dataDir }),
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
