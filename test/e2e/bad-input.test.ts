/**
 * Bad requests get the reference's documented status codes and bodies, naming the field and the problem.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ONLINE = onlineDesign({ experiment_name: 'errors' });

describeEachDatabase('bad input', (kind) => {
  let server: TestServer;
  let key: string;
  let otherKey: string;
  let experimentId: string;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${path}`, { headers });
  const createExperiment = (body: unknown, raw = false) =>
    server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments`, { method: 'POST', body: raw ? (body as string) : JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
    key = (await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/apikeys`, { method: 'POST' })).json()).key;
    otherKey = (await (await server.admin(`/v1/m/datasources/${server.apiOnlyDatasourceId}/apikeys`, { method: 'POST' })).json()).key;
    experimentId = (await (await createExperiment({ design_spec: ONLINE })).json()).experiment_id;
  });
  afterAll(async () => server?.close());

  it('answers API-key problems as the reference does', async () => {
    const missing = await get(`/v1/experiments/${experimentId}`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: 'X-API-Key request header is required.' });

    const malformed = await get(`/v1/experiments/${experimentId}`, { 'X-API-Key': 'secret' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).message).toMatch(/must start with `xat`/);

    const unknown = await get(`/v1/experiments/${experimentId}`, { 'X-API-Key': 'xat_abcdef_0123456789abcdef0123456789abcdef' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'Experiment not found or not authorized.' });

    const otherDatasource = await get(`/v1/experiments/${experimentId}`, { 'X-API-Key': otherKey });
    expect(otherDatasource.status).toBe(404);
    expect(await otherDatasource.json()).toEqual({ detail: 'Experiment not found or not authorized.' });

    const wrongHeader = await get(`/v1/experiments/${experimentId}`, { 'X-API-Key': key, 'Datasource-ID': server.apiOnlyDatasourceId });
    expect(wrongHeader.status).toBe(403);
    expect(await wrongHeader.json()).toEqual({ message: 'X-API-Key is invalid or does not have access to this resource.' });
  });

  it('answers list problems: missing Datasource-ID, unknown datasource, key of another datasource', async () => {
    const noHeader = await get('/v1/experiments', { 'X-API-Key': key });
    expect(noHeader.status).toBe(422);
    expect(await noHeader.json()).toEqual({ detail: [{ loc: ['header', 'Datasource-ID'], msg: 'Field required', type: 'missing' }] });

    const unknownDs = await get('/v1/experiments', { 'X-API-Key': key, 'Datasource-ID': 'ds_doesnotexist0000' });
    expect(unknownDs.status).toBe(404);
    expect(await unknownDs.json()).toEqual({ message: 'Datasource not found.' });

    const foreign = await get('/v1/experiments', { 'X-API-Key': otherKey, 'Datasource-ID': server.demoDatasourceId });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ message: 'X-API-Key is invalid or does not have access to this resource.' });

    expect((await get('/v1/experiments', { 'X-API-Key': 'xata', 'Datasource-ID': server.demoDatasourceId })).status).toBe(403);
  });

  it('answers unknown experiments and bad query values', async () => {
    const res = await get('/v1/experiments/exp_doesnotexist00000', { 'X-API-Key': key });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Experiment not found or not authorized.' });

    const maxAge = await get(`/v1/experiments/${experimentId}/assignments/x?max_age=-1`, { 'X-API-Key': key });
    expect(maxAge.status).toBe(422);
    expect((await maxAge.json()).detail[0].loc).toEqual(['query', 'max_age']);
  });

  it('rejects malformed bodies, unknown fields and missing fields with the field named', async () => {
    const malformed = await createExperiment('{"design_spec": ', true);
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).detail[0].type).toBe('json_invalid');

    const extra = await createExperiment({ design_spec: { ...ONLINE, colour: 'blue' } });
    expect(extra.status).toBe(422);
    expect((await extra.json()).detail).toContainEqual(expect.objectContaining({ loc: ['body', 'design_spec', 'colour'], type: 'extra_forbidden' }));

    const { primary_key: _omit, ...noPrimaryKey } = ONLINE;
    const missing = await createExperiment({ design_spec: noPrimaryKey });
    expect(missing.status).toBe(422);
    expect((await missing.json()).detail).toContainEqual(expect.objectContaining({ loc: ['body', 'design_spec', 'primary_key'], type: 'missing' }));
  });

  it('lists every design problem at once, each with its JSON path', async () => {
    const res = await createExperiment({
      design_spec: {
        ...ONLINE,
        arms: [{ arm_name: 'a', arm_weight: 50 }, { arm_name: 'b', arm_weight: 40 }],
        end_date: '2025-01-01T00:00:00Z',
      },
    });
    expect(res.status).toBe(422);
    const locs = (await res.json()).detail.map((d: { loc: unknown[] }) => d.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.design_spec.arms', 'body.design_spec.end_date']));

    const columns = await createExperiment({
      design_spec: { ...ONLINE, metrics: [{ field_name: 'country' }], strata: [{ field_name: 'no_such_column' }] },
    });
    expect(columns.status).toBe(422);
    const detail = (await columns.json()).detail;
    expect(detail).toContainEqual(expect.objectContaining({ loc: ['body', 'design_spec', 'metrics', 0, 'field_name'] }));
    expect(detail).toContainEqual(expect.objectContaining({ loc: ['body', 'design_spec', 'strata', 0, 'field_name'] }));

    const badFilter = await createExperiment({ design_spec: { ...ONLINE, filters: [{ field_name: 'age', relation: 'between', value: ['old', 'older'] }] } });
    expect(badFilter.status).toBe(422);
    expect((await badFilter.json()).detail[0].loc.slice(0, 4)).toEqual(['body', 'design_spec', 'filters', 0]);

    const unknownWebhook = await createExperiment({ design_spec: ONLINE, webhooks: ['wh_nope'] });
    expect(unknownWebhook.status).toBe(400);
    expect(await unknownWebhook.json()).toEqual({ detail: "Invalid webhook IDs: ['wh_nope']" });

    const empty = await createExperiment({
      design_spec: { ...ONLINE, experiment_type: 'freq_preassigned', desired_n: 10, filters: [{ field_name: 'country', relation: 'includes', value: ['ZZ'] }] },
    });
    expect(empty.status).toBe(422);
    expect((await empty.json()).detail[0].msg).toMatch(/eligible participants/);
    const count = await server.database.db.selectFrom('experiments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    expect(Number(count?.n)).toBe(1); // nothing half-written by the failed creates
  });

  it('guards the admin API', async () => {
    const none = await get(`/v1/m/organizations`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ detail: 'Authorization header is required.' });
    const bad = await get(`/v1/m/organizations`, { Authorization: 'Bearer xa_nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ detail: 'Session token invalid or expired.' });
    const token = await server.admin(`/v1/m/organizations/${server.organizationId}/events?page_token=garbage`);
    expect(token.status).toBe(400);
    expect(await token.json()).toEqual({ detail: 'Invalid page_token.' });
    const hook = await server.admin(`/v1/m/organizations/${server.organizationId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'x', url: 'ftp://example.com/x' }),
    });
    expect(hook.status).toBe(422);
    expect((await hook.json()).detail[0].loc).toEqual(['body', 'url']);
  });
});
