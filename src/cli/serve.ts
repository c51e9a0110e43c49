/**
 * `equipoise serve`: API, landing page and (unless --no-worker) the task worker in one process. On the
 * embedded default it also bootstraps the demo installation and prints a fresh admin login.
 */
import type { Server } from 'node:http';
import { serve as serveHttp } from '@hono/node-server';
import type { Config } from '../config.ts';
import { createApp } from '../http/app.ts';
import { applyKeepAlive } from '../http/keep-alive.ts';
import { ORPHANED_PREASSIGNMENT_AGE_MS, sweepOrphanedPreassignments } from '../services/experiments/sweep-preassignments.ts';
import { bootstrapInstallation, issueAccessToken, STARTUP_TOKEN_TTL_MS } from '../services/bootstrap.ts';
import { DEMO_PARTICIPANT_TYPE, DEMO_WAREHOUSE_FILE, ensureDemoWarehouse } from '../warehouse/demo-warehouse.ts';
import { appOptionsFromConfig } from './accounts.ts';
import { onShutdown, openRuntime } from './runtime.ts';
import { startWorker } from './start-worker.ts';

export async function serveCommand(config: Config, options: { worker: boolean }): Promise<void> {
  if (!options.worker && !config.databaseUrl) {
    throw new Error('serve --no-worker needs DATABASE_URL: the embedded database belongs to one process, which must also run the worker.');
  }
  const runtime = await openRuntime(config);
  const { db } = runtime.database;

  const orphans = await sweepOrphanedPreassignments(db, new Date(), config.databaseUrl ? ORPHANED_PREASSIGNMENT_AGE_MS : 0);
  if (orphans.length > 0) console.warn(`Removed ${orphans.length} draft(s) whose preassignment was interrupted: ${orphans.join(', ')}`);

  const demo = config.demo ? await ensureDemoWarehouse(config.dataDir) : null;
  const boot = await bootstrapInstallation(
    db,
    demo && { path: DEMO_WAREHOUSE_FILE, participantType: DEMO_PARTICIPANT_TYPE },
  );
  // The embedded default is one person's install: print a fresh login at every start. A shared PostgreSQL
  // installation prints one only when it creates its first admin, so replicas do not mint tokens.
  if (!config.databaseUrl || boot.created) {
    const token = await issueAccessToken(db, boot.userId, new Date(Date.now() + STARTUP_TOKEN_TTL_MS));
    console.log(`Admin token: ${token}`);
    console.log(`Login URL: ${config.publicUrl}/#token=${token}`);
  }

  const app = createApp(runtime.deps, appOptionsFromConfig(config));
  const server = serveHttp({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    console.log(`Equipoise is listening on http://${config.host}:${info.port} (API docs: ${config.publicUrl}/docs)`);
  });
  applyKeepAlive(server as Server);
  const worker = options.worker ? startWorker(runtime, config) : null;

  onShutdown(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker?.stop();
    await runtime.database.close();
  });
}
