/** The worker's own rules: unknown task types, permanent and odd errors, and start()/stop() with notifications. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/domain/clock.ts';
import { PermanentTaskError } from '../../src/domain/task-errors.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { enqueueTask } from '../../src/store/repositories/tasks.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { createOrganization, createWebhook, enqueueWebhookTask, recordingLog, startReceiver, taskRow, type Receiver } from './support.ts';

describeEachDatabase('worker loop', (kind) => {
  let database: TestDatabase;
  let receiver: Receiver | undefined;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await database?.close(); // undefined when creating it failed
  });

  it('marks a task of an unknown type dead at once', async () => {
    const clock = new ManualClock();
    const id = await enqueueTask(database.db, { taskType: 'no.such.type', payload: {}, maxAttempts: 11, runAt: clock.now() });
    const worker = createWorker({ db: database.db, clock, handlers: {}, log: recordingLog() });
    expect(await worker.runOnce()).toBe(1);
    expect(await taskRow(database.db, id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'No handler for task type: no.such.type' });
  });

  it('marks a task dead on PermanentTaskError, retries on anything else thrown, and keeps going', async () => {
    const clock = new ManualClock();
    const permanent = await enqueueTask(database.db, { taskType: 'permanent', payload: {}, maxAttempts: 11, runAt: clock.now() });
    const odd = await enqueueTask(database.db, { taskType: 'odd', payload: {}, maxAttempts: 11, runAt: clock.now() });
    const fine = await enqueueTask(database.db, { taskType: 'fine', payload: {}, maxAttempts: 11, runAt: clock.now() });
    const worker = createWorker({
      db: database.db,
      clock,
      log: recordingLog(),
      handlers: {
        permanent: async () => {
          throw new PermanentTaskError('cannot ever work');
        },
        odd: async () => {
          throw 'a string, not an Error'; // eslint-disable-line @typescript-eslint/only-throw-error
        },
        fine: async () => undefined,
      },
    });
    expect(await worker.runOnce()).toBe(3);
    expect(await taskRow(database.db, permanent)).toMatchObject({ status: 'dead', last_error: 'cannot ever work' });
    expect(await taskRow(database.db, odd)).toMatchObject({ status: 'pending', last_error: 'a string, not an Error' });
    expect(await taskRow(database.db, fine)).toMatchObject({ status: 'success' });
  });

  it('runs at most batchSize tasks per runOnce', async () => {
    const clock = new ManualClock();
    for (let i = 0; i < 5; i++) await enqueueTask(database.db, { taskType: 'fine', payload: { i }, maxAttempts: 1, runAt: clock.now() });
    const worker = createWorker({ db: database.db, clock, batchSize: 2, handlers: { fine: async () => undefined }, log: recordingLog() });
    expect([await worker.runOnce(), await worker.runOnce(), await worker.runOnce(), await worker.runOnce()]).toEqual([2, 2, 1, 0]);
  });

  it('wakes on an enqueue notification without waiting for the 60 s poll, and stops cleanly', async () => {
    receiver = await startReceiver();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    let subscribed: () => void = () => undefined;
    const listening = new Promise<void>((resolve) => (subscribed = resolve));
    const worker = createWorker({
      db: database.db,
      clock: systemClock,
      handlers: createTaskHandlers({ db: database.db, clock: systemClock, allowPrivateIps: true }),
      pollMs: 60_000,
      log: recordingLog(),
      listen: async (onNotify) => {
        const unsubscribe = await database.listen('equipoise_tasks', onNotify);
        subscribed();
        return unsubscribe;
      },
    });
    worker.start();
    try {
      await listening;
      // Let the first (empty) pass finish so the worker is idle on its 60 s wait.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: { woke: true } }, new Date());
      await receiver.waitFor(1);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({ woke: true });
    } finally {
      const stopping = Date.now();
      await worker.stop();
      expect(Date.now() - stopping).toBeLessThan(3_000);
    }
  });

  it('keeps polling after claiming fails instead of crashing or spinning', async () => {
    const log = recordingLog();
    // Without its table every claim fails, as it would while the database restarts.
    await database.db.schema.dropTable('tasks').execute();
    const worker = createWorker({ db: database.db, clock: systemClock, handlers: {}, pollMs: 100, log });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    await worker.stop();
    const failures = log.lines.filter((l) => l.includes('claiming tasks failed'));
    // About one attempt per poll (0, 100, 200, 300, 400 ms), not thousands.
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.length).toBeLessThanOrEqual(8);
  });
});
