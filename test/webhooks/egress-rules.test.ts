/**
 * The operator's egress lists (WEBHOOK_ALLOWED_HOSTS, WEBHOOK_DENIED_HOSTS) end to end: parsed at start
 * with the variable and entry named, applied at registration (422 at `url` naming the list, not its
 * entries) and at every delivery by the real worker to a real receiver, so a list changed after
 * registration stops deliveries. Name matching in detail is in `src/net/egress-rules.test.ts`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import type { EgressRules } from '../../src/net/egress-rules.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordingLog } from '../worker/support.ts';
import { expectJson } from '../support/responses.ts';

const Created = z.object({ id: z.string(), url: z.string() });
const Attempts = z.object({ items: z.array(z.object({ success: z.boolean(), status_code: z.number().nullable(), error_class: z.string().nullable() })) });
const Problem = z.object({ detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() })) });

/** The rules as `serve` would get them from the environment. */
const egress = (env: { WEBHOOK_ALLOWED_HOSTS?: string; WEBHOOK_DENIED_HOSTS?: string }): EgressRules => loadConfig(env).webhookEgress;

const NOT_ALLOWED = 'not among the receivers this server allows (WEBHOOK_ALLOWED_HOSTS)';
const DENIED = "denied by the server's egress rules (WEBHOOK_DENIED_HOSTS)";

describe('egress settings', () => {
  it('stop start-up naming the variable and the bad entry', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.org, 10.20.0.0/33' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.org, 10.20.0.0/33' })).toThrow(
      'WEBHOOK_ALLOWED_HOSTS: "10.20.0.0/33" has a prefix length that is not a number from 0 to 32',
    );
    expect(() => loadConfig({ WEBHOOK_DENIED_HOSTS: 'https://old.example.org' })).toThrow('WEBHOOK_DENIED_HOSTS: "https://old.example.org" is a URL; give the bare host name');
  });

  it('treat an absent or empty allow list as no allow list', () => {
    expect(loadConfig({}).webhookEgress).toEqual({ allowed: null, denied: [] });
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: ' , ' }).webhookEgress.allowed).toBeNull();
    expect(egress({ WEBHOOK_ALLOWED_HOSTS: '*.example.org', WEBHOOK_DENIED_HOSTS: '10.0.0.0/8' })).toEqual({
      allowed: [{ kind: 'suffix', suffix: 'example.org' }],
      denied: [expect.objectContaining({ kind: 'cidr', address: '10.0.0.0', prefix: 8 })],
    });
  });
});

