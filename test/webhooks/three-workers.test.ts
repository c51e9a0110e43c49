/**
 * 1,000 deliveries drained by three workers, each with its own pool as separate processes would have, on
 * PostgreSQL: every message arrives, exactly one successful attempt is logged per delivery, and the
 * receiver never sees the same webhook-id twice at the same time.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { emitOrganizationEvent } from '../../src/services/webhook-outbox.ts';
import { createWebhook } from '../../src/services/webhooks.ts';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { createTestDatabase, describePostgresOnly, type TestDatabase } from '../support/databases.ts';
import { recordingLog } from '../worker/support.ts';
import { memberFixture, startScriptedReceiver, type ScriptedReceiver } from './support.ts';

const WORKERS = 3;
const MESSAGES = 1000;

describePostgresOnly('webhook deliveries across workers', () => {
  let database: TestDatabase;
  let receiver: ScriptedReceiver;
  const pools: AppDatabase[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    // A little latency per answer, so claims really overlap.
    receiver = await startScriptedReceiver(() => ({ delayMs: 2 }));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await receiver?.close();
    await database?.close();
  });

  it(`${WORKERS} workers deliver ${MESSAGES} messages, each once, none concurrently twice`, { timeout: 120_000 }, async () => {
    const member = await memberFixture(database, systemClock);
    // The endpoint the messages are fanned out to (subscribed to the event type emitted below).
    await createWebhook(member.ctx, member.organizationId, { direction: 'outbound', name: 'load', url: receiver.url, event_types: ['webhook.endpoint_disabled'] });
    const messageIds: string[] = [];
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < MESSAGES; i++) {
        const r = await emitOrganizationEvent(trx, { publicUrl: '', now: systemClock.now() }, {
          type: 'webhook.endpoint_disabled',
          organizationId: member.organizationId,
          data: { webhook_id: `wh_${i}`, reason: 'gone', failing_since: null },
        });
        messageIds.push(r.messageId);
      }
    });

    for (let w = 0; w < WORKERS; w++) pools.push(await openDatabase({ databaseUrl: database.databaseUrl, schema: database.schema as string, poolSize: 2 }));
    const ran = await Promise.all(
      pools.map(async (pool, w) => {
        const worker = createWorker({
          db: pool.db,
          clock: systemClock,
          workerId: `worker-${w}`,
          handlers: createTaskHandlers({ db: pool.db, clock: systemClock, allowPrivateIps: true, secrets: member.keyset }),
          log: recordingLog(),
        });
        let total = 0;
        for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) total += n;
        return total;
      }),
    );

    expect(ran.reduce((a, b) => a + b, 0)).toBe(MESSAGES);
    expect(ran.filter((n) => n > 0).length).toBeGreaterThan(1);
    const received = receiver.requests.map((q) => String(q.headers['webhook-id']));
    expect(received).toHaveLength(MESSAGES);
    expect(new Set(received)).toEqual(new Set(messageIds));
    expect(receiver.maxConcurrentPerId()).toBe(1);
    const statuses = await database.db.selectFrom('webhook_deliveries').select(({ fn }) => ['status', fn.countAll<string>().as('n')]).groupBy('status').execute();
    expect(statuses).toEqual([{ status: 'succeeded', n: String(MESSAGES) }]);
    const attempts = await database.db.selectFrom('webhook_attempts').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(attempts.n).toBe(String(MESSAGES));
  });
});
