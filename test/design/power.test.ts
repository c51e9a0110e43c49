/**
 * `POST /datasources/{id}/power` on the demo warehouse: the warehouse baselines and cluster shape are
 * checked against the same quantities computed here from the raw rows (mean, population sd, `estimateIcc`,
 * cluster sizes), then fed through `checkPower`; plus the §9 cases (unbalanced arms, desired_n,
 * sufficient vs insufficient, validations, ICC given or derived with NULL cluster keys) and 422 "power calc".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { estimateIcc } from '../../src/stats/icc.ts';
import { checkPower } from '../../src/stats/power.ts';
import type { WarehouseRow } from '../../src/warehouse/warehouse.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const SPEC = {
  experiment_type: 'freq_preassigned',
  experiment_name: 'power',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2099-01-01T00:00:00Z',
  arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
  table_name: 'participants',
  primary_key: 'participant_id',
  metrics: [
    { field_name: 'weekly_minutes', metric_pct_change: 0.05 },
    { field_name: 'completed_course', metric_target: 0.5 },
  ],
  filters: [{ field_name: 'channel', relation: 'includes', value: ['app', 'sms'] }],
  desired_n: 2000,
};

interface Analysis {
  metric_spec: Record<string, number | string | null>;
  target_n: number;
  sufficient_n: boolean;
  pct_change_with_desired_n: number | null;
  msg: { type: string; high_cluster_variation: boolean | null };
  clusters_per_arm: number[] | null;
  design_effect: number | null;
}

describeEachDatabase('power analysis', (kind) => {
  let server: TestServer;
  let rows: WarehouseRow[];
  const power = (body: unknown) => server.admin(`/v1/m/datasources/${server.demoDatasourceId}/power`, { method: 'POST', body: JSON.stringify(body) });
  const analyses = async (spec: unknown) => {
    const res = await power({ design_spec: spec });
    expect(res.status).toBe(200);
    return ((await res.json()) as { analyses: Analysis[] }).analyses;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
    const ds = await server.database.db.selectFrom('datasources').select('config').where('id', '=', server.demoDatasourceId).executeTakeFirstOrThrow();
    const w = await server.deps.openWarehouse(ds.config);
    rows = await w.sample({ table: 'participants', columns: ['participant_id', 'channel', 'age', 'weekly_minutes', 'completed_course'], filters: [], limit: 20_000 });
    await w.close();
  });
  afterAll(async () => server?.close());

  const eligible = () => rows.filter((r) => r['channel'] === 'app' || r['channel'] === 'sms');
  const moments = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { mean, sd: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
  };

  it('matches checkPower on baselines computed from the raw rows', async () => {
    const [minutes, completed] = await analyses(SPEC);
    const e = eligible();
    const m = moments(e.map((r) => r['weekly_minutes'] as number));
    const p = moments(e.map((r) => Number(r['completed_course'])));
    expect(minutes!.metric_spec).toMatchObject({ metric_type: 'numeric', available_n: e.length, available_nonnull_n: e.length });
    expect(minutes!.metric_spec['metric_baseline']).toBeCloseTo(m.mean, 9);
    expect(minutes!.metric_spec['metric_stddev']).toBeCloseTo(m.sd, 9);
    expect(completed!.metric_spec).toMatchObject({ metric_type: 'binary', metric_stddev: null });
    expect(completed!.metric_spec['metric_baseline']).toBeCloseTo(p.mean, 9);
    const expected = checkPower(
      [
        { field_name: 'weekly_minutes', metric_type: 'numeric', metric_baseline: m.mean, metric_stddev: m.sd, metric_pct_change: 0.05, available_n: e.length, available_nonnull_n: e.length },
        { field_name: 'completed_course', metric_type: 'binary', metric_baseline: p.mean, metric_target: 0.5, available_n: e.length, available_nonnull_n: e.length },
      ],
      { nArms: 2, desiredN: 2000, power: 0.8, alpha: 0.05 },
    );
    expect(minutes!.target_n).toBe(expected[0]!.target_n);
    expect(completed!.target_n).toBe(expected[1]!.target_n);
    expect(minutes!.pct_change_with_desired_n).toBeCloseTo(expected[0]!.pct_change_with_desired_n!, 9);
    expect(minutes!.sufficient_n).toBe(true);
  });

  it('needs more participants for unbalanced arms and reports insufficient n with the MDE', async () => {
    const [balanced] = await analyses(SPEC);
    const [unbalanced] = await analyses({ ...SPEC, arms: [{ arm_name: 'c', arm_weight: 80 }, { arm_name: 't', arm_weight: 20 }] });
    expect(unbalanced!.target_n).toBeGreaterThan(balanced!.target_n);
    const [tiny] = await analyses({ ...SPEC, metrics: [{ field_name: 'weekly_minutes', metric_pct_change: 0.001 }] });
    expect(tiny).toMatchObject({ sufficient_n: false, msg: { type: 'insufficient' } });
    const [noDesired] = await analyses({ ...SPEC, experiment_type: 'freq_online', desired_n: undefined });
    expect(noDesired!.pct_change_with_desired_n).toBeNull();
  });

  it('derives ICC, cluster size and CV from the warehouse (NULL cluster keys excluded), or takes them as given', async () => {
    const cluster = { ...SPEC, filters: [], desired_n: undefined, cluster_key: 'age', desired_n_clusters: 30, metrics: [{ field_name: 'weekly_minutes', metric_pct_change: 0.1 }] };
    const [derived] = await analyses(cluster);
    const usable = rows.filter((r) => r['age'] !== null);
    expect(usable.length).toBeLessThan(rows.length); // the demo has NULL ages
    const icc = estimateIcc(usable.map((r) => ({ cluster: r['age'] as number, outcome: r['weekly_minutes'] as number })));
    expect(derived!.metric_spec['icc']).toBeCloseTo(icc.icc, 9);
    const sizes = new Map<number, number>();
    for (const r of usable) sizes.set(r['age'] as number, (sizes.get(r['age'] as number) ?? 0) + 1);
    const s = [...sizes.values()];
    const mean = usable.length / s.length;
    const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1));
    expect(derived!.metric_spec['avg_cluster_size']).toBeCloseTo(mean, 9);
    expect(derived!.metric_spec['cv']).toBeCloseTo(sd / mean, 9);
    expect(derived!.metric_spec['available_n']).toBe(usable.length);
    expect(derived!.design_effect).toBeGreaterThan(1);
    expect(derived!.clusters_per_arm).toHaveLength(2);

    const [given] = await analyses({ ...cluster, metrics: [{ field_name: 'weekly_minutes', metric_pct_change: 0.1, icc: 0.05, avg_cluster_size: 20, cv: 0 }] });
    expect(given!.metric_spec).toMatchObject({ icc: 0.05, avg_cluster_size: 20, cv: 0 });
    expect(given!.design_effect).toBeCloseTo(1 + 0.05 * 19, 12);
  });

  it('answers validation problems with 422, all at once, and degenerate inputs as "power calc"', async () => {
    const res = await power({
      design_spec: {
        ...SPEC,
        metrics: [{ field_name: 'country', metric_pct_change: 0.1 }, { field_name: 'weekly_minutes', metric_pct_change: 0.1, icc: 0.1 }],
        filters: [{ field_name: 'age', relation: 'between', value: ['a', 'b'] }],
      },
    });
    expect(res.status).toBe(422);
    const locs = ((await res.json()).detail as { loc: (string | number)[] }[]).map((d) => d.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.design_spec.metrics.1.avg_cluster_size', 'body.design_spec.metrics.1.cv']));

    const late = await power({ design_spec: { ...SPEC, metrics: [{ field_name: 'country', metric_pct_change: 0.1 }], filters: [{ field_name: 'age', relation: 'between', value: ['a', 'b'] }] } });
    expect(late.status).toBe(422);
    const lateLocs = ((await late.json()).detail as { loc: (string | number)[] }[]).map((d) => d.loc.slice(0, 4).join('.'));
    expect(lateLocs).toEqual(expect.arrayContaining(['body.design_spec.metrics.0', 'body.design_spec.filters.0']));

    const noEffect = await power({ design_spec: { ...SPEC, metrics: [{ field_name: 'weekly_minutes' }] } });
    expect(noEffect.status).toBe(422);
    expect((await noEffect.json()).detail[0].msg).toMatch(/metric_pct_change or metric_target/);

    const degenerate = await power({ design_spec: { ...SPEC, filters: [], desired_n: undefined, cluster_key: 'channel', desired_n_clusters: 1, metrics: [{ field_name: 'weekly_minutes', metric_pct_change: 0.1, icc: 0.9, avg_cluster_size: 1000, cv: 3 }] } });
    expect(degenerate.status).toBe(422);
    expect((await degenerate.json()).detail[0]).toMatchObject({ type: 'power calc' });

    const apiOnly = await server.admin(`/v1/m/datasources/${server.apiOnlyDatasourceId}/power`, { method: 'POST', body: JSON.stringify({ design_spec: SPEC }) });
    expect(apiOnly.status).toBe(422);
  });

  it('stores power analyses passed on create and returns them with the experiment', async () => {
    const computed = await analyses(SPEC);
    const res = await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments?random_state=1`, { method: 'POST', body: JSON.stringify({ design_spec: SPEC, power_analyses: { analyses: computed } }) });
    expect(res.status).toBe(200);
    const config = await res.json();
    expect(config.power_analyses).toEqual({ analyses: computed });
    const again = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${config.experiment_id}`)).json();
    expect(again.config.power_analyses).toEqual({ analyses: computed });
  });
});
