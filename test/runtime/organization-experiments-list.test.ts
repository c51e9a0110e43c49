/**
 * `GET /v1/m/organizations/{org}/experiments` on both app databases: the reference's unpaged answer when no
 * query is given, filters (state, type, datasource, name and description search) combined, cursor paging
 * across equal timestamps with no duplicates or gaps, organization isolation and bad input.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { cmabDesign, dwhDesign, mabDesign } from '../bandits/support.ts';
import { accountsFixture, type AccountsFixture, type Caller } from '../accounts/support.ts';

interface ListAnswer {
  items: { experiment_id: string; datasource_id: string; state: string; design_spec: { experiment_name: string; experiment_type: string } }[];
  next_page_token: string;
  total: number;
}

describeEachDatabase('organization experiments list', (kind) => {
  let f: AccountsFixture;
  let org: string;
  let demoDs: string;
  let apiOnlyDs: string;
  /** Name → id of what the suite made in the demo organization. */
  const made = new Map<string, string>();
  /** Every listed (draft or committed) experiment of the demo organization, newest first. */
  let listedNewestFirst: string[] = [];
  let outsider: { organizationId: string; call: Caller; datasourceId: string; experimentId: string };

  async function create(call: Caller, ds: string, design: Record<string, unknown>, then?: 'commit' | 'abandon'): Promise<string> {
    const res = await call(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', json: { design_spec: design } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const id = body.experiment_id as string;
    if (then) expect((await call(`/v1/m/datasources/${ds}/experiments/${id}/${then}`, { method: 'POST' })).status).toBe(204);
    return id;
  }

  const list = async (query = '', call: Caller = f.admin, organizationId = org): Promise<ListAnswer> => {
    const res = await call(`/v1/m/organizations/${organizationId}/experiments${query ? `?${query}` : ''}`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body as ListAnswer;
  };
  const names = (page: ListAnswer) => page.items.map((e) => e.design_spec.experiment_name);

  beforeAll(async () => {
    f = await accountsFixture(kind);
    org = f.server.organizationId;
    demoDs = f.server.demoDatasourceId;
    apiOnlyDs = f.server.apiOnlyDatasourceId;
    // Oldest first; the list answers newest first.
    const plan: [string, string, Record<string, unknown>, ('commit' | 'abandon')?][] = [
      ['Weekly reminder', demoDs, onlineDesign({ description: 'SMS nudges on Mondays' }), 'commit'],
      ['Course nudge', demoDs, onlineDesign({ description: 'A weekly REMINDER by email' })],
      ['Abandoned idea', demoDs, onlineDesign({ description: 'never ran' }), 'abandon'],
      ['Bandit 50%_off', apiOnlyDs, mabDesign(), 'commit'],
      ['Contextual offer', apiOnlyDs, cmabDesign()],
      ['Warehouse bandit', demoDs, dwhDesign(), 'commit'],
    ];
    for (let i = 0; i < 7; i++) plan.push([`Filler ${i}`, demoDs, onlineDesign(), i % 2 === 0 ? 'commit' : undefined]);
    for (const [name, ds, design, then] of plan) made.set(name, await create(f.admin, ds, { ...design, experiment_name: name }, then));
    listedNewestFirst = plan
      .filter(([, , , then]) => then !== 'abandon')
      .map(([name]) => made.get(name)!)
      .reverse();

    const user = await f.newUser('other-org@example.org', 'Other organization');
    const ds = await f.server.database.db.selectFrom('datasources').select('id').where('organization_id', '=', user.organizationId).executeTakeFirstOrThrow();
    const experimentId = await create(user.call, ds.id, mabDesign({ experiment_name: 'Weekly reminder elsewhere' }), 'commit');
    outsider = { organizationId: user.organizationId, call: user.call, datasourceId: ds.id, experimentId };
  });
  afterAll(async () => f?.close());

  it('answers as the reference with no query: every draft and committed experiment, newest first, abandoned left out', async () => {
    const all = await list();
    expect(all.items.map((e) => e.experiment_id)).toEqual(listedNewestFirst);
    expect(all).toMatchObject({ next_page_token: '', total: 12 });
    expect(new Set(all.items.map((e) => e.state))).toEqual(new Set(['assigned', 'committed']));
    // Bandits come in the same list with their own summary: draws per arm, no balance check.
    const bandit = all.items.find((e) => e.experiment_id === made.get('Bandit 50%_off'))!;
    expect(bandit).toMatchObject({ datasource_id: apiOnlyDs, design_spec: { experiment_type: 'mab_online' }, assign_summary: { sample_size: 0, balance_check: null } });
  });

  it('combines filters: state, type (one or several), datasource and search', async () => {
    const drafts = await list('state=assigned&experiment_type=freq_online');
    expect(names(drafts)).toEqual(['Filler 5', 'Filler 3', 'Filler 1', 'Course nudge']);
    expect(drafts.total).toBe(4);

    const committedBandits = await list('state=committed&experiment_type=mab_online&experiment_type=mab_online_dwh');
    expect(names(committedBandits)).toEqual(['Warehouse bandit', 'Bandit 50%_off']);

    expect(names(await list('state=abandoned'))).toEqual(['Abandoned idea']);
    expect((await list('state=abandoned&state=assigned&state=committed')).total).toBe(13);
    expect(names(await list(`datasource_id=${apiOnlyDs}`))).toEqual(['Contextual offer', 'Bandit 50%_off']);
    expect(names(await list(`datasource_id=${apiOnlyDs}&experiment_type=cmab_online&state=assigned`))).toEqual(['Contextual offer']);
    expect((await list('experiment_type=freq_preassigned')).items).toEqual([]);
  });

  it('searches name and description case-insensitively; name_contains only the name; % and _ match themselves', async () => {
    const reminder = await list('search=reminder');
    expect(names(reminder)).toEqual(['Course nudge', 'Weekly reminder']);
    expect(reminder.total).toBe(2);
    expect(names(await list('name_contains=REMINDER'))).toEqual(['Weekly reminder']);
    expect(names(await list('search=reminder&state=committed'))).toEqual(['Weekly reminder']);
    expect(names(await list(`search=${encodeURIComponent('50%_')}`))).toEqual(['Bandit 50%_off']);
    expect(names(await list(`search=${encodeURIComponent('%')}`))).toEqual(['Bandit 50%_off']);
    expect(names(await list('search=_'))).toEqual(['Bandit 50%_off']);
    expect(await list(`search=${encodeURIComponent('50_%')}`)).toMatchObject({ items: [], total: 0 });
    expect(await list(`search=${encodeURIComponent('\\')}`)).toMatchObject({ items: [], total: 0 });
  });

  it('pages forward with no duplicates or gaps, also across rows created in the same microsecond', async () => {
    // Four experiments at one instant, straddling the page boundaries below: only the id orders them.
    const tied = ['Filler 2', 'Filler 3', 'Filler 4', 'Filler 5'].map((n) => made.get(n)!);
    await sql`UPDATE experiments SET created_at = timestamptz '2026-03-01 00:00:00.123456+00' WHERE id IN (${sql.join(tied)})`.execute(f.server.database.db);
    const expected = (await list()).items.map((e) => e.experiment_id);
    expect(expected).toHaveLength(12);

    for (const size of [1, 3, 5]) {
      const seen: string[] = [];
      let token = '';
      for (let pages = 0; pages < 20; pages++) {
        const page = await list(`page_size=${size}${token ? `&page_token=${token}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(size);
        expect(page.total).toBe(12);
        seen.push(...page.items.map((e) => e.experiment_id));
        token = page.next_page_token;
        if (!token) break;
      }
      expect(seen, `page_size=${size}`).toEqual(expected);
    }

    const filtered = await list('page_size=2&state=committed');
    expect(filtered.items).toHaveLength(2);
    const rest = await list(`page_size=10&state=committed&page_token=${filtered.next_page_token}`);
    expect(rest.next_page_token).toBe('');
    expect([...filtered.items, ...rest.items].map((e) => e.experiment_id)).toEqual((await list('state=committed')).items.map((e) => e.experiment_id));
    expect(filtered.total).toBe(7);
    expect((await list('page_size=2&skip=11')).items.map((e) => e.experiment_id)).toEqual(expected.slice(11));
  });

  it("keeps organizations apart: another organization's experiments and datasources never show", async () => {
    const mine = await list();
    expect(mine.items.map((e) => e.experiment_id)).not.toContain(outsider.experimentId);
    expect(await list(`datasource_id=${outsider.datasourceId}`)).toMatchObject({ items: [], total: 0 });
    expect(await list('search=elsewhere')).toMatchObject({ items: [], total: 0 });

    const theirs = await list('', outsider.call, outsider.organizationId);
    expect(theirs.items.map((e) => e.experiment_id)).toEqual([outsider.experimentId]);
    expect(theirs.total).toBe(1);
    const res = await outsider.call(`/v1/m/organizations/${org}/experiments?page_size=5&state=committed`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toMatch(/reminder|Bandit/i);
  });

  it('answers bad input with 422 naming the field, and a bad page_token with 400', async () => {
    const bad = async (query: string) => {
      const res = await f.admin(`/v1/m/organizations/${org}/experiments?${query}`);
      expect(res.status, query).toBe(422);
      return ((await res.json()) as { detail: { loc: (string | number)[]; msg: string }[] }).detail;
    };
    expect((await bad('page_size=0'))[0]!.loc).toEqual(['query', 'page_size']);
    expect((await bad('page_size=101'))[0]!.loc).toEqual(['query', 'page_size']);
    expect((await bad('page_size=ten'))[0]!.loc).toEqual(['query', 'page_size']);
    expect((await bad('skip=-1'))[0]!.loc).toEqual(['query', 'skip']);
    const state = (await bad('state=committed&state=running'))[0]!;
    expect(state.loc).toEqual(['query', 'state', 1]);
    expect(state.msg).toMatch(/abandoned/);
    const type = (await bad('experiment_type=bandit'))[0]!;
    expect(type.loc).toEqual(['query', 'experiment_type', 0]);
    expect(type.msg).toMatch(/cmab_online/);
    expect((await bad(`search=${'x'.repeat(101)}`))[0]!.loc).toEqual(['query', 'search']);
    expect((await bad(`name_contains=${'x'.repeat(101)}`))[0]!.loc).toEqual(['query', 'name_contains']);

    const token = await f.admin(`/v1/m/organizations/${org}/experiments?page_size=2&page_token=garbage`);
    expect(token.status).toBe(400);
    expect(await token.json()).toEqual({ detail: 'Invalid page_token.' });
  });

  it('documents the query in OpenAPI', async () => {
    const doc = await (await f.app.request('/openapi.json')).json();
    const op = doc.paths['/v1/m/organizations/{organization_id}/experiments'].get;
    const params = Object.fromEntries(op.parameters.map((p: { name: string; in: string; schema: unknown }) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual(['datasource_id', 'experiment_type', 'name_contains', 'organization_id', 'page_size', 'page_token', 'search', 'skip', 'state']);
    expect(JSON.stringify(params.state.schema)).toContain('abandoned');
    expect(JSON.stringify(params.experiment_type.schema)).toContain('mab_online_dwh');
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties ?? {})).toEqual(expect.arrayContaining(['items', 'next_page_token', 'total']));
  });
});
