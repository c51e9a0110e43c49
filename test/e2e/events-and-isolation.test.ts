/**
 * Recent Events paging (newest first, stable cursors, no row twice) and organization isolation: a member
 * of another organization sees none of the demo organization's resources.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.ts';
import { bootstrapInstallation, createOrganization, issueAccessToken } from '../../src/services/bootstrap.ts';
import { insertEvent } from '../../src/store/repositories/events.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describeEachDatabase('events and isolation', (kind) => {
  let server: TestServer;
  let outsiderToken: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
    const outsider = newId('user');
    await server.database.db.insertInto('users').values({ id: outsider, email: 'outsider@example.org' }).execute();
    await server.database.db.transaction().execute((trx) => createOrganization(trx, 'Other organization', outsider));
    outsiderToken = await issueAccessToken(server.database.db, outsider, null);
  });
  afterAll(async () => server?.close());

  it('pages through events newest first without repeating or skipping one', async () => {
    for (let i = 0; i < 45; i++) {
      await insertEvent(server.database.db, { organizationId: server.organizationId, type: 'experiment.created', data: { experiment_id: `exp_${i}` } });
    }
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const res = await server.admin(`/v1/m/organizations/${server.organizationId}/events?page_size=20${token ? `&page_token=${token}` : ''}`);
      expect(res.status).toBe(200);
      const page = await res.json();
      seen.push(...page.items.map((e: { details: { experiment_id: string } }) => e.details.experiment_id));
      token = page.next_page_token;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => `exp_${44 - i}`));

    const filtered = await (await server.admin(`/v1/m/organizations/${server.organizationId}/events?type=webhook.sent`)).json();
    expect(filtered).toEqual({ items: [], next_page_token: '' });
  });

  it('bootstraps only once', async () => {
    const again = await bootstrapInstallation(server.database.db, null);
    expect(again).toMatchObject({ created: false, organizationId: server.organizationId });
    const orgs = await server.database.db.selectFrom('organizations').select('id').execute();
    expect(orgs).toHaveLength(2);
  });

  it("shows a member of another organization nothing of this one's", async () => {
    const as = (path: string, init: RequestInit = {}) =>
      fetch(`${server.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${outsiderToken}`, 'Content-Type': 'application/json' } });
    const mine = await (await as('/v1/m/organizations')).json();
    expect(mine.items.map((o: { name: string }) => o.name)).toEqual(['Other organization']);

    const org = server.organizationId;
    const ds = server.demoDatasourceId;
    for (const path of [
      `/v1/m/organizations/${org}`,
      `/v1/m/organizations/${org}/datasources`,
      `/v1/m/organizations/${org}/experiments`,
      `/v1/m/organizations/${org}/webhooks`,
      `/v1/m/organizations/${org}/events`,
      `/v1/m/datasources/${ds}`,
      `/v1/m/datasources/${ds}/inspect`,
      `/v1/m/datasources/${ds}/apikeys`,
      `/v1/m/datasources/${ds}/participants`,
    ]) {
      const res = await as(path);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(await res.json()), path).not.toMatch(/participants|Demo/);
    }
    expect((await as(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).status).toBe(404);
    const keys = await server.database.db.selectFrom('api_keys').select('id').where('datasource_id', '=', ds).execute();
    expect(keys).toHaveLength(0);
  });
});
