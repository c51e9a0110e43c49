/** A worker that dies mid-delivery: its lease keeps others away until it expires, then the task is taken over. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { claimTasks, completeTask, failTask } from '../../src/store/repositories/tasks.ts';
import { createWorker, DEFAULT_LEASE_MS } from '../../src/worker/worker.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { createOrganization, createWebhook, enqueueWebhookTask, recordingLog, sentEvents, startReceiver, taskRow, type Receiver } from './support.ts';

describeEachDatabase('lease expiry', (kind) => {
  let database: TestDatabase;
  let receiver: Receiver;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await receiver?.close();
    await database?.close(); // undefined when creating it failed
  });

  it('lets a second worker deliver only after the dead worker lease expires, and ignores the stale worker afterwards', async () => {
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: { n: 1 } }, clock.now());

    // The first worker claims the task and then never settles it (it crashed mid-delivery).
    const [stale] = await claimTasks(database.db, { now: clock.now(), workerId: 'crashed-worker', leaseMs: DEFAULT_LEASE_MS, limit: 10 });
    expect(stale?.id).toBe(taskId);
    if (!stale) return;

    const survivor = createWorker({
      db: database.db,
      clock,
      handlers: createTaskHandlers({ db: database.db, clock, allowPrivateIps: true }),
      workerId: 'survivor',
      log: recordingLog(),
    });

    clock.advance(DEFAULT_LEASE_MS - 1);
    expect(await survivor.runOnce()).toBe(0);
    expect(receiver.requests).toHaveLength(0);

    clock.advance(2);
    expect(await survivor.runOnce()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const done = await taskRow(database.db, taskId);
    expect(done).toMatchObject({ status: 'success', attempts: 2, locked_by: null });
    expect((await sentEvents(database.db, org)).map((e) => e.attempt)).toEqual([2]);

    // The crashed worker comes back and tries to report: neither answer may overwrite the newer outcome.
    expect(await completeTask(database.db, stale, clock.now())).toBe(false);
    expect(await failTask(database.db, stale, clock.now(), 'late failure', null)).toBe(false);
    expect(await taskRow(database.db, taskId)).toEqual(done);
  });

  it('reports a lost lease instead of overwriting when its own handler outlives the lease', async () => {
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const log = recordingLog();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: { n: 1 } }, clock.now());

    let releaseSlow: () => void = () => undefined;
    const slow = createWorker({
      db: database.db,
      clock,
      handlers: { 'webhook.outbound': () => new Promise<void>((resolve) => (releaseSlow = resolve)) },
      workerId: 'slow',
      leaseMs: 1_000,
      log,
    });
    const fast = createWorker({
      db: database.db,
      clock,
      handlers: createTaskHandlers({ db: database.db, clock, allowPrivateIps: true }),
      workerId: 'fast',
      log: recordingLog(),
    });

    const slowRun = slow.runOnce();
    await expect.poll(async () => (await taskRow(database.db, taskId)).locked_by).toBe('slow');
    clock.advance(1_001);
    expect(await fast.runOnce()).toBe(1);
    releaseSlow();
    expect(await slowRun).toBe(1);

    expect(await taskRow(database.db, taskId)).toMatchObject({ status: 'success', attempts: 2 });
    expect(log.lines.some((l) => l.startsWith('warn:') && l.includes('lease lost'))).toBe(true);
  });
});
