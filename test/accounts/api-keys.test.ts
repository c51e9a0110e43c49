/**
 * API keys beyond the reference: names, scopes enforced on the public routes, expiry, last-used time,
 * rotation with an overlap window, the per-key rate limit (429 + Retry-After), and audit entries for
 * creation, rotation and revocation. The reference's format, headers and statuses stay as they were.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

describeEachDatabase('api keys', (kind) => {
  let f: AccountsFixture;
  let experimentId: string;
  let ds: string;
  beforeAll(async () => {
    f = await accountsFixture(kind);
    ds = f.server.demoDatasourceId;
    const res = await f.admin(`/v1/m/datasources/${ds}/experiments`, {
      method: 'POST',
      json: {
        design_spec: onlineDesign({ experiment_name: 'keys' }),
        webhooks: [],
      },
    });
    experimentId = (await res.json()).experiment_id;
    await f.admin(`/v1/m/datasources/${ds}/experiments/${experimentId}/commit`, { method: 'POST' });
  });
  afterAll(async () => f?.close());

  const pub = (key: string, path: string) => f.app.request(path, { headers: { 'X-API-Key': key, 'Datasource-ID': ds } });

  it('creates named, scoped keys in the reference format and enforces the scopes on the public routes', async () => {
    const both = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
    expect(both).toMatchObject({ key: expect.stringMatching(/^xat_[A-Za-z0-9]{6}_[A-Za-z0-9]{32}$/), scopes: ['assign', 'read'], name: '' });
    const readOnly = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { name: 'dashboards', scopes: ['read'] } })).json();
    const assignOnly = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { name: 'checkout', scopes: ['assign'] } })).json();

    expect((await pub(both.key, '/v1/experiments')).status).toBe(200);
    expect((await pub(both.key, `/v1/experiments/${experimentId}/assignments/p1`)).status).toBe(200);
    expect((await pub(readOnly.key, `/v1/experiments/${experimentId}`)).status).toBe(200);
    expect((await pub(readOnly.key, `/v1/experiments/${experimentId}/assignments/csv`)).status).toBe(200);
    const denied = await pub(readOnly.key, `/v1/experiments/${experimentId}/assignments/p1`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: "X-API-Key does not have the 'assign' scope." });
    expect((await pub(assignOnly.key, `/v1/experiments/${experimentId}/assignments/p2`)).status).toBe(200);
    expect((await pub(assignOnly.key, `/v1/experiments/${experimentId}`)).status).toBe(403);
    expect((await pub(assignOnly.key, '/v1/experiments')).status).toBe(403);

    const listed = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`)).json();
    const summary = listed.items.find((k: { id: string }) => k.id === readOnly.id);
    expect(summary).toMatchObject({ name: 'dashboards', scopes: ['read'], expires_at: null, last_used_at: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(readOnly.key);
  });

  it('fails expired and revoked keys with the documented statuses', async () => {
    const soon = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { expires_at: new Date(Date.now() + 300).toISOString() } })).json();
    expect((await pub(soon.key, '/v1/experiments')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect((await pub(soon.key, '/v1/experiments')).status).toBe(403);
    expect((await pub(soon.key, `/v1/experiments/${experimentId}`)).status).toBe(404);
    const past = await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { expires_at: '2000-01-01T00:00:00Z' } });
    expect(past.status).toBe(422);

    const doomed = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
    expect((await f.admin(`/v1/m/datasources/${ds}/apikeys/${doomed.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await pub(doomed.key, '/v1/experiments');
    expect(revoked.status).toBe(403);
    expect(await revoked.json()).toEqual({ message: 'X-API-Key is invalid or does not have access to this resource.' });
    expect((await pub(doomed.key, `/v1/experiments/${experimentId}`)).status).toBe(404);
  });

  it('rotates a key: both work during the overlap, then only the new one', async () => {
    const old = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { name: 'svc', scopes: ['read'] } })).json();
    const rotated = await (await f.admin(`/v1/m/datasources/${ds}/apikeys/${old.id}/rotate`, { method: 'POST', json: { overlap_seconds: 1 } })).json();
    expect(rotated).toMatchObject({ name: 'svc', scopes: ['read'] });
    expect(rotated.key).not.toBe(old.key);
    expect((await pub(old.key, '/v1/experiments')).status).toBe(200);
    expect((await pub(rotated.key, '/v1/experiments')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await pub(old.key, '/v1/experiments')).status).toBe(403);
    expect((await pub(rotated.key, '/v1/experiments')).status).toBe(200);
    expect((await f.admin(`/v1/m/datasources/${ds}/apikeys/${old.id}/rotate`, { method: 'POST' })).status).toBe(404);

    const actions = (await (await f.admin(`/v1/m/organizations/${f.server.organizationId}/audit?page_size=100`)).json()).items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.rotated', 'api_key.revoked']));
  });

  it('limits each key to its own requests per second: 429 with Retry-After, others unaffected', async () => {
    const slow = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', json: { rate_limit_per_second: 3 } })).json();
    const other = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
    // Start at the top of a second so all requests fall in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await pub(slow.key, '/v1/experiments')).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await pub(slow.key, `/v1/experiments/${experimentId}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('1');
    expect((await limited.json()).message).toMatch(/Too many requests/);
    expect((await pub(other.key, '/v1/experiments')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await pub(slow.key, '/v1/experiments')).status).toBe(200);
  });
});
