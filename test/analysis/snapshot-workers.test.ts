/**
 * Several scheduler processes (workers on their own connection pools) racing on one PostgreSQL database:
 * over three cycles every eligible experiment gets exactly one snapshot per cycle, and one snapshot task.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import type { ServiceDeps } from '../../src/services/context.ts';
import { snapshotCycleJob, type SnapshotSettings } from '../../src/services/snapshots/snapshot-tasks.ts';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { describePostgresOnly } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { recordingLog } from '../worker/support.ts';
import { createWarehouseDatasource } from './support.ts';

const HOUR = 3_600_000;
const SETTINGS: SnapshotSettings = { intervalMs: HOUR, checkMs: HOUR, timeoutMs: 30_000 };
const WORKERS = 4;

describePostgresOnly('snapshot scheduling with several workers', () => {
  const clock = new ManualClock(new Date('2027-05-01T08:10:00Z'));
  let server: TestServer;
  const pools: AppDatabase[] = [];
  const experiments: string[] = [];

  beforeAll(async () => {
    server = await startTestServer('postgres', { clock, worker: false });
    const { datasourceId: ds } = await createWarehouseDatasource(server, 'duckdb', [
      {
        name: 'visits',
        columns: [
          { name: 'id', type: 'VARCHAR' },
          { name: 'score', type: 'DOUBLE' },
        ],
        rows: Array.from({ length: 50 }, (_, i) => [`v${i}`, i % 9]),
      },
    ]);
    const { key } = (await (await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({ rate_limit_per_second: 5000 }) })).json()) as { key: string };
    for (let e = 0; e < 6; e++) {
      const design = {
        experiment_type: 'freq_online',
        experiment_name: `raced ${e}`,
        start_date: '2027-04-01T00:00:00Z',
        end_date: '2027-09-01T00:00:00Z',
        arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
        table_name: 'visits',
        primary_key: 'id',
        metrics: [{ field_name: 'score' }],
      };
      const { experiment_id: id } = (await (await server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) })).json()) as { experiment_id: string };
      await server.admin(`/v1/m/datasources/${ds}/experiments/${id}/commit`, { method: 'POST' });
      // Half the experiments have participants (successful snapshots), half none (failed ones are retried every cycle).
      if (e % 2 === 0) for (let i = 0; i < 20; i++) await fetch(`${server.baseUrl}/v1/experiments/${id}/assignments/v${i}`, { headers: { 'X-API-Key': key } });
      experiments.push(id);
    }
    for (let w = 0; w < WORKERS; w++) {
      pools.push(await openDatabase({ databaseUrl: server.database.databaseUrl, schema: server.database.schema as string, poolSize: 2 }));
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await server?.close();
  });

  it('snapshots each experiment exactly once per cycle', async () => {
    const workers = pools.map((pool, w) => {
      const services: ServiceDeps = { ...server.deps, db: pool.db };
      return createWorker({
        db: pool.db,
        clock,
        workerId: `w${w}`,
        log: recordingLog(),
        batchSize: 3,
        periodic: [snapshotCycleJob(SETTINGS)],
        handlers: createTaskHandlers({ db: pool.db, clock, allowPrivateIps: true, secrets: server.deps.secrets, services, snapshots: SETTINGS }),
      });
    });
    for (let cycle = 0; cycle < 3; cycle++) {
      for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runOnce()));
      clock.advance(HOUR);
    }
    const rows = await server.database.db.selectFrom('snapshots').select(['experiment_id', 'cycle_start', 'status']).execute();
    for (const id of experiments) {
      const mine = rows.filter((r) => r.experiment_id === id);
      expect(mine.map((r) => r.cycle_start!.toISOString()).sort()).toEqual(['2027-05-01T08:00:00.000Z', '2027-05-01T09:00:00.000Z', '2027-05-01T10:00:00.000Z']);
      expect(new Set(mine.map((r) => r.status))).toEqual(new Set([experiments.indexOf(id) % 2 === 0 ? 'success' : 'failed']));
    }
    const takes = await server.database.db.selectFrom('tasks').select(['dedupe_key', 'status']).where('task_type', '=', 'snapshots.take').execute();
    expect(takes).toHaveLength(experiments.length * 3);
    expect(takes.every((t) => t.status === 'success')).toBe(true);
  });
});
