/**
 * The webhook admin API over a real server and worker: the event catalogue with JSON schemas, event-type
 * subscriptions, `experiment.created` still sent to linked webhooks in the reference's shape and now
 * signed, `experiment.abandoned` from the lifecycle, secrets only where they belong, and the operations
 * routes (test event, delivery log, message view, replay, rotation, enable) with their 4xx answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_SCHEMAS, EVENT_TYPES } from '../../src/domain/event-catalogue.ts';
import { newId } from '../../src/domain/ids.ts';
import { createOrganization, issueAccessToken } from '../../src/services/bootstrap.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startScriptedReceiver, verifyStandardWebhook, type ScriptedReceiver } from './support.ts';

const Summary = z.object({
  id: z.string(),
  event_types: z.array(z.string()),
  enabled: z.boolean(),
  public_key: z.string().nullable(),
  auth_token: z.string().nullable().optional(),
  signing_secret: z.string().nullable().optional(),
});

describeEachDatabase('webhook admin API', (kind) => {
  let server: TestServer;
  let receiver: ScriptedReceiver;
  let org: string;
  let outsiderToken: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startScriptedReceiver();
    org = server.organizationId;
    const outsider = newId('user');
    await server.database.db.insertInto('users').values({ id: outsider, email: `outsider-${outsider}@example.org` }).execute();
    await server.database.db.transaction().execute((trx) => createOrganization(trx, 'Elsewhere', outsider));
    outsiderToken = await issueAccessToken(server.database.db, outsider, null);
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

  async function experiment(name: string, webhooks: string[]): Promise<string> {
    const exp = await json(
      post(`/v1/m/datasources/${server.demoDatasourceId}/experiments`, {
        design_spec: onlineDesign({ experiment_name: name }),
        webhooks,
      }),
    );
    return exp.experiment_id as string;
  }

  it('serves the event catalogue with a JSON schema per type', async () => {
    const body = await json(server.admin('/v1/m/webhook-event-types'));
    expect(body.items.map((i: { type: string }) => i.type)).toEqual([...EVENT_TYPES]);
    for (const t of ['experiment.created', 'experiment.abandoned', 'experiment.updated', 'experiment.assignment_stopped', 'experiment.ended', 'experiment.warning', 'webhook.test']) {
      const item = body.items.find((i: { type: string }) => i.type === t);
      expect(item.schema.type).toBe('object');
      expect(item.schema.properties.type.const).toBe(t);
      expect(item.description.length).toBeGreaterThan(10);
    }
    expect(body.items.find((i: { type: string }) => i.type === 'experiment.warning').schema.properties.data.properties.warning.enum).toEqual([
      'sample_ratio_mismatch',
      'imbalance',
      'underpowered',
    ]);
  });

  it('sends experiment.created to the linked webhook (reference body, signed) and experiment.abandoned to subscribers', async () => {
    const linked = Summary.parse(await json(post(`/v1/m/organizations/${org}/webhooks`, { type: 'experiment.created', name: 'linked', url: receiver.url })));
    expect(linked.event_types).toEqual(['experiment.created']);
    expect(linked.signing_secret).toMatch(/^whsec_/);
    const lifecycle = Summary.parse(
      await json(post(`/v1/m/organizations/${org}/webhooks`, { name: 'lifecycle', url: receiver.url, event_types: ['experiment.abandoned'], ed25519: true })),
    );
    expect(lifecycle.public_key).toMatch(/^whpk_/);
    expect(await json(server.admin(`/v1/m/organizations/${org}/webhooks/${lifecycle.id}/public-key`))).toEqual({ public_key: lifecycle.public_key });

    const committed = await experiment('linked and committed', [linked.id]);
    await json(post(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${committed}/commit`), 204);
    const abandoned = await experiment('abandoned', []);
    await json(post(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${abandoned}/abandon`), 204);
    await receiver.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(2);

    const created = receiver.requests.find((q) => JSON.parse(q.body).type === 'experiment.created');
    expect(JSON.parse(created?.body ?? '{}')).toEqual({
      type: 'experiment.created',
      organization_id: org,
      datasource_id: server.demoDatasourceId,
      experiment_id: committed,
      experiment_url: `${server.baseUrl}/v1/experiments/${committed}`,
    });
    expect(created?.headers['webhook-token']).toBe(linked.auth_token);
    const now = Math.floor(Date.now() / 1000);
    expect(verifyStandardWebhook({ headers: created?.headers ?? {}, body: created?.body ?? '', nowSeconds: now, secret: linked.signing_secret as string }).ok).toBe(true);

    const gone = receiver.requests.find((q) => JSON.parse(q.body).type === 'experiment.abandoned');
    const parsed = EVENT_SCHEMAS['experiment.abandoned'].parse(JSON.parse(gone?.body ?? '{}'));
    expect(parsed.data).toEqual({ experiment_id: abandoned, datasource_id: server.demoDatasourceId, experiment_url: `${server.baseUrl}/v1/experiments/${abandoned}` });
    expect(verifyStandardWebhook({ headers: gone?.headers ?? {}, body: gone?.body ?? '', nowSeconds: now, publicKey: lifecycle.public_key as string })).toEqual({ ok: true, version: 'v1a' });

    // Recent Events show both events and the attempts, with no secret anywhere.
    const events = await json(server.admin(`/v1/m/organizations/${org}/events?page_size=50`));
    const types = events.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['experiment.created', 'experiment.abandoned', 'webhook.sent']));
    expect(events.items.find((e: { type: string }) => e.type === 'experiment.abandoned').summary).toBe(`abandoned: experiment ${abandoned}`);
    const shown = JSON.stringify(events) + JSON.stringify(await json(server.admin(`/v1/m/organizations/${org}/webhooks`)));
    for (const secret of [linked.auth_token, linked.signing_secret, lifecycle.auth_token, lifecycle.signing_secret]) expect(shown).not.toContain(secret as string);

    // The delivery log per endpoint and per message.
    const attempts = await json(server.admin(`/v1/m/organizations/${org}/webhooks/${lifecycle.id}/attempts`));
    expect(attempts.items).toHaveLength(1);
    expect(attempts.items[0]).toMatchObject({ success: true, status_code: 200, error_class: null, attempt: 1 });
    const message = await json(server.admin(`/v1/m/organizations/${org}/webhook-messages/${attempts.items[0].message_id}`));
    expect(message).toMatchObject({ event_type: 'experiment.abandoned', deliveries: [{ webhook_id: lifecycle.id, status: 'succeeded' }] });
    expect(message.id).toBe(gone?.headers['webhook-id']);

    // Resend from Recent Events replays the same message (same webhook-id).
    const sentEvent = events.items.find((e: { type: string; details: { message_id?: string } }) => e.type === 'webhook.sent' && e.details.message_id === message.id);
    await json(post(`/v1/m/organizations/${org}/events/${sentEvent.id}/resend`), 204);
    await receiver.waitFor(3);
    expect(receiver.requests[2]?.headers['webhook-id']).toBe(message.id);
  });

  it('answers the operations routes, and 404/409/422 where they apply', async () => {
    const hook = Summary.parse(await json(post(`/v1/m/organizations/${org}/webhooks`, { name: 'ops', url: receiver.url, event_types: ['webhook.test'] })));
    const before = receiver.requests.length;
    const queued = await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/test`), 202);
    expect(queued.message_id).toMatch(/^msg_/);
    await receiver.waitFor(before + 1);
    expect(JSON.parse(receiver.requests[before]?.body ?? '{}').type).toBe('webhook.test');

    const rotated = Summary.parse(await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/secret/rotate`, { overlap_hours: 1 })));
    expect(rotated.signing_secret).not.toBe(hook.signing_secret);
    const revealed = Summary.parse(await json(server.admin(`/v1/m/organizations/${org}/webhooks/${hook.id}/authtoken`)));
    expect(revealed.signing_secret).toBe(rotated.signing_secret);
    expect(Summary.parse(await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/enable`))).enabled).toBe(true);
    expect(await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/replay-failed`, { since: '2020-01-01T00:00:00Z' }), 202)).toEqual({ replayed: 0 });
    await json(server.admin(`/v1/m/organizations/${org}/webhooks/${hook.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'ops', url: receiver.url, event_types: ['webhook.test', 'experiment.ended'] }) }), 204);
    expect(Summary.parse(await json(server.admin(`/v1/m/organizations/${org}/webhooks/${hook.id}`))).event_types).toEqual(['webhook.test', 'experiment.ended']);

    // 422: unknown event type, bad overlap, bad since.
    await json(post(`/v1/m/organizations/${org}/webhooks`, { name: 'x', url: receiver.url, event_types: ['experiment.exploded'] }), 422);
    await json(post(`/v1/m/organizations/${org}/webhooks`, { name: 'x', url: receiver.url, event_types: [] }), 422);
    await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/secret/rotate`, { overlap_hours: 10_000 }), 422);
    await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/replay-failed`, { since: 'yesterday' }), 422);
    // 404: unknown webhook or message, and everything from another organization's member.
    await json(post(`/v1/m/organizations/${org}/webhooks/wh_missing/test`), 404);
    await json(server.admin(`/v1/m/organizations/${org}/webhook-messages/msg_missing`), 404);
    await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/messages/msg_missing/replay`), 404);
    const outsider = (path: string, init: RequestInit = {}) =>
      fetch(`${server.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${outsiderToken}`, 'Content-Type': 'application/json' } });
    for (const [path, method] of [
      [`/v1/m/organizations/${org}/webhooks/${hook.id}/attempts`, 'GET'],
      [`/v1/m/organizations/${org}/webhooks/${hook.id}/authtoken`, 'GET'],
      [`/v1/m/organizations/${org}/webhooks/${hook.id}/test`, 'POST'],
      [`/v1/m/organizations/${org}/webhooks/${hook.id}/secret/rotate`, 'POST'],
      [`/v1/m/organizations/${org}/webhook-messages/${queued.message_id}`, 'GET'],
    ] as const) {
      expect((await outsider(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) })).status, path).toBe(404);
    }
    // 401 without a session.
    expect((await fetch(`${server.baseUrl}/v1/m/webhook-event-types`)).status).toBe(401);
  });

  it('refuses to replay a message that is still being delivered (409)', async () => {
    const stuck = await startScriptedReceiver(() => ({ status: 500 }));
    try {
      const hook = Summary.parse(await json(post(`/v1/m/organizations/${org}/webhooks`, { name: 'stuck', url: stuck.url, event_types: ['webhook.test'] })));
      const queued = await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/test`), 202);
      await json(post(`/v1/m/organizations/${org}/webhooks/${hook.id}/messages/${queued.message_id}/replay`), 409);
    } finally {
      await stuck.close();
    }
  });
});
