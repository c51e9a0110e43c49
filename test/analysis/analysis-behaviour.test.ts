/**
 * What the analysis does at its edges, over HTTP on online experiments: no participants (422), participants
 * absent from the warehouse and NULL values counted as missing per arm and metric, arms without values
 * (null numbers, and a reason when the baseline has none), duplicate warehouse rows (422), and the
 * warnings: a sample-ratio mismatch or covariate imbalance raises one `experiment.warning`, delivered to
 * subscribed webhooks, not one per analysis; it is raised again only after it cleared.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { assignmentOf, createWarehouseDatasource, execute, writeTables, type Table, type WarehouseLocation } from './support.ts';

const N = 400;
/** score is NULL for every 7th participant; age is 20 + (i mod 50); plan alternates. */
function visits(transform?: (id: string, row: (string | number | boolean | null)[]) => (string | number | boolean | null)[]): Table {
  const rows = Array.from({ length: N }, (_, i) => {
    const id = `v${String(i).padStart(3, '0')}`;
    const row = [id, i % 7 === 0 ? null : 10 + ((i * 37) % 11) / 2, i % 3 === 0, 20 + (i % 50), i % 2 ? 'basic' : 'pro'];
    return transform ? transform(id, row) : row;
  });
  return {
    name: 'visits',
    columns: [
      { name: 'id', type: 'VARCHAR' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'converted', type: 'BOOLEAN' },
      { name: 'age', type: 'INTEGER' },
      { name: 'plan', type: 'VARCHAR' },
    ],
    rows,
  };
}

interface Analysis {
  num_participants: number;
  num_missing_participants: number;
  metric_analyses: {
    metric_name: string;
    error: string | null;
    arm_analyses: { arm_id: string; estimate: number | null; std_error: number | null; p_value: number | null; num_missing_values: number; num_observations: number; is_baseline: boolean }[];
  }[];
  sample_ratio_mismatch: { observed: number[]; mismatch: boolean; p_value: number };
  balance_check: { imbalance: boolean; p_value: number; fields: string[] } | null;
  warnings: { warning: string; message: string }[];
}

