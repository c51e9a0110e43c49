/**
 * Several worker processes sharing one queue. PostgreSQL only: PGlite is one connection in one process, so
 * there is nothing to race there; on PostgreSQL each worker gets its own pool, as separate processes would.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { createTestDatabase, describePostgresOnly, type TestDatabase } from '../support/databases.ts';
import { createOrganization, createWebhook, enqueueWebhookTask, recordingLog, startReceiver, type Receiver } from './support.ts';

const WORKERS = 4;
const TASKS = 100;

describePostgresOnly('concurrent workers', () => {
  let database: TestDatabase;
  let receiver: Receiver;
  const pools: AppDatabase[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await receiver?.close();
    await database?.close(); // undefined when creating it failed
  });

  it(`${WORKERS} workers drain ${TASKS} tasks and each body is delivered exactly once`, async () => {
    const clock = new ManualClock();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    for (let i = 0; i < TASKS; i++) {
      await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: { n: i } }, clock.now());
    }

    const ran = Array.from({ length: WORKERS }, () => 0);
    for (let w = 0; w < WORKERS; w++) {
      pools.push(await openDatabase({ databaseUrl: database.databaseUrl, schema: database.schema as string, poolSize: 2 }));
    }
    await Promise.all(
      pools.map(async (pool, w) => {
        const worker = createWorker({
          db: pool.db,
          clock,
          workerId: `worker-${w}`,
          handlers: createTaskHandlers({ db: pool.db, clock, allowPrivateIps: true }),
          log: recordingLog(),
        });
        for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) ran[w] = (ran[w] ?? 0) + n;
      }),
    );

    const bodies = receiver.requests.map((r) => (JSON.parse(r.body) as { n: number }).n).sort((a, b) => a - b);
    expect(bodies).toEqual(Array.from({ length: TASKS }, (_, i) => i));
    const statuses = await database.db.selectFrom('tasks').select(({ fn }) => ['status', fn.countAll<string>().as('count')]).groupBy('status').execute();
    expect(statuses).toEqual([{ status: 'success', count: String(TASKS) }]);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(TASKS);
    expect(ran.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});
