/**
 * Webhook delivery benchmark, on PGlite and (when reachable) PostgreSQL. Not part of `npm test`.
 *
 * 1. Throughput: 10,000 messages are queued (outbox rows written in transactions of 500), then workers
 *    drain them to a receiver on loopback: deliveries per second, signing and logging included. PGlite
 *    runs one worker (one process, one connection); PostgreSQL runs three, each with its own pool.
 * 2. Commit-to-first-attempt latency: one worker waiting on LISTEN/NOTIFY with a 60 s poll, and messages
 *    committed one at a time; the time from each commit returning to its request reaching the receiver.
 *
 *   npx tsx bench/webhooks.ts [pglite|postgres]...   (BENCH_DELIVERIES=10000 BENCH_LATENCY_SAMPLES=300)
 */
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/clock.ts';
import { emitOrganizationEvent } from '../src/services/webhook-outbox.ts';
import { createWebhook } from '../src/services/webhooks.ts';
import { openDatabase, type AppDatabase, type DatabaseKind } from '../src/store/database.ts';
import { createTaskHandlers } from '../src/worker/handlers.ts';
import { createWorker, type WorkerLog } from '../src/worker/worker.ts';
import { createTestDatabase, postgresAvailable } from '../test/support/databases.ts';
import { memberFixture, startScriptedReceiver } from '../test/webhooks/support.ts';
import { percentile } from './support/measure.ts';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 10_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
const BATCH = 500;
const quiet: WorkerLog = { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) };

async function bench(kind: DatabaseKind): Promise<void> {
  const database = await createTestDatabase(kind);
  const receiver = await startScriptedReceiver();
  const pools: AppDatabase[] = [];
  try {
    const member = await memberFixture(database, systemClock);
    await createWebhook(member.ctx, member.organizationId, { direction: 'outbound', name: 'bench', url: receiver.url, event_types: ['webhook.endpoint_disabled'] });
    const emit = (i: number) =>
      database.db.transaction().execute((trx) =>
        emitOrganizationEvent(trx, { publicUrl: '', now: systemClock.now() }, {
          type: 'webhook.endpoint_disabled',
          organizationId: member.organizationId,
          data: { webhook_id: `wh_${i}`, reason: 'gone', failing_since: null },
        }),
      );

    // 1. Throughput.
    const queueStart = performance.now();
    for (let i = 0; i < DELIVERIES; i += BATCH) {
      await database.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(i + BATCH, DELIVERIES); j++) {
          await emitOrganizationEvent(trx, { publicUrl: '', now: systemClock.now() }, {
            type: 'webhook.endpoint_disabled',
            organizationId: member.organizationId,
            data: { webhook_id: `wh_${j}`, reason: 'gone', failing_since: null },
          });
        }
      });
    }
    const queueMs = performance.now() - queueStart;
    const workerDbs =
      kind === 'postgres'
        ? await Promise.all([0, 1, 2].map(async () => {
            const p = await openDatabase({ databaseUrl: database.databaseUrl, schema: database.schema as string, poolSize: 2 });
            pools.push(p);
            return p.db;
          }))
        : [database.db];
    const drainStart = performance.now();
    await Promise.all(
      workerDbs.map(async (db, w) => {
        const worker = createWorker({ db, clock: systemClock, workerId: `bench-${w}`, handlers: createTaskHandlers({ db, clock: systemClock, allowPrivateIps: true, secrets: member.keyset }), log: quiet, batchSize: 50 });
        while ((await worker.runOnce()) > 0);
      }),
    );
    const drainMs = performance.now() - drainStart;
    if (receiver.requests.length !== DELIVERIES) throw new Error(`receiver got ${receiver.requests.length} of ${DELIVERIES}`);
    console.log(
      `[${kind}] queued ${DELIVERIES} messages in ${(queueMs / 1000).toFixed(1)} s (${Math.round(DELIVERIES / (queueMs / 1000))}/s); ` +
        `delivered with ${workerDbs.length} worker(s) in ${(drainMs / 1000).toFixed(1)} s: ${Math.round(DELIVERIES / (drainMs / 1000))} deliveries/s`,
    );

    // 2. Commit-to-first-attempt latency with LISTEN/NOTIFY wake-up.
    const worker = createWorker({
      db: database.db,
      clock: systemClock,
      workerId: 'bench-listen',
      handlers: createTaskHandlers({ db: database.db, clock: systemClock, allowPrivateIps: true, secrets: member.keyset }),
      pollMs: 60_000,
      listen: (onNotify) => database.listen('equipoise_tasks', onNotify),
      log: quiet,
    });
    worker.start();
    await new Promise((r) => setTimeout(r, 200));
    const already = receiver.requests.length;
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await emit(DELIVERIES + i);
      const committed = Date.now();
      await receiver.waitFor(already + i + 1, 65_000);
      const arrived = receiver.requests[already + i]?.at ?? Number.NaN;
      latencies.push(arrived - committed);
    }
    await worker.stop();
    latencies.sort((a, b) => a - b);
    console.log(`[${kind}] commit-to-first-attempt over ${LATENCY_SAMPLES} commits: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`);
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    await receiver.close();
    await database.close();
  }
}

const requested = process.argv.slice(2) as DatabaseKind[];
const kinds: DatabaseKind[] = requested.length > 0 ? requested : ['pglite', 'postgres'];
for (const kind of kinds) {
  if (kind === 'postgres' && !(await postgresAvailable())) {
    console.log('[postgres] skipped: PostgreSQL is not reachable');
    continue;
  }
  await bench(kind);
}
