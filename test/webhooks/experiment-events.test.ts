/**
 * Run-time changes reach subscribed webhooks: editing a committed experiment sends `experiment.updated`,
 * and a manual stop or the end date passing sends `experiment.assignment_stopped` with its reason — each
 * once, from the request that made the change.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

describeEachDatabase('experiment events from run-time changes', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let key: string;

  const design = (name: string, endDate: string) => ({ design_spec: onlineDesign({ experiment_name: name, end_date: endDate }) });

  async function committedExperiment(name: string, endDate: string): Promise<string> {
    const ds = server.demoDatasourceId;
    const created = await (await server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify(design(name, endDate)) })).json();
    await server.admin(`/v1/m/datasources/${ds}/experiments/${created.experiment_id}/commit`, { method: 'POST' });
    return created.experiment_id;
  }

  const received = () => receiver.requests.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startWebhookReceiver();
    key = (await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/apikeys`, { method: 'POST' })).json()).key;
    const res = await server.admin(`/v1/m/organizations/${server.organizationId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'ops', url: receiver.url, event_types: ['experiment.updated', 'experiment.assignment_stopped'] }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('sends experiment.updated on PATCH and assignment_stopped on a manual stop', async () => {
    const id = await committedExperiment('edited', '2099-01-01T00:00:00Z');
    const base = `/v1/m/datasources/${server.demoDatasourceId}/experiments/${id}`;
    expect((await server.admin(base, { method: 'PATCH', body: JSON.stringify({ name: 'renamed', decision: 'ship it' }) })).status).toBe(204);
    expect((await server.admin(`${base}/stop`, { method: 'POST' })).status).toBe(204);
    expect((await server.admin(`${base}/stop`, { method: 'POST' })).status).toBe(204); // already stopped: nothing new
    await receiver.waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    const mine = received().filter((m) => m.data.experiment_id === id);
    expect(mine.map((m) => m.type)).toEqual(['experiment.updated', 'experiment.assignment_stopped']);
    expect(mine[0]?.data.changed_fields).toEqual(['decision', 'name']);
    expect(mine[1]?.data.reason).toBe('manual');
  });

  it('sends assignment_stopped once when the end date has passed', async () => {
    const id = await committedExperiment('ended', '2026-02-01T00:00:00Z');
    const before = receiver.requests.length;
    const lookups = await Promise.all(
      ['p1', 'p2', 'p3'].map((p) => fetch(`${server.baseUrl}/v1/experiments/${id}/assignments/${p}`, { headers: { 'X-API-Key': key } })),
    );
    for (const res of lookups) expect((await res.json()).assignment).toBeNull();
    await receiver.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 500));
    const mine = received().filter((m) => m.data.experiment_id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: 'experiment.assignment_stopped', data: { reason: 'end_date' } });
  });
});
