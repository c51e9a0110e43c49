/**
 * The whole integration flow over real HTTP, as a client backend plays it: API key, webhook, design,
 * commit, notification received and its token checked, metadata, bulk JSON and CSV, individual lookups,
 * and online idempotency under concurrent first requests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const DESIGN_BASE = {
  description: 'Does a WhatsApp nudge raise course completion?',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2099-12-31T00:00:00Z',
  table_name: 'participants',
  primary_key: 'participant_id',
  metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
};

describeEachDatabase('integration flow end to end', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let apiKey: string;
  let webhook: { id: string; auth_token: string };

  const client = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, { headers: { 'X-API-Key': apiKey, ...headers } });

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('shows the demo organization with its API-only and DuckDB datasources', async () => {
    const orgs = await (await server.admin('/v1/m/organizations')).json();
    expect(orgs.items.map((o: { id: string }) => o.id)).toEqual([server.organizationId]);
    const ds = await (await server.admin(`/v1/m/organizations/${server.organizationId}/datasources`)).json();
    expect(ds.items.map((d: { driver: string }) => d.driver).sort()).toEqual(['duckdb', 'none']);
    const tables = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/inspect`)).json();
    expect(tables.tables).toContain('participants');
    const cols = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/inspect/participants`)).json();
    expect(cols.detected_unique_id_fields).toContain('participant_id');
    expect(cols.fields.find((f: { field_name: string }) => f.field_name === 'completed_course').data_type).toBe('boolean');
  });

  it('creates an API key shown once and a webhook with a token', async () => {
    // The concurrency steps below send well over the default 100 requests/s per key.
    const created = await (
      await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/apikeys`, { method: 'POST', body: JSON.stringify({ name: 'backend', rate_limit_per_second: 10_000 }) })
    ).json();
    expect(created.key).toMatch(/^xat_[A-Za-z0-9]{6}_[A-Za-z0-9]{32}$/);
    apiKey = created.key;
    const listed = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/apikeys`)).json();
    expect(JSON.stringify(listed)).not.toContain(apiKey);
    const stored = await server.database.db.selectFrom('api_keys').select('key_hash').execute();
    expect(stored.every((k) => !k.key_hash.includes(apiKey.slice(11)))).toBe(true);

    const res = await server.admin(`/v1/m/organizations/${server.organizationId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'client backend', url: receiver.url }),
    });
    expect(res.status).toBe(200);
    webhook = await res.json();
    expect(webhook.auth_token).toMatch(/^[0-9a-f]{32}$/);
  });

  let preassignedId: string;
  let armIds: string[];

  it('designs a preassigned experiment with exact weighted arm sizes and strata captured', async () => {
    const res = await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments?random_state=7`, {
      method: 'POST',
      body: JSON.stringify({
        design_spec: {
          ...DESIGN_BASE,
          experiment_type: 'freq_preassigned',
          experiment_name: 'Nudge, preassigned',
          arms: [
            { arm_name: 'control', arm_weight: 30 },
            { arm_name: 'nudge', arm_weight: 70 },
          ],
          strata: [{ field_name: 'gender' }, { field_name: 'country' }],
          filters: [{ field_name: 'country', relation: 'includes', value: ['KE', 'NG'] }],
          desired_n: 1001,
        },
        webhooks: [webhook.id],
      }),
    });
    expect(res.status).toBe(200);
    const config = await res.json();
    preassignedId = config.experiment_id;
    armIds = config.design_spec.arms.map((a: { arm_id: string }) => a.arm_id);
    expect(config.state).toBe('assigned');
    expect(config.webhooks).toEqual([webhook.id]);
    expect(config.assign_summary.sample_size).toBe(1001);
    // 30/70 of 1001 = 300.3/700.7: stratified assignment keeps every arm within one participant of its share.
    const sizes = config.assign_summary.arm_sizes.map((s: { size: number }) => s.size);
    expect(sizes[0] + sizes[1]).toBe(1001);
    expect(Math.abs(sizes[0] - 300.3)).toBeLessThan(1);
    expect(Math.abs(sizes[1] - 700.7)).toBeLessThan(1);
    expect(config.assign_summary.balance_check).toMatchObject({ balance_ok: expect.any(Boolean), p_value: expect.any(Number) });
  });

  it('commits: one experiment.created event, and the webhook receives the notification with its token', async () => {
    expect(receiver.requests).toHaveLength(0); // created, not committed: nothing sent yet
    const res = await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${preassignedId}/commit`, { method: 'POST' });
    expect(res.status).toBe(204);
    await receiver.waitFor(1);
    const [req] = receiver.requests;
    expect(req?.headers['webhook-token']).toBe(webhook.auth_token);
    expect(req?.headers.authorization).toBe(`Bearer ${webhook.auth_token}`);
    expect(JSON.parse(req?.body ?? '{}')).toEqual({
      type: 'experiment.created',
      organization_id: server.organizationId,
      datasource_id: server.demoDatasourceId,
      experiment_id: preassignedId,
      experiment_url: `${server.baseUrl}/v1/experiments/${preassignedId}`,
    });
    // A second commit is a no-op and fires nothing.
    expect((await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${preassignedId}/commit`, { method: 'POST' })).status).toBe(204);
    const abandon = await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${preassignedId}/abandon`, { method: 'POST' });
    expect(abandon.status).toBe(409);
    expect(await abandon.json()).toEqual({ detail: 'Invalid state: committed' });

    await expect.poll(async () => {
      const events = await (await server.admin(`/v1/m/organizations/${server.organizationId}/events`)).json();
      return events.items.map((e: { type: string }) => e.type);
    }).toEqual(['webhook.sent', 'experiment.created']);
    const events = await (await server.admin(`/v1/m/organizations/${server.organizationId}/events`)).json();
    expect(events.items[0].status_icon).toBe('success');
    expect(JSON.stringify(events)).not.toContain(webhook.auth_token);
    expect(receiver.requests).toHaveLength(1);

    const audit = await (await server.admin(`/v1/m/organizations/${server.organizationId}/audit?page_size=100`)).json();
    const actions = audit.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.created', 'experiment.created', 'experiment.committed']));
    expect(actions.filter((a: string) => a === 'experiment.committed')).toHaveLength(1); // the repeated commit changed nothing
    expect(JSON.stringify(audit)).not.toContain(webhook.auth_token);
  });

  it('serves metadata and the bulk exports to the client backend', async () => {
    const list = await (await client('/v1/experiments', { 'Datasource-ID': server.demoDatasourceId })).json();
    expect(list.items.map((e: { experiment_id: string }) => e.experiment_id)).toContain(preassignedId);

    const meta = await (await client(`/v1/experiments/${preassignedId}`)).json();
    expect(meta.design_spec.start_date).toBe('2026-01-01T00:00:00.000Z');
    expect(meta.design_spec.filters).toEqual([{ field_name: 'country', relation: 'includes', value: ['KE', 'NG'] }]);
    expect(meta.design_spec.arms.map((a: { arm_name: string }) => a.arm_name)).toEqual(['control', 'nudge']);

    const json = await (await client(`/v1/experiments/${preassignedId}/assignments`)).json();
    expect(json.sample_size).toBe(1001);
    expect(json.assignments).toHaveLength(1001);
    expect(new Set(json.assignments.map((a: { participant_id: string }) => a.participant_id)).size).toBe(1001);
    expect(json.assignments[0].strata.map((s: { field_name: string }) => s.field_name)).toEqual(['country', 'gender']);
    expect(json.assignments.every((a: { strata: { strata_value: string }[] }) => ['KE', 'NG'].includes(a.strata[0]!.strata_value))).toBe(true);

    const csvRes = await client(`/v1/experiments/${preassignedId}/assignments/csv`);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    expect(csvRes.headers.get('content-disposition')).toBe(`attachment; filename="experiment_${preassignedId}_assignments.csv"`);
    const csv = await csvRes.text();
    expect(csv).not.toContain('\r');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('participant_id,arm_id,arm_name,created_at,country,gender');
    expect(lines).toHaveLength(1002);
    expect(lines[1]).toMatch(/^p\d+,arm_\w+,(control|nudge),\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,(KE|NG),\w+$/);
  });

  it('returns the stored arm for a preassigned participant and never creates one', async () => {
    const json = await (await client(`/v1/experiments/${preassignedId}/assignments`)).json();
    const first = json.assignments[0];
    const res = await client(`/v1/experiments/${preassignedId}/assignments/${first.participant_id}`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    const one = await res.json();
    expect(one.assignment.arm_id).toBe(first.arm_id);
    expect(armIds).toContain(one.assignment.arm_id);
    const unknown = await (await client(`/v1/experiments/${preassignedId}/assignments/not-in-sample`)).json();
    expect(unknown).toEqual({ experiment_id: preassignedId, participant_id: 'not-in-sample', assignment: null });
    const count = await server.database.db.selectFrom('assignments').select((eb) => eb.fn.countAll().as('n')).where('experiment_id', '=', preassignedId).executeTakeFirst();
    expect(Number(count?.n)).toBe(1001);
  });

  it('assigns online participants once, even under 50 concurrent first requests', async () => {
    const created = await (
      await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments`, {
        method: 'POST',
        body: JSON.stringify({ design_spec: { ...DESIGN_BASE, experiment_type: 'freq_online', experiment_name: 'Nudge, online', arms: [{ arm_name: 'a' }, { arm_name: 'b' }] } }),
      })
    ).json();
    expect(created).toMatchObject({ experiment_id: expect.stringMatching(/^exp_/) });
    const id = created.experiment_id;
    const draft = await (await client(`/v1/experiments/${id}/assignments/early-bird`)).json().catch(() => null);
    expect(draft).toEqual({ detail: [{ loc: [0], msg: 'Invalid experiment state: assigned', type: 'assignment' }] });
    await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${id}/commit`, { method: 'POST' });

    const none = await (await client(`/v1/experiments/${id}/assignments/u-1?create_if_none=false`)).json();
    expect(none.assignment).toBeNull();

    const responses = await Promise.all(Array.from({ length: 50 }, () => client(`/v1/experiments/${id}/assignments/u-1`)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.assignment.arm_id)).size).toBe(1);
    const again = await (await client(`/v1/experiments/${id}/assignments/u-1`)).json();
    expect(again.assignment.arm_id).toBe(bodies[0].assignment.arm_id);
    const rows = await server.database.db.selectFrom('assignments').selectAll().where('experiment_id', '=', id).execute();
    expect(rows).toHaveLength(1);

    // Many distinct participants: both arms used, and the arm counters match the rows.
    await Promise.all(Array.from({ length: 40 }, (_, i) => client(`/v1/experiments/${id}/assignments/p-${i}`)));
    const meta = await (await client(`/v1/experiments/${id}`)).json();
    expect(meta.assign_summary.sample_size).toBe(41);
    expect(meta.assign_summary.arm_sizes.every((s: { size: number }) => s.size > 0)).toBe(true);
  });

  it('creates an online experiment in hash mode from the design spec, with what a client needs to recompute it', async () => {
    const res = await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments`, {
      method: 'POST',
      body: JSON.stringify({
        design_spec: { ...DESIGN_BASE, experiment_type: 'freq_online', experiment_name: 'hashed', assignment_mode: 'hash', arms: [{ arm_name: 'a' }, { arm_name: 'b' }] },
      }),
    });
    expect(res.status).toBe(200);
    const config = await res.json();
    expect(config.design_spec.assignment_mode).toBe('hash');
    expect(config.assignment_hash).toMatchObject({ hash_version: 2, buckets: 10000 });
    await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${config.experiment_id}/commit`, { method: 'POST' });
    const one = await (await client(`/v1/experiments/${config.experiment_id}/assignments/someone`)).json();
    expect(one.assignment).toMatchObject({ assignment_method: 'hash', hash_bucket: expect.any(Number) });
  });
});