describeEachDatabase('analysis edge cases and warnings', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let location: WarehouseLocation;
  let ds: string;
  let key: string;

  const online = (name: string, extra: Record<string, unknown> = {}) => ({
    experiment_type: 'freq_online',
    experiment_name: name,
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2099-01-01T00:00:00Z',
    arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
    table_name: 'visits',
    primary_key: 'id',
    metrics: [{ field_name: 'score' }, { field_name: 'converted' }],
    covariates: [{ field_name: 'age' }],
    ...extra,
  });
  async function committed(design: Record<string, unknown>) {
    const res = await server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) });
    expect(res.status, await res.clone().text()).toBe(200);
    const config = (await res.json()) as { experiment_id: string; design_spec: { arms: { arm_id: string }[] } };
    expect((await server.admin(`/v1/m/datasources/${ds}/experiments/${config.experiment_id}/commit`, { method: 'POST' })).status).toBe(204);
    return config;
  }
  async function assign(experimentId: string, ids: readonly string[]) {
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map(async (pid) => {
          const res = await fetch(`${server.baseUrl}/v1/experiments/${experimentId}/assignments/${pid}`, { headers: { 'X-API-Key': key } });
          expect(res.status).toBe(200);
        }),
      );
    }
  }
  const analyze = (experimentId: string, query = '') => server.admin(`/v1/m/datasources/${ds}/experiments/${experimentId}/analyze${query}`);
  const warningEvents = async (experimentId: string) => {
    const rows = await server.database.db.selectFrom('events').select(['data']).where('type', '=', 'experiment.warning').execute();
    return rows.map((r) => r.data as { experiment_id: string; warning: string }).filter((d) => d.experiment_id === experimentId);
  };
  const ids = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${String(from + i).padStart(3, '0')}`);

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startWebhookReceiver();
    ({ location, datasourceId: ds } = await createWarehouseDatasource(server, 'duckdb', [visits()]));
    key = ((await (await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({ rate_limit_per_second: 5000 }) })).json()) as { key: string }).key;
    const hook = await server.admin(`/v1/m/organizations/${server.organizationId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'analysts', url: receiver.url, event_types: ['experiment.warning'] }),
    });
    expect(hook.status, await hook.clone().text()).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('checks design covariates against the table: existing, pre-treatment, not repeated', async () => {
    const create = (covariates: unknown) => server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: online('covariates', { covariates }) }) });
    const bad = await create([{ field_name: 'score' }, { field_name: 'nope' }, { field_name: 'id' }]);
    expect(bad.status).toBe(422);
    const issues = ((await bad.json()) as { detail: { loc: unknown[]; msg: string }[] }).detail;
    expect(issues.map((i) => i.loc)).toEqual([
      ['body', 'design_spec', 'covariates', 0, 'field_name'],
      ['body', 'design_spec', 'covariates', 1, 'field_name'],
      ['body', 'design_spec', 'covariates', 2, 'field_name'],
    ]);
    expect(issues.map((i) => i.msg)).toEqual([
      "'score' is a metric; a covariate must be measured before assignment",
      "column 'nope' does not exist in table 'visits'",
      'the primary key cannot be a covariate',
    ]);
    const repeated = await create([{ field_name: 'age' }, { field_name: 'age' }]);
    expect(repeated.status).toBe(422);
    expect(((await repeated.json()) as { detail: { loc: unknown[] }[] }).detail[0]!.loc).toEqual(['body', 'design_spec', 'covariates']);
    // Accepted ones read back exactly as given.
    const ok = await create([{ field_name: 'plan' }, { field_name: 'age' }]);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { design_spec: { covariates: unknown } }).design_spec.covariates).toEqual([{ field_name: 'plan' }, { field_name: 'age' }]);
  });

  it('answers 422 without participants, then counts absent participants and NULLs as missing values', async () => {
    const exp = await committed(online('missing values'));
    const empty = await analyze(exp.experiment_id);
    expect(empty.status).toBe(422);
    expect(await empty.json()).toEqual({ detail: [{ loc: [0], msg: 'No participants found for experiment.', type: 'analysis' }] });

    // 60 participants in the warehouse (some with a NULL score) and 10 it has never heard of.
    await assign(exp.experiment_id, [...ids('v', 0, 60), ...ids('x', 0, 10)]);
    const res = await analyze(exp.experiment_id);
    expect(res.status).toBe(200);
    const a = (await res.json()) as Analysis;
    expect(a).toMatchObject({ num_participants: 70, num_missing_participants: 10 });
    const arms = await assignmentOf(server, ds, exp);
    const [score, converted] = a.metric_analyses;
    for (const [j, row] of score!.arm_analyses.entries()) {
      const mine = Object.entries(arms).filter(([, arm]) => arm === j).map(([pid]) => pid);
      const absent = mine.filter((p) => p.startsWith('x')).length;
      const nullScore = mine.filter((p) => p.startsWith('v') && Number(p.slice(1)) % 7 === 0).length;
      expect(row.num_missing_values).toBe(absent + nullScore);
      expect(row.num_observations).toBe(mine.length - absent - nullScore);
      expect(converted!.arm_analyses[j]!.num_missing_values).toBe(absent);
    }
    expect(score!.arm_analyses.every((r) => typeof r.std_error === 'number' && r.std_error > 0)).toBe(true);
  });

  it('gives null numbers for arms without values, and says why when the baseline has none', async () => {
    const exp = await committed(online('empty arms', { metrics: [{ field_name: 'score' }] }));
    await assign(exp.experiment_id, ids('v', 100, 160));
    const arms = await assignmentOf(server, ds, exp);
    // Only the control arm's participants have a score.
    await writeTables(location, [visits((id, row) => (arms[id] === 1 ? [row[0]!, null, ...row.slice(2)] : row))]);
    try {
      const a = (await (await analyze(exp.experiment_id)).json()) as Analysis;
      const [control, treatment] = a.metric_analyses[0]!.arm_analyses;
      expect(control!.estimate).not.toBeNull();
      expect(treatment).toMatchObject({ estimate: null, std_error: null, p_value: null, num_observations: 0 });
      expect(treatment!.num_missing_values).toBe(Object.values(arms).filter((x) => x === 1).length);
      const flipped = (await (await analyze(exp.experiment_id, `?baseline_arm_id=${exp.design_spec.arms[1]!.arm_id}`)).json()) as Analysis;
      expect(flipped.metric_analyses[0]!.error).toMatch(/baseline arm 'treatment' has no values/);
      expect(flipped.metric_analyses[0]!.arm_analyses.every((r) => r.estimate === null)).toBe(true);
    } finally {
      await writeTables(location, [visits()]);
    }
  });

  // Bandits are analysed by their own module through the same route: test/bandits/analysis-dispatch.test.ts.
  it('refuses warehouse tables with duplicate participant rows with a clear 422', async () => {
    await execute(location, `CREATE TABLE dupes AS SELECT * FROM visits UNION ALL SELECT * FROM visits WHERE id = 'v001'`);
    const exp = await committed(online('dupes', { table_name: 'dupes', covariates: [] }));
    await assign(exp.experiment_id, ['v000', 'v001', 'v002']);
    const dup = await analyze(exp.experiment_id);
    expect(dup.status).toBe(422);
    expect(((await dup.json()) as { detail: { msg: string }[] }).detail[0]!.msg).toBe(
      "Participant ID 'v001' appears more than once in table 'dupes'; the analysis needs one row per participant.",
    );
  });

  it('raises one sample_ratio_mismatch warning per finding, delivered to subscribed webhooks', async () => {
    // No covariates: the rows dropped below are a block of ids, which could also unbalance a covariate by chance.
    const exp = await committed(online('srm', { covariates: [] }));
    await assign(exp.experiment_id, ids('v', 0, N));
    const balanced = (await (await analyze(exp.experiment_id)).json()) as Analysis;
    expect(balanced.sample_ratio_mismatch.mismatch).toBe(false);
    expect(await warningEvents(exp.experiment_id)).toEqual([]);

    // Lose 60 % of the control arm's rows (a broken pipeline), then analyse three times.
    const control = exp.design_spec.arms[0]!.arm_id;
    const treatment = exp.design_spec.arms[1]!.arm_id;
    const dropSome = async (armId: string, fraction: number) => {
      const rows = await server.database.db.selectFrom('assignments').select('participant_id').where('experiment_id', '=', exp.experiment_id).where('arm_id', '=', armId).orderBy('participant_id').execute();
      const drop = rows.slice(0, Math.round(rows.length * fraction)).map((r) => r.participant_id);
      await server.database.db.deleteFrom('assignments').where('experiment_id', '=', exp.experiment_id).where('participant_id', 'in', drop).execute();
    };
    await dropSome(control, 0.6);
    for (let i = 0; i < 3; i++) {
      const a = (await (await analyze(exp.experiment_id)).json()) as Analysis;
      expect(a.sample_ratio_mismatch.mismatch).toBe(true);
      expect(a.warnings.map((w) => w.warning)).toEqual(['sample_ratio_mismatch']);
    }
    expect((await warningEvents(exp.experiment_id)).map((e) => e.warning)).toEqual(['sample_ratio_mismatch']);
    await receiver.waitFor(1);
    const delivered = receiver.requests.map((r) => JSON.parse(r.body) as { type: string; data: { experiment_id: string; warning: string; message: string; details: { observed: number[] } } });
    const mine = delivered.filter((d) => d.data.experiment_id === exp.experiment_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: 'experiment.warning', data: { warning: 'sample_ratio_mismatch' } });
    expect(mine[0]!.data.message).toMatch(/Sample ratio mismatch/);
    const recent = (await (await server.admin(`/v1/m/organizations/${server.organizationId}/events?type=experiment.warning`)).json()) as { items: { summary: string; status_icon: string }[] };
    expect(recent.items).toContainEqual(expect.objectContaining({ summary: `Analysis warning (sample ratio mismatch): experiment ${exp.experiment_id}`, status_icon: 'failure' }));

    // Rebalanced, the finding clears (no event); when the mismatch comes back it is news again.
    await dropSome(treatment, 0.6);
    const cleared = (await (await analyze(exp.experiment_id)).json()) as Analysis;
    expect(cleared.sample_ratio_mismatch.p_value).toBeGreaterThan(0.01);
    expect(await warningEvents(exp.experiment_id)).toHaveLength(1);
    await dropSome(control, 0.7);
    await analyze(exp.experiment_id);
    expect(await warningEvents(exp.experiment_id)).toHaveLength(2);
  });

  it('raises an imbalance warning when the arms differ in a pre-treatment column', async () => {
    const exp = await committed(online('imbalance', { metrics: [{ field_name: 'converted' }] }));
    await assign(exp.experiment_id, ids('v', 0, N));
    const fair = (await (await analyze(exp.experiment_id)).json()) as Analysis;
    expect(fair.balance_check).toMatchObject({ fields: ['age'], imbalance: false });
    const arms = await assignmentOf(server, ds, exp);
    await writeTables(location, [visits((id, row) => (arms[id] === 1 ? [...row.slice(0, 3), (row[3] as number) + 15, row[4]!] : row))]);
    try {
      for (let i = 0; i < 2; i++) {
        const a = (await (await analyze(exp.experiment_id)).json()) as Analysis;
        expect(a.balance_check?.imbalance).toBe(true);
        expect(a.warnings.map((w) => w.warning)).toEqual(['imbalance']);
      }
      expect((await warningEvents(exp.experiment_id)).map((e) => e.warning)).toEqual(['imbalance']);
    } finally {
      await writeTables(location, [visits()]);
    }
  });
});