describeEachDatabase('webhook egress rules', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let org: string;

  beforeAll(async () => {
    // No background worker: each test runs its deliveries through a worker with the rules it is about.
    server = await startTestServer(kind, { worker: false });
    org = server.organizationId;
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const json = expectJson;
  const hooks = (rest = '') => `/v1/m/organizations/${org}/webhooks${rest}`;
  /** The same server's API as it answers with these settings. */
  const appWith = (allowPrivateIps: boolean, webhookEgress: EgressRules) => {
    const app = createApp({ ...server.deps, allowPrivateIps, webhookEgress });
    return (p: string, method: string, body: unknown) =>
      app.request(p, { method, headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  };
  const workerWith = (allowPrivateIps: boolean, webhookEgress: EgressRules): Worker =>
    createWorker({
      db: server.database.db,
      clock: systemClock,
      handlers: createTaskHandlers({ db: server.database.db, clock: systemClock, allowPrivateIps, webhookEgress, secrets: server.deps.secrets, publicUrl: server.baseUrl }),
      workerId: `egress-${Math.random()}`,
      log: recordingLog(),
    });
  const attempts = async (id: string) => Attempts.parse(await json(server.admin(hooks(`/${id}/attempts`)), 200)).items;
  const refusal = async (res: Response | Promise<Response>) => {
    const body = Problem.parse(await json(res, 422));
    expect(body.detail).toHaveLength(1);
    expect(body.detail[0]?.loc).toEqual(['body', 'url']);
    return body.detail[0]?.msg;
  };

  it('accepts a private receiver inside an allowed CIDR without ALLOW_PRIVATE_IPS, and refuses the rest', async () => {
    receiver = await startWebhookReceiver();
    const port = new URL(receiver.url).port;
    const call = appWith(false, egress({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.org, 127.0.0.1/32' }));

    const hook = Created.parse(await json(call(hooks(), 'POST', { name: 'inside', url: receiver.url }), 200));
    expect(hook.url).toBe(receiver.url);

    const res = call(hooks(), 'POST', { name: 'next door', url: `http://127.0.0.2:${port}/hook` });
    const msg = await refusal(res);
    expect(msg).toBe(`the host cannot be used: 127.0.0.2 is not allowed: ${NOT_ALLOWED}`);
    // With names only in the list, a name outside it is refused without a DNS lookup (so this works offline).
    const byName = appWith(false, egress({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.org' }));
    expect(await refusal(byName(hooks(), 'POST', { name: 'elsewhere', url: 'https://hooks.example.net/in' }))).toBe(
      `the host cannot be used: hooks.example.net is not allowed: ${NOT_ALLOWED}`,
    );
    // Changing the URL goes through the same check.
    expect(await refusal(call(hooks(`/${hook.id}`), 'PATCH', { name: 'inside', url: `http://127.0.0.2:${port}/hook` }))).toContain(NOT_ALLOWED);
  });

  it('does not reveal the lists in the answer', async () => {
    const call = appWith(true, egress({ WEBHOOK_ALLOWED_HOSTS: 'secret-receiver.corp.example, 10.99.0.0/16', WEBHOOK_DENIED_HOSTS: 'hidden.corp.example' }));
    const res = await call(hooks(), 'POST', { name: 'probe', url: 'http://127.0.0.1:9/hook' });
    const text = await res.text();
    expect(res.status, text).toBe(422);
    for (const secret of ['secret-receiver', '10.99', 'hidden']) expect(text).not.toContain(secret);
  });

  it('lets a denied entry win over an allowed one, by address and by name', async () => {
    receiver = await startWebhookReceiver();
    const port = new URL(receiver.url).port;
    const call = appWith(true, egress({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.0/8, localhost', WEBHOOK_DENIED_HOSTS: '127.0.0.1, old.localhost' }));
    expect(await refusal(call(hooks(), 'POST', { name: 'denied', url: receiver.url }))).toBe(`the host cannot be used: 127.0.0.1 is not allowed: ${DENIED}`);
    // `localhost` is allowed by name, but it means 127.0.0.1, which is denied.
    expect(await refusal(call(hooks(), 'POST', { name: 'denied by address', url: `http://localhost:${port}/hook` }))).toBe(
      `the host cannot be used: localhost resolves to 127.0.0.1, which is not allowed: ${DENIED}`,
    );
    expect(await refusal(call(hooks(), 'POST', { name: 'denied by name', url: `http://OLD.localhost.:${port}/hook` }))).toBe(
      `the host cannot be used: old.localhost is not allowed: ${DENIED}`,
    );
    Created.parse(await json(call(hooks(), 'POST', { name: 'another loopback', url: `http://127.0.0.3:${port}/hook` }), 200));
  });

  it('matches allowed names case-insensitively and without a trailing dot', async () => {
    receiver = await startWebhookReceiver();
    const port = new URL(receiver.url).port;
    const call = appWith(true, egress({ WEBHOOK_ALLOWED_HOSTS: 'LocalHost.' }));
    Created.parse(await json(call(hooks(), 'POST', { name: 'by name', url: `http://localhost.:${port}/hook` }), 200));
    expect(await refusal(call(hooks(), 'POST', { name: 'by address', url: receiver.url }))).toContain(NOT_ALLOWED);
  });

  it('delivers while the allow list admits the receiver, and records the refusal once it no longer does', async () => {
    receiver = await startWebhookReceiver();
    const hook = Created.parse(await json(server.admin(hooks(), { method: 'POST', body: JSON.stringify({ name: 'moved out', url: receiver.url, event_types: ['webhook.test'] }) }), 200));

    // Receivers live in 127.0.0.0/8 here: delivered although private addresses are otherwise refused.
    await json(server.admin(hooks(`/${hook.id}/test`), { method: 'POST' }), 202);
    await workerWith(false, egress({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.0/8' })).runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect(await attempts(hook.id)).toMatchObject([{ success: true, status_code: 200, error_class: null }]);

    // The operator restarts with the receivers moved to 10.20.0.0/16: the queued delivery is refused at send time.
    await json(server.admin(hooks(`/${hook.id}/test`), { method: 'POST' }), 202);
    await workerWith(false, egress({ WEBHOOK_ALLOWED_HOSTS: '10.20.0.0/16' })).runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect((await attempts(hook.id))[0]).toMatchObject({ success: false, status_code: null, error_class: 'unsafe_address' });

    // A deny list refuses it even where private addresses are allowed; Recent Events carry the reason.
    await json(server.admin(hooks(`/${hook.id}/test`), { method: 'POST' }), 202);
    await workerWith(true, egress({ WEBHOOK_DENIED_HOSTS: '127.0.0.0/8' })).runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect((await attempts(hook.id))[0]).toMatchObject({ success: false, error_class: 'unsafe_address' });
    const events = JSON.stringify(await json(server.admin(`/v1/m/organizations/${org}/events?page_size=50`), 200));
    expect(events).toContain(`127.0.0.1 is not allowed: ${NOT_ALLOWED}`);
    expect(events).toContain(`127.0.0.1 is not allowed: ${DENIED}`);
  });
});
