/**
 * What the web UI's webhook screens read from the admin API, over a real server and worker: disabling by
 * request (deliveries stop, a test message still goes, enable + replay-failed recovers), the last delivery
 * of each endpoint in the list, the delivery log's event types and `has_more` paging, a pending delivery's
 * next attempt time, and Recent Events with every credential masked, also in rows written before masking.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertEvent } from '../../src/store/repositories/events.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startScriptedReceiver, type ScriptedReceiver } from './support.ts';

describeEachDatabase('webhook admin views for the UI', (kind) => {
  let server: TestServer;
  let receiver: ScriptedReceiver;
  let org: string;
  /** Statuses the receiver answers, consumed in order (then 200). */
  const script: number[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startScriptedReceiver(() => ({ status: script.shift() ?? 200 }));
    org = server.organizationId;
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  const json = async (res: Response | Promise<Response>, status = 200) => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return text ? JSON.parse(text) : null;
  };
  const post = (path: string, body?: unknown) => server.admin(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const webhookPath = (id: string, rest = '') => `/v1/m/organizations/${org}/webhooks/${id}${rest}`;

  async function createHook(name: string, eventTypes: string[]) {
    return json(post(`/v1/m/organizations/${org}/webhooks`, { name, url: receiver.url, event_types: eventTypes }));
  }

  /** Polls until `check` passes (the worker delivers asynchronously). */
  async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (check(v)) return v;
      if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('disables on request: due deliveries fail without a request, a test still goes, enable and replay-failed recover', async () => {
    const hook = await createHook('paused', ['experiment.abandoned', 'webhook.test']);
    const message = (id: string) => json(server.admin(`/v1/m/organizations/${org}/webhook-messages/${id}`));
    const abandon = async (name: string) => {
      const exp = await json(post(`/v1/m/datasources/${server.demoDatasourceId}/experiments`, { design_spec: onlineDesign({ experiment_name: name }) }));
      await json(post(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${exp.experiment_id}/abandon`), 204);
      return exp.experiment_id as string;
    };
    const start = receiver.requests.length;
    await abandon('delivered while enabled');
    await receiver.waitFor(start + 1);
    const delivered = String(receiver.requests[start]?.headers['webhook-id']);
    await eventually(() => message(delivered), (m) => m.deliveries[0].status === 'succeeded');

    const disabled = await json(post(webhookPath(hook.id, '/disable')));
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    expect(disabled.disabled_at).not.toBeNull();
    // Disabling again keeps the first time and reason, and is audited once.
    expect(await json(post(webhookPath(hook.id, '/disable')))).toMatchObject({ disabled_at: disabled.disabled_at, disabled_reason: 'manual' });

    // While disabled the endpoint is not sent new events, but a test message still goes.
    const skipped = await abandon('not sent while disabled');
    const test = await json(post(webhookPath(hook.id, '/test')), 202);
    await receiver.waitFor(start + 2);
    expect(receiver.requests[start + 1]?.headers['webhook-id']).toBe(test.message_id);

    // A replayed message that comes due while disabled fails at once, in words, without a request.
    await json(post(webhookPath(hook.id, `/messages/${delivered}/replay`)), 202);
    const failed = await eventually(() => message(delivered), (m) => m.deliveries[0].status === 'failed');
    expect(failed.deliveries[0].last_error).toBe('the endpoint is disabled (by a member); replay the message after enabling it');
    expect(failed.deliveries[0].next_attempt_at).toBeNull();
    expect(failed.deliveries[0].attempts.at(-1)).toMatchObject({ success: false, error_class: 'endpoint_disabled', status_code: null, event_type: 'experiment.abandoned' });
    expect(receiver.requests).toHaveLength(start + 2);

    expect(await json(post(webhookPath(hook.id, '/enable')))).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    expect(await json(post(webhookPath(hook.id, '/replay-failed'), { since: '2020-01-01T00:00:00Z' }), 202)).toEqual({ replayed: 1 });
    await receiver.waitFor(start + 3);
    expect(receiver.requests[start + 2]?.headers['webhook-id']).toBe(delivered);
    const bodies = receiver.requests.slice(start).map((r) => JSON.parse(r.body) as { data: { experiment_id?: string } });
    expect(bodies.map((b) => b.data.experiment_id)).not.toContain(skipped);

    const audit = await json(server.admin(`/v1/m/organizations/${org}/audit?page_size=100`));
    const actions = audit.items.filter((e: { target_id: string }) => e.target_id === hook.id).map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.disabled', 'webhook.enabled']));
    expect(actions.filter((a: string) => a === 'webhook.disabled')).toHaveLength(1);

    await json(post(webhookPath('wh_missing', '/disable')), 404);
  });

  it('lists each endpoint with its last delivery, and pages the delivery log with event types', async () => {
    const quiet = await createHook('a quiet one', ['webhook.test']);
    const busy = await createHook('b busy one', ['webhook.test']);
    script.push(500);
    const start = receiver.requests.length;
    for (let i = 0; i < 3; i++) await json(post(webhookPath(busy.id, '/test')), 202);
    await receiver.waitFor(start + 3);
    const attempts = await eventually(
      () => json(server.admin(webhookPath(busy.id, '/attempts'))),
      (a) => a.items.length === 3,
    );
    expect(attempts.has_more).toBe(false);
    expect(attempts.items.map((a: { event_type: string }) => a.event_type)).toEqual(['webhook.test', 'webhook.test', 'webhook.test']);

    const list = await json(server.admin(`/v1/m/organizations/${org}/webhooks`));
    const byId = new Map(list.items.map((w: { id: string }) => [w.id, w]));
    expect(byId.get(quiet.id)).toMatchObject({ last_attempt: null });
    expect((byId.get(busy.id) as { last_attempt: unknown }).last_attempt).toEqual({
      attempted_at: attempts.items[0].attempted_at,
      success: attempts.items[0].success,
      status_code: attempts.items[0].status_code,
      error_class: attempts.items[0].error_class,
    });
    expect((await json(server.admin(webhookPath(busy.id)))).last_attempt).toEqual((byId.get(busy.id) as { last_attempt: unknown }).last_attempt);

    // Two pages of two: has_more on the first, the rest after its last id, nothing repeated.
    const first = await json(server.admin(webhookPath(busy.id, '/attempts?limit=2')));
    expect(first.items).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = await json(server.admin(webhookPath(busy.id, `/attempts?limit=2&before=${first.items[1].id}`)));
    expect(second.has_more).toBe(false);
    expect([...first.items, ...second.items].map((a: { id: string }) => a.id)).toEqual(attempts.items.map((a: { id: string }) => a.id));

    // The failed first attempt is pending a retry, and its message says when.
    const failedAttempt = attempts.items.find((a: { success: boolean }) => !a.success);
    const message = await json(server.admin(`/v1/m/organizations/${org}/webhook-messages/${failedAttempt.message_id}`));
    expect(message.deliveries[0]).toMatchObject({ status: 'pending', attempts: [{ status_code: 500, error_class: 'http_status' }] });
    const due = Date.parse(message.deliveries[0].next_attempt_at);
    expect(due).toBeGreaterThan(Date.parse(failedAttempt.attempted_at) + 3_000);
    expect(due).toBeLessThan(Date.parse(failedAttempt.attempted_at) + 10_000);
  });

  it('masks credentials in Recent Events: signatures and tokens of attempts, and sensitive keys at any depth in older rows', async () => {
    const hook = await createHook('masked', ['webhook.test']);
    const start = receiver.requests.length;
    await json(post(webhookPath(hook.id, '/test')), 202);
    await receiver.waitFor(start + 1);
    const signature = String(receiver.requests[start]?.headers['webhook-signature']);
    expect(signature).toMatch(/^v1,/);
    const sent = await eventually(
      () => json(server.admin(`/v1/m/organizations/${org}/events?type=webhook.sent&page_size=100`)),
      (p) => p.items.some((e: { details: { webhook_id: string } }) => e.details.webhook_id === hook.id),
    );
    const event = sent.items.find((e: { details: { webhook_id: string } }) => e.details.webhook_id === hook.id);
    expect(event.details.request.headers).toMatchObject({ 'webhook-signature': '***', 'Webhook-Token': '***', Authorization: '***' });
    expect(event.details.request.headers['webhook-id']).toBe(receiver.requests[start]?.headers['webhook-id']);
    // Not stored either.
    const stored = await server.database.db.selectFrom('events').select('data').where('id', '=', event.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.data)).not.toContain(signature.slice(3));

    // A row written before masking existed (or by a receiver echoing secrets back) is masked on the way out.
    const revealed = await json(server.admin(webhookPath(hook.id, '/authtoken')));
    await insertEvent(server.database.db, {
      organizationId: org,
      type: 'webhook.sent',
      data: {
        webhook_id: hook.id,
        success: false,
        response: `status=400 message=bad signature for ${revealed.signing_secret} with Bearer ${revealed.auth_token}`,
        request: { method: 'POST', url: receiver.url, headers: { 'Webhook-Token': revealed.auth_token, 'X-Api-Key': 'xat_abc123', Nested: [{ client_secret: 's3cr3t', keep: 'visible' }] }, body: { type: 'webhook.test' } },
        auth_token: null,
      },
    });
    const page = await json(server.admin(`/v1/m/organizations/${org}/events?page_size=1`));
    const old = page.items[0];
    expect(old.details.request.headers).toEqual({ 'Webhook-Token': '***', 'X-Api-Key': '***', Nested: [{ client_secret: '***', keep: 'visible' }] });
    expect(old.details.response).toBe('status=400 message=bad signature for whsec_*** with Bearer ***');
    expect(old.details.auth_token).toBeNull();
    const shown = JSON.stringify(page);
    for (const secret of [revealed.signing_secret, revealed.auth_token, 's3cr3t', 'xat_abc123']) expect(shown).not.toContain(secret);
  });
});
