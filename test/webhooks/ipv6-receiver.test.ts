/**
 * Webhooks to an IPv6 receiver, end to end: registered through the admin API, delivered by the real worker
 * to a receiver listening on `::1` (signed, with the bracketed Host header), replayed the same way, refused
 * by a worker that does not allow private addresses, and refused with a 422 at registration when the
 * server does not allow them. Name resolution (A before AAAA) is covered in `src/net/safe-resolve.test.ts`.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordingLog } from '../worker/support.ts';
import { verifyStandardWebhook } from './support.ts';
import { expectJson } from '../support/responses.ts';

const Created = z.object({ id: z.string(), url: z.string(), signing_secret: z.string() });
const Queued = z.object({ message_id: z.string() });
const Attempts = z.object({ items: z.array(z.object({ success: z.boolean(), status_code: z.number().nullable(), error_class: z.string().nullable() })) });
const Problem = z.object({ detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() })) });

describeEachDatabase('webhooks to an IPv6 receiver', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let org: string;
  /** Delivers with private addresses allowed, as the test server's own deps do. */
  let lenient: Worker;
  /** Delivers as a production worker would (`ALLOW_PRIVATE_IPS=false`). */
  let strict: Worker;
  /** The same app with private addresses refused, to see what registration answers then. */
  let strictApp: ReturnType<typeof createApp>;

  beforeAll(async () => {
    // No background worker: the tests run each delivery themselves, so nothing races them.
    server = await startTestServer(kind, { worker: false });
    org = server.organizationId;
    const worker = (allowPrivateIps: boolean) =>
      createWorker({
        db: server.database.db,
        clock: systemClock,
        handlers: createTaskHandlers({ db: server.database.db, clock: systemClock, allowPrivateIps, secrets: server.deps.secrets, publicUrl: server.baseUrl }),
        workerId: allowPrivateIps ? 'lenient' : 'strict',
        log: recordingLog(),
      });
    lenient = worker(true);
    strict = worker(false);
    strictApp = createApp({ ...server.deps, allowPrivateIps: false });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const json = expectJson;
  const post = (path: string, body?: unknown) => server.admin(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const hooks = (rest = '') => `/v1/m/organizations/${org}/webhooks${rest}`;
  const strictRequest = (p: string, method: string, body: unknown) =>
    strictApp.request(p, { method, headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const attempts = async (id: string) => Attempts.parse(await json(server.admin(hooks(`/${id}/attempts`)), 200)).items;

  it('delivers a signed test event, and its replay, to a receiver on ::1', async () => {
    receiver = await startWebhookReceiver({ host: '::1' });
    expect(receiver.url).toMatch(/^http:\/\/\[::1\]:\d+\/hooks\/equipoise$/);
    const hook = Created.parse(await json(post(hooks(), { name: 'v6', url: receiver.url, event_types: ['webhook.test'] }), 200));
    expect(hook.url).toBe(receiver.url);

    const { message_id } = Queued.parse(await json(post(hooks(`/${hook.id}/test`)), 202));
    await lenient.runOnce();
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.path).toBe('/hooks/equipoise');
    expect(request?.headers.host).toBe(new URL(receiver.url).host);
    expect(request?.headers['webhook-id']).toBe(message_id);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(verifyStandardWebhook({ headers: request?.headers ?? {}, body: request?.body ?? '', nowSeconds, secret: hook.signing_secret })).toEqual({ ok: true, version: 'v1' });
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'webhook.test', organization_id: org });
    expect(await attempts(hook.id)).toMatchObject([{ success: true, status_code: 200, error_class: null }]);

    await json(post(hooks(`/${hook.id}/messages/${message_id}/replay`)), 202);
    await lenient.runOnce();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]?.headers['webhook-id']).toBe(message_id);
    expect(receiver.requests[1]?.body).toBe(request?.body);
  });

  it('does not deliver to ::1 from a worker that refuses private addresses, and logs why', async () => {
    receiver = await startWebhookReceiver({ host: '::1' });
    const hook = Created.parse(await json(post(hooks(), { name: 'v6 strict', url: receiver.url, event_types: ['webhook.test'] }), 200));
    await json(post(hooks(`/${hook.id}/test`)), 202);
    await strict.runOnce();
    expect(receiver.requests).toHaveLength(0);
    expect(await attempts(hook.id)).toMatchObject([{ success: false, status_code: null, error_class: 'unsafe_address' }]);
    // Recent Events carry the reason in words.
    const events = await json(server.admin(`/v1/m/organizations/${org}/events?page_size=50`), 200);
    expect(JSON.stringify(events)).toContain('::1 is not allowed: loopback');
  });

  it('refuses private IPv6 receivers with a 422 when private addresses are not allowed', async () => {
    receiver = await startWebhookReceiver({ host: '::1' });
    const port = new URL(receiver.url).port;
    for (const [host, why] of [
      ['[::1]', '::1 is not allowed: loopback'],
      ['[fd12:3456::1]', 'fd12:3456::1 is not allowed: unique local (private network)'],
      ['[fe80::1]', 'fe80::1 is not allowed: link-local'],
      ['[::ffff:127.0.0.1]', '::ffff:7f00:1 is not allowed: loopback'],
    ] as const) {
      const body = Problem.parse(await json(strictRequest(hooks(), 'POST', { name: 'inside', url: `http://${host}:${port}/hook` }), 422));
      expect(body.detail).toEqual([expect.objectContaining({ loc: ['body', 'url'], msg: `the host cannot be used: ${why}` })]);
    }

    // Changing an existing webhook's URL goes through the same check.
    const hook = Created.parse(await json(post(hooks(), { name: 'moving', url: receiver.url }), 200));
    const moved = Problem.parse(await json(strictRequest(hooks(`/${hook.id}`), 'PATCH', { name: 'moving', url: receiver.url }), 422));
    expect(moved.detail[0]?.msg).toBe('the host cannot be used: ::1 is not allowed: loopback');

    // A public IPv6 literal is accepted (a literal needs no DNS); multicast is refused even where private addresses are allowed.
    Created.parse(await json(strictRequest(hooks(), 'POST', { name: 'public v6', url: 'https://[2606:4700:4700::1111]/hook' }), 200));
    const multicast = Problem.parse(await json(post(hooks(), { name: 'everyone', url: 'http://[ff02::1]:8080/hook' }), 422));
    expect(multicast.detail[0]?.msg).toBe('the host cannot be used: ff02::1 is not allowed: multicast');
    expect(receiver.requests).toHaveLength(0);
  });
});
