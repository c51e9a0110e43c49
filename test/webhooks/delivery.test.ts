/**
 * Webhook deliveries end to end through the real services, queue, worker and HTTP stack, against real
 * receivers on loopback, with time moved by a ManualClock: signing, retries, Retry-After, timeouts,
 * refused connections, redirects, 410 Gone, five days of failure, rotation overlap, the delivery log and replay.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { EVENT_SCHEMAS } from '../../src/domain/event-catalogue.ts';
import { ONE_HOUR_MS } from '../../src/domain/retry-policy.ts';
import { emitOrganizationEvent } from '../../src/services/webhook-outbox.ts';
import { getMessage, listEndpointAttempts, replayFailed, replayMessage, sendTestEvent } from '../../src/services/webhook-operations.ts';
import { createWebhook, enableWebhook, getWebhook, listWebhooks, revealWebhookToken, rotateSigningSecret } from '../../src/services/webhooks.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { recordingLog } from '../worker/support.ts';
import { memberFixture, recordingMailer, refusedUrl, startScriptedReceiver, verifyStandardWebhook, type MemberFixture, type Reply, type ScriptedReceiver } from './support.ts';

const ONE_DAY_MS = 24 * ONE_HOUR_MS;

describeEachDatabase('webhook delivery (Standard Webhooks)', (kind) => {
  let database: TestDatabase;
  let clock: ManualClock;
  let worker: Worker;
  let member: MemberFixture;
  let mailer: ReturnType<typeof recordingMailer>;
  let receiver: ScriptedReceiver | undefined;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    member = await memberFixture(database, clock);
    mailer = recordingMailer();
    const handlers = createTaskHandlers({ db: database.db, clock, allowPrivateIps: true, timeoutMs: 1_000, secrets: member.keyset, mailer, publicUrl: 'https://equipoise.example.org' });
    worker = createWorker({ db: database.db, clock, handlers, workerId: 'w1', log: recordingLog(), random: () => 0.5 });
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await database?.close();
  });

  async function endpoint(url: string, extra: { ed25519?: boolean; event_types?: string[] } = {}) {
    return createWebhook(member.ctx, member.organizationId, { direction: 'outbound', name: 'backend', url, ...extra });
  }

  async function scripted(reply: (n: number) => Reply) {
    receiver = await startScriptedReceiver((n) => reply(n));
    return receiver;
  }

  async function task(deliveryId: string) {
    const d = await database.db.selectFrom('webhook_deliveries').select('task_id').where('id', '=', deliveryId).executeTakeFirstOrThrow();
    return database.db.selectFrom('tasks').selectAll().where('id', '=', d.task_id as string).executeTakeFirstOrThrow();
  }

  it('retries a 5xx then succeeds: one webhook-id, fresh timestamps, signatures an independent verifier accepts, legacy token kept', async () => {
    const r = await scripted((n) => (n === 0 ? { status: 503, body: 'x'.repeat(5000) } : {}));
    const hook = await endpoint(r.url, { ed25519: true });
    expect(hook.signing_secret).toMatch(/^whsec_/);
    expect(hook.public_key).toMatch(/^whpk_/);
    const { message_id, delivery_id } = await sendTestEvent(member.ctx, member.organizationId, hook.id);

    expect(await worker.runOnce()).toBe(1);
    const t = await task(delivery_id as string);
    expect(t).toMatchObject({ status: 'pending', attempts: 1 });
    expect(t.run_at.getTime() - clock.now().getTime()).toBe(5_000);
    clock.advance(5_000);
    expect(await worker.runOnce()).toBe(1);
    expect(await task(delivery_id as string)).toMatchObject({ status: 'success', attempts: 2 });

    expect(r.requests).toHaveLength(2);
    const ids = new Set(r.requests.map((q) => q.headers['webhook-id']));
    expect([...ids]).toEqual([message_id]);
    expect(r.requests.map((q) => Number(q.headers['webhook-timestamp']))).toEqual([1893456000, 1893456005]);
    for (const q of r.requests) {
      const nowSeconds = Number(q.headers['webhook-timestamp']);
      expect(verifyStandardWebhook({ headers: q.headers, body: q.body, nowSeconds, secret: hook.signing_secret as string })).toEqual({ ok: true, version: 'v1' });
      expect(verifyStandardWebhook({ headers: q.headers, body: q.body, nowSeconds, publicKey: hook.public_key as string })).toEqual({ ok: true, version: 'v1a' });
      expect(q.headers['webhook-token']).toBe(hook.auth_token);
      expect(q.headers.authorization).toBe(`Bearer ${hook.auth_token}`);
      expect(q.headers['content-type']).toBe('application/json');
      const body = EVENT_SCHEMAS['webhook.test'].parse(JSON.parse(q.body));
      expect(body).toMatchObject({ type: 'webhook.test', organization_id: member.organizationId, timestamp: '2030-01-01T00:00:00.000Z', data: { webhook_id: hook.id } });
    }

    // The delivery log: both attempts, with status, latency, error class and a truncated body.
    const log = await listEndpointAttempts(member.ctx, member.organizationId, hook.id, { limit: 10 });
    expect(log.items.map((a) => [a.attempt, a.success, a.status_code, a.error_class])).toEqual([
      [2, true, 200, null],
      [1, false, 503, 'http_status'],
    ]);
    expect(log.items[1]?.response_body).toHaveLength(1000);
    expect(log.items[1]?.attempted_at).toBe('2030-01-01T00:00:00.000Z');
    expect(typeof log.items[0]?.latency_ms).toBe('number');
    const message = await getMessage(member.ctx, member.organizationId, message_id);
    expect(message).toMatchObject({ id: message_id, event_type: 'webhook.test', deliveries: [{ id: delivery_id, status: 'succeeded' }] });
    expect(message.deliveries[0]?.attempts).toHaveLength(2);

    // Secrets are in no event, task, message or attempt.
    const stored = JSON.stringify([
      await database.db.selectFrom('events').selectAll().execute(),
      await database.db.selectFrom('tasks').selectAll().execute(),
      await database.db.selectFrom('webhook_messages').selectAll().execute(),
      await database.db.selectFrom('webhook_attempts').selectAll().execute(),
      await database.db.selectFrom('webhooks').select(['signing_secret', 'ed25519_private_key']).execute(),
    ]);
    expect(stored).not.toContain(hook.auth_token as string);
    expect(stored).not.toContain((hook.signing_secret as string).slice(6));
  });

  it('honours Retry-After: the next attempt waits as long as the receiver asked', async () => {
    const r = await scripted((n) => (n === 0 ? { status: 429, headers: { 'Retry-After': '120' } } : {}));
    const hook = await endpoint(r.url);
    const { delivery_id } = await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await worker.runOnce();
    const t = await task(delivery_id as string);
    expect(t.run_at.getTime() - clock.now().getTime()).toBe(120_000);
    clock.advance(119_999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    expect(r.requests).toHaveLength(2);
  });

  it('gives up on a slow receiver at the deadline (timeout) and on a refused connection, and retries both', async () => {
    const r = await scripted(() => ({ delayMs: 3_000 }));
    const slow = await endpoint(r.url);
    const refused = await endpoint(await refusedUrl());
    await sendTestEvent(member.ctx, member.organizationId, slow.id);
    await sendTestEvent(member.ctx, member.organizationId, refused.id);
    const started = Date.now();
    expect(await worker.runOnce()).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_900);
    const slowLog = await listEndpointAttempts(member.ctx, member.organizationId, slow.id, { limit: 10 });
    const refusedLog = await listEndpointAttempts(member.ctx, member.organizationId, refused.id, { limit: 10 });
    expect(slowLog.items.map((a) => [a.success, a.status_code, a.error_class])).toEqual([[false, null, 'timeout']]);
    expect(refusedLog.items.map((a) => [a.success, a.status_code, a.error_class])).toEqual([[false, null, 'connection']]);
    const pending = await database.db.selectFrom('tasks').select('status').execute();
    expect(pending.map((p) => p.status)).toEqual(['pending', 'pending']);
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const target = await startScriptedReceiver();
    try {
      const r = await scripted(() => ({ status: 302, headers: { Location: target.url } }));
      const hook = await endpoint(r.url);
      await sendTestEvent(member.ctx, member.organizationId, hook.id);
      await worker.runOnce();
      expect(r.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
      const log = await listEndpointAttempts(member.ctx, member.organizationId, hook.id, { limit: 10 });
      expect(log.items.map((a) => [a.success, a.status_code, a.error_class])).toEqual([[false, 302, 'redirect']]);
    } finally {
      await target.close();
    }
  });

  it('disables the endpoint on 410 Gone, tells the members, fails its queued messages; enabling and replay-failed deliver them', async () => {
    let gone = true;
    const r = await scripted(() => (gone ? { status: 410 } : {}));
    const hook = await endpoint(r.url, { event_types: ['webhook.endpoint_disabled'] });
    const first = await sendTestEvent(member.ctx, member.organizationId, hook.id);
    // A second message queued (just later) before the 410 arrives: another endpoint's disabling, which this one subscribes to.
    clock.advance(1);
    const queued = await database.db.transaction().execute((trx) =>
      emitOrganizationEvent(trx, { publicUrl: '', now: clock.now() }, { type: 'webhook.endpoint_disabled', organizationId: member.organizationId, data: { webhook_id: 'wh_other', reason: 'gone', failing_since: null } }),
    );
    expect(queued.deliveryIds).toHaveLength(1);

    expect(await worker.runOnce()).toBe(2);
    expect(r.requests).toHaveLength(1);
    expect((await task(first.delivery_id as string)).status).toBe('dead');
    expect((await task(queued.deliveryIds[0] as string)).status).toBe('dead');
    const log = await listEndpointAttempts(member.ctx, member.organizationId, hook.id, { limit: 10 });
    expect(log.items.map((a) => [a.status_code, a.error_class])).toEqual([
      [null, 'endpoint_disabled'],
      [410, 'gone'],
    ]);
    const after = await getWebhook(member.ctx, member.organizationId, hook.id);
    expect(after).toMatchObject({ enabled: false, disabled_reason: 'gone' });

    const disabledEvents = await database.db.selectFrom('events').select('data').where('type', '=', 'webhook.endpoint_disabled').where(sql<boolean>`data->>'webhook_id' = ${hook.id}`).execute();
    expect(disabledEvents.map((e) => e.data)).toEqual([expect.objectContaining({ webhook_id: hook.id, reason: 'gone' })]);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([...member.emails].sort());
    expect(mailer.sent[0]?.subject).toContain('Webhook disabled');
    expect(mailer.sent[0]?.text).not.toContain(hook.auth_token as string);

    // While disabled, new messages are not queued for it at all.
    const skipped = await database.db.transaction().execute((trx) =>
      emitOrganizationEvent(trx, { publicUrl: '', now: clock.now() }, { type: 'webhook.endpoint_disabled', organizationId: member.organizationId, data: { webhook_id: 'wh_third', reason: 'gone', failing_since: null } }),
    );
    expect(skipped.deliveryIds).toEqual([]);

    gone = false;
    await enableWebhook(member.ctx, member.organizationId, hook.id);
    expect(await replayFailed(member.ctx, member.organizationId, hook.id, new Date(0))).toEqual({ replayed: 2 });
    clock.advance(1);
    expect(await worker.runOnce()).toBe(2);
    expect(r.requests.map((q) => q.headers['webhook-id']).sort()).toEqual([first.message_id, first.message_id, queued.messageId].sort());
    expect((await getMessage(member.ctx, member.organizationId, first.message_id)).deliveries[0]?.status).toBe('succeeded');
    // Nothing left to replay.
    expect(await replayFailed(member.ctx, member.organizationId, hook.id, new Date(0))).toEqual({ replayed: 0 });
  });

  it('disables an endpoint that has failed for five days in a row, with an event and a mail', async () => {
    const r = await scripted(() => ({ status: 500 }));
    const hook = await endpoint(r.url);
    // One new message a day; every attempt fails.
    for (let day = 0; day < 5; day++) {
      await sendTestEvent(member.ctx, member.organizationId, hook.id);
      while ((await worker.runOnce()) > 0);
      expect((await getWebhook(member.ctx, member.organizationId, hook.id)).enabled).toBe(true);
      clock.advance(ONE_DAY_MS);
      while ((await worker.runOnce()) > 0);
    }
    // The retries that came due during those days ran; five days after the first failure, the next failure disables it.
    while ((await worker.runOnce()) > 0);
    const w = await getWebhook(member.ctx, member.organizationId, hook.id);
    expect(w).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    const events = await database.db.selectFrom('events').select('data').where('type', '=', 'webhook.endpoint_disabled').execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ webhook_id: hook.id, reason: 'failing', failing_since: '2030-01-01T00:00:00.000Z' });
    expect(mailer.sent).toHaveLength(member.emails.length);
    // Re-enabling is one call, and it restarts the failure clock.
    await enableWebhook(member.ctx, member.organizationId, hook.id);
    const row = await database.db.selectFrom('webhooks').select(['disabled_at', 'failing_since']).where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ disabled_at: null, failing_since: null });
  });

  it('a success resets the failure clock, so an endpoint that recovers in time stays enabled', async () => {
    let fail = true;
    const r = await scripted(() => (fail ? { status: 500 } : {}));
    const hook = await endpoint(r.url);
    await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await worker.runOnce();
    clock.advance(4 * ONE_DAY_MS);
    fail = false;
    await sendTestEvent(member.ctx, member.organizationId, hook.id);
    while ((await worker.runOnce()) > 0);
    fail = true;
    clock.advance(2 * ONE_DAY_MS);
    await sendTestEvent(member.ctx, member.organizationId, hook.id);
    while ((await worker.runOnce()) > 0);
    expect((await getWebhook(member.ctx, member.organizationId, hook.id)).enabled).toBe(true);
  });

  it('signs with the old and the new secret during the rotation overlap, then with the new one only', async () => {
    const r = await scripted(() => ({}));
    const hook = await endpoint(r.url);
    const oldSecret = hook.signing_secret as string;
    const rotated = await rotateSigningSecret(member.ctx, member.organizationId, hook.id, 2);
    const newSecret = rotated.signing_secret as string;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.previous_secret_expires_at).toBe('2030-01-01T02:00:00.000Z');

    await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await worker.runOnce();
    clock.advance(2 * ONE_HOUR_MS);
    await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await worker.runOnce();

    const [during, afterOverlap] = r.requests;
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(String(afterOverlap?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    const check = (q: typeof during, secret: string) =>
      verifyStandardWebhook({ headers: q?.headers ?? {}, body: q?.body ?? '', nowSeconds: Number(q?.headers['webhook-timestamp']), secret }).ok;
    expect([check(during, oldSecret), check(during, newSecret)]).toEqual([true, true]);
    expect([check(afterOverlap, oldSecret), check(afterOverlap, newSecret)]).toEqual([false, true]);
  });

  it('shows secrets on creation and reveal only; lists carry none; replay of one message keeps its webhook-id', async () => {
    const r = await scripted(() => ({}));
    const hook = await endpoint(r.url);
    const listed = await listWebhooks(member.ctx, member.organizationId);
    expect(JSON.stringify(listed)).not.toContain(hook.signing_secret as string);
    expect(JSON.stringify(listed)).not.toContain(hook.auth_token as string);
    expect(listed.items[0]).not.toHaveProperty('signing_secret');
    const revealed = await revealWebhookToken(member.ctx, member.organizationId, hook.id);
    expect(revealed).toMatchObject({ signing_secret: hook.signing_secret, auth_token: hook.auth_token });

    const sent = await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await worker.runOnce();
    await replayMessage(member.ctx, member.organizationId, hook.id, sent.message_id);
    await worker.runOnce();
    expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([sent.message_id, sent.message_id]);
    const audit = await database.db.selectFrom('audit_log').select('action').where('organization_id', '=', member.organizationId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['webhook.created', 'webhook.token_revealed', 'webhook.message_replayed']));
    expect(JSON.stringify(await database.db.selectFrom('audit_log').selectAll().execute())).not.toContain(hook.signing_secret as string);
  });

  it('refuses to replay a message that is still being delivered', async () => {
    const r = await scripted(() => ({ status: 500 }));
    const hook = await endpoint(r.url);
    const sent = await sendTestEvent(member.ctx, member.organizationId, hook.id);
    await expect(replayMessage(member.ctx, member.organizationId, hook.id, sent.message_id)).rejects.toThrow(/still being delivered/);
    await worker.runOnce();
    // Still retrying after a failed attempt: still refused.
    await expect(replayMessage(member.ctx, member.organizationId, hook.id, sent.message_id)).rejects.toThrow(/still being delivered/);
  });
});
