/**
 * A whole Equipoise server for cross-layer tests: a fresh app database of the given kind, the demo
 * warehouse in a temp data directory, the bootstrap organization, the HTTP app on a real port and (unless
 * turned off) the task worker. `close()` tears everything down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import { applyKeepAlive } from '../../src/http/keep-alive.ts';
import { bootstrapInstallation, issueAccessToken } from '../../src/services/bootstrap.ts';
import type { ServiceDeps } from '../../src/services/context.ts';
import type { DatabaseKind } from '../../src/store/database.ts';
import { DEMO_PARTICIPANT_TYPE, DEMO_WAREHOUSE_FILE, ensureDemoWarehouse } from '../../src/warehouse/demo-warehouse.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { generateSecretKeyText, parseSecretKeyset } from '../../src/security/secret-keyset.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { AUTOFAIL_CYCLE_TASK, DEFAULT_AUTOFAIL_CHECK_MS } from '../../src/services/bandits/autofail.ts';
import { DEFAULT_SNAPSHOT_SETTINGS, snapshotCycleJob } from '../../src/services/snapshots/snapshot-tasks.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export interface TestServer {
  readonly baseUrl: string;
  readonly database: TestDatabase;
  readonly deps: ServiceDeps;
  readonly adminToken: string;
  readonly organizationId: string;
  readonly demoDatasourceId: string;
  readonly apiOnlyDatasourceId: string;
  /** The server's data directory: DuckDB datasources may open files inside it. */
  readonly dataDir: string;
  readonly worker: ReturnType<typeof createWorker> | null;
  /** fetch against the server with the admin token. */
  admin(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(kind: DatabaseKind, options: { clock?: Clock; worker?: boolean } = {}): Promise<TestServer> {
  const clock = options.clock ?? systemClock;
  const database = await createTestDatabase(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-e2e-'));
  await ensureDemoWarehouse(dataDir);
  const boot = await bootstrapInstallation(database.db, { path: DEMO_WAREHOUSE_FILE, participantType: DEMO_PARTICIPANT_TYPE });
  // Issued on the server's clock, so a server on a ManualClock accepts its own admin token.
  const adminToken = await issueAccessToken(database.db, boot.userId, null, clock);
  const datasources = await database.db.selectFrom('datasources').select(['id', 'driver']).where('organization_id', '=', boot.organizationId).execute();

  let baseUrl = '';
  const deps: ServiceDeps = {
    db: database.db,
    clock,
    get publicUrl() {
      return baseUrl;
    },
    allowPrivateIps: true,
    secrets: parseSecretKeyset(generateSecretKeyText('test')),
    // Warehouses on this machine (PostgreSQL, MariaDB) are loopback addresses; deps allow private IPs too.
    openWarehouse: (settings) => openWarehouse(settings as Parameters<typeof openWarehouse>[0], { dataDir, allowPrivateIps: true }),
  };
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  applyKeepAlive(server as Server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const worker =
    options.worker === false
      ? null
      : createWorker({
          db: database.db,
          clock,
          handlers: createTaskHandlers({ db: database.db, clock, allowPrivateIps: true, secrets: deps.secrets, publicUrl: baseUrl, services: deps, snapshots: DEFAULT_SNAPSHOT_SETTINGS }),
          pollMs: 200,
          periodic: [{ taskType: AUTOFAIL_CYCLE_TASK, everyMs: DEFAULT_AUTOFAIL_CHECK_MS }, snapshotCycleJob(DEFAULT_SNAPSHOT_SETTINGS)],
          listen: (onNotify) => database.listen('equipoise_tasks', onNotify),
        });
  worker?.start();

  return {
    baseUrl,
    database,
    deps,
    adminToken,
    organizationId: boot.organizationId,
    demoDatasourceId: datasources.find((d) => d.driver === 'duckdb')?.id ?? '',
    apiOnlyDatasourceId: datasources.find((d) => d.driver === 'none')?.id ?? '',
    dataDir,
    worker,
    admin: (pathname, init = {}) =>
      fetch(`${baseUrl}${pathname}`, {
        ...init,
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
      }),
    async close() {
      await worker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
