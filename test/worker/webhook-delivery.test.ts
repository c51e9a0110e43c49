/** Webhook deliveries through the real worker, queue and HTTP stack, with time moved by a ManualClock. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { ONE_HOUR_MS, ONE_MINUTE_MS, STANDARD_WEBHOOKS_DELAYS_MS, WEBHOOK_MAX_ATTEMPTS } from '../../src/domain/retry-policy.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import {
  closedPortUrl,
  createOrganization,
  createWebhook,
  enqueueWebhookTask,
  recordingLog,
  sentEvents,
  startReceiver,
  taskRow,
  type Receiver,
} from './support.ts';

const BODY = { type: 'experiment.created', experiment_id: 'exp_0123456789abcdef', nested: { n: 1, list: ['a', 'b'] } };

describeEachDatabase('webhook delivery', (kind) => {
  let database: TestDatabase;
  let clock: ManualClock;
  let worker: Worker;
  let receiver: Receiver | undefined;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const handlers = createTaskHandlers({ db: database.db, clock, allowPrivateIps: true, timeoutMs: 5_000 });
    // No jitter (random = 0.5 is the middle of ±10 %), so the ladder is exact.
    worker = createWorker({ db: database.db, clock, handlers, workerId: 'worker-a', log: recordingLog(), random: () => 0.5 });
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await database?.close(); // undefined when creating it failed
  });

  it('retries 500, 500 then succeeds: three attempts, three events, 5 s and 5 min gaps', async () => {
    receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: BODY }, clock.now());
    const start = clock.now().getTime();

    expect(await worker.runOnce()).toBe(1);
    let task = await taskRow(database.db, taskId);
    expect(task).toMatchObject({ status: 'pending', attempts: 1, last_error: 'status=500 message=receiver says no (500)' });
    expect(task.run_at.getTime() - start).toBe(5_000);

    clock.advance(5_000);
    expect(await worker.runOnce()).toBe(1);
    task = await taskRow(database.db, taskId);
    expect(task).toMatchObject({ status: 'pending', attempts: 2 });
    expect(task.run_at.getTime() - start).toBe(5_000 + 5 * ONE_MINUTE_MS);

    clock.advance(5 * ONE_MINUTE_MS);
    expect(await worker.runOnce()).toBe(1);
    task = await taskRow(database.db, taskId);
    expect(task).toMatchObject({ status: 'success', attempts: 3, last_error: null, locked_by: null });
    expect(await worker.runOnce()).toBe(0);

    expect(receiver.requests).toHaveLength(3);
    for (const r of receiver.requests) {
      expect(r.headers['webhook-token']).toBe(hook.authToken);
      expect(r.headers.authorization).toBe(`Bearer ${hook.authToken}`);
      expect(r.headers['user-agent']).toBe('Equipoise-Webhooks/0.1');
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body)).toEqual(BODY);
    }

    const events = await sentEvents(database.db, org);
    expect(events.map((e) => e.success)).toEqual([false, false, true]);
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.status_code)).toEqual([500, 500, 200]);
    expect(events[0]?.response).toBe('status=500 message=receiver says no (500)');
    expect(events[2]?.response).toBe('200');
    expect(events[2]).toMatchObject({
      type: 'webhook.sent',
      task_id: taskId,
      webhook_id: hook.id,
      request: {
        method: 'POST',
        url: receiver.url,
        body: BODY,
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Equipoise-Webhooks/0.1', 'Webhook-Token': '***', Authorization: '***' },
      },
    });
    expect(typeof events[2]?.latency_ms).toBe('number');
    // The token is in no event and in no task row.
    const stored = JSON.stringify(await database.db.selectFrom('events').selectAll().execute()) + JSON.stringify(task);
    expect(stored).not.toContain(hook.authToken);
  });

  it('gives up after 10 attempts over about 75.5 hours against a receiver that is down (the Standard Webhooks ladder)', async () => {
    const url = await closedPortUrl();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url, body: BODY }, clock.now());
    const start = clock.now().getTime();

    const delays: number[] = [];
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      expect(await worker.runOnce()).toBe(1);
      const task = await taskRow(database.db, taskId);
      expect(task.attempts).toBe(attempt);
      expect(task.last_error).toBe('connection refused (ECONNREFUSED)');
      if (attempt === WEBHOOK_MAX_ATTEMPTS) {
        expect(task.status).toBe('dead');
        break;
      }
      expect(task.status).toBe('pending');
      const waitMs = task.run_at.getTime() - clock.now().getTime();
      delays.push(waitMs);
      // Not yet due: nothing to do.
      clock.advance(waitMs - 1);
      expect(await worker.runOnce()).toBe(0);
      clock.advance(1);
    }
    expect(delays).toEqual(STANDARD_WEBHOOKS_DELAYS_MS);
    // The last attempt is 75 h 35 min 5 s after the first.
    expect(clock.now().getTime() - start).toBe(75 * ONE_HOUR_MS + 35 * ONE_MINUTE_MS + 5_000);

    clock.advance(24 * ONE_HOUR_MS);
    expect(await worker.runOnce()).toBe(0);
    const events = await sentEvents(database.db, org);
    expect(events).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    expect(events.every((e) => e.success === false && e.status_code === null && e.response === 'connection refused (ECONNREFUSED)')).toBe(true);
  });

  it('marks the task dead after one attempt when its webhook was deleted, and still records the event', async () => {
    receiver = await startReceiver();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: BODY }, clock.now());
    await database.db.deleteFrom('webhooks').where('id', '=', hook.id).execute();

    expect(await worker.runOnce()).toBe(1);
    const task = await taskRow(database.db, taskId);
    expect(task).toMatchObject({ status: 'dead', attempts: 1, last_error: `webhook ${hook.id} was deleted; delivery abandoned` });
    expect(receiver.requests).toHaveLength(0);
    const events = await sentEvents(database.db, org);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ success: false, status_code: null, response: `webhook ${hook.id} was deleted; delivery abandoned` });

    clock.advance(60 * ONE_MINUTE_MS);
    expect(await worker.runOnce()).toBe(0);
  });

  it('uses the token as it is at send time, so a rotation between attempts takes effect', async () => {
    receiver = await startReceiver((n) => (n === 0 ? 503 : 200));
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: BODY }, clock.now());

    await worker.runOnce();
    await database.db.updateTable('webhooks').set({ auth_token: 'rotated-token-0123456789abcdef012' }).where('id', '=', hook.id).execute();
    clock.advance(5_000);
    await worker.runOnce();

    expect(receiver.requests.map((r) => r.headers['webhook-token'])).toEqual([hook.authToken, 'rotated-token-0123456789abcdef012']);
  });

  it('sends no token headers when the webhook has none', async () => {
    receiver = await startReceiver();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url, null);
    await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: BODY }, clock.now());

    await worker.runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers['webhook-token']).toBeUndefined();
    expect(receiver.requests[0]?.headers.authorization).toBeUndefined();
    const [event] = await sentEvents(database.db, org);
    expect(event).toMatchObject({ success: true, request: { headers: { 'Content-Type': 'application/json', 'User-Agent': 'Equipoise-Webhooks/0.1' } } });
  });

  it('refuses a private receiver when private IPs are not allowed, and retries', async () => {
    receiver = await startReceiver();
    const org = await createOrganization(database.db);
    const hook = await createWebhook(database.db, org, receiver.url);
    const taskId = await enqueueWebhookTask(database.db, { organization_id: org, webhook_id: hook.id, url: receiver.url, body: BODY }, clock.now());
    const strict = createWorker({
      db: database.db,
      clock,
      handlers: createTaskHandlers({ db: database.db, clock, allowPrivateIps: false }),
      log: recordingLog(),
    });

    expect(await strict.runOnce()).toBe(1);
    expect(receiver.requests).toHaveLength(0);
    expect(await taskRow(database.db, taskId)).toMatchObject({ status: 'pending', last_error: '127.0.0.1 is not allowed: loopback' });
  });
});
