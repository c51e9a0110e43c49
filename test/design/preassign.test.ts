/**
 * Preassigned designs end to end over HTTP on the demo warehouse (20,000 participants): stratified
 * assignment on strata and metrics, the stored balance check, per-assignment strata, exports (§1.9),
 * cluster designs, reproducibility by seed, and the §9 422s — on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const PREASSIGNED = {
  experiment_type: 'freq_preassigned',
  experiment_name: 'stratified',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2099-01-01T00:00:00Z',
  arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
  table_name: 'participants',
  primary_key: 'participant_id',
  strata: [{ field_name: 'gender' }, { field_name: 'channel' }, { field_name: 'age' }],
  metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
  desired_n: 1000,
};

interface Config {
  experiment_id: string;
  design_spec: Record<string, unknown>;
  assign_summary: { balance_check: { f_statistic: number; p_value: number; balance_ok: boolean; numerator_df: number } | null; sample_size: number; arm_sizes: { arm: { arm_id: string }; size: number; cluster_count: number | null }[] };
  assignment_progress: { status: string; written: number; total: number } | null;
}

describeEachDatabase('preassigned designs', (kind) => {
  let server: TestServer;
  const create = (body: unknown, query = '') =>
    server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments${query}`, { method: 'POST', body: JSON.stringify(body) });
  const experimentCount = async () => Number((await server.database.db.selectFrom('experiments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const assignmentCount = async () => Number((await server.database.db.selectFrom('assignments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
  });
  afterAll(async () => server?.close());

  it('assigns a stratified sample, stores the balance check and every stratification column per participant', async () => {
    const res = await create({ design_spec: PREASSIGNED }, '?random_state=42');
    expect(res.status).toBe(200);
    const config = (await res.json()) as Config;
    expect(config.assign_summary.sample_size).toBe(1000);
    expect(config.assign_summary.arm_sizes.map((a) => a.size)).toEqual([500, 500]);
    expect(config.assign_summary.arm_sizes.every((a) => a.cluster_count === null)).toBe(true);
    const balance = config.assign_summary.balance_check;
    expect(balance).not.toBeNull();
    expect(balance!.p_value).toBeGreaterThan(0);
    expect(balance!.balance_ok).toBe(balance!.p_value > 0.6);
    expect(config.assignment_progress).toMatchObject({ status: 'done', written: 1000, total: 1000 });
    expect(config.design_spec).toMatchObject({ strata: PREASSIGNED.strata, desired_n: 1000 });

    // Stored strata: design strata and the metric (stratify_on_metrics defaults to true), "NA" for NULL.
    const rows = await server.database.db.selectFrom('assignments').select(['participant_id', 'strata']).where('experiment_id', '=', config.experiment_id).execute();
    expect(rows).toHaveLength(1000);
    expect(rows[0]!.strata.map((s) => s.field_name)).toEqual(['age', 'channel', 'completed_course', 'gender']);
    expect(rows.some((r) => r.strata.some((s) => s.field_name === 'gender' && s.strata_value === 'NA'))).toBe(true);

    // Within each channel the arms are within one participant of each other (stratification, not luck).
    const arms = new Map((await server.database.db.selectFrom('assignments').select(['participant_id', 'arm_id']).where('experiment_id', '=', config.experiment_id).execute()).map((r) => [r.participant_id, r.arm_id]));
    const perStratum = new Map<string, number>();
    const first = config.assign_summary.arm_sizes[0]!.arm.arm_id;
    for (const r of rows) {
      const key = r.strata.filter((s) => s.field_name !== 'age').map((s) => s.strata_value).join('|');
      perStratum.set(key, (perStratum.get(key) ?? 0) + (arms.get(r.participant_id) === first ? 1 : -1));
    }
    // Age is binned, so strata of the other columns alone may differ by up to one per age bin (5 bins incl. NA).
    for (const diff of perStratum.values()) expect(Math.abs(diff)).toBeLessThanOrEqual(5);

    // Exports: only design strata, sorted; the balance check in the JSON wrapper.
    const json = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${config.experiment_id}/assignments/csv`)).text();
    const [header] = json.split('\n');
    expect(header).toBe('participant_id,arm_id,arm_name,created_at,age,channel,gender');
  });

  it('gives the same assignment for the same seed, and skips metrics with stratify_on_metrics=false', async () => {
    const a = (await (await create({ design_spec: PREASSIGNED }, '?random_state=7')).json()) as Config;
    const b = (await (await create({ design_spec: PREASSIGNED }, '?random_state=7&stratify_on_metrics=false')).json()) as Config;
    const c = (await (await create({ design_spec: PREASSIGNED }, '?random_state=7')).json()) as Config;
    const load = async (id: string) =>
      (await server.database.db.selectFrom('assignments as s').innerJoin('arms as a', 'a.id', 's.arm_id').select(['s.participant_id', 'a.position', 's.strata']).where('s.experiment_id', '=', id).orderBy('s.participant_id').execute());
    const [ra, rb, rc] = await Promise.all([load(a.experiment_id), load(b.experiment_id), load(c.experiment_id)]);
    expect(ra.map((r) => [r.participant_id, r.position])).toEqual(rc.map((r) => [r.participant_id, r.position]));
    expect(rb.map((r) => r.participant_id)).toEqual(ra.map((r) => r.participant_id)); // same sample
    expect(rb[0]!.strata.map((s) => s.field_name)).toEqual(['age', 'channel', 'gender']);
  });

  it('assigns whole clusters, counts clusters per arm and exports the cluster key', async () => {
    const { strata: _none, desired_n: _n, ...individual } = PREASSIGNED;
    const res = await create({ design_spec: { ...individual, experiment_name: 'clusters', cluster_key: 'age', desired_n_clusters: 20 } }, '?random_state=3');
    expect(res.status).toBe(200);
    const config = (await res.json()) as Config;
    expect(config.design_spec).toMatchObject({ cluster_key: 'age', desired_n_clusters: 20 });
    expect(config.assign_summary.arm_sizes.map((a) => a.cluster_count)).toEqual([10, 10]);
    const rows = await server.database.db.selectFrom('assignments').select(['cluster_key', 'arm_id']).where('experiment_id', '=', config.experiment_id).execute();
    expect(rows.length).toBe(config.assign_summary.sample_size);
    const armOfCluster = new Map<string | null, Set<string>>();
    for (const r of rows) armOfCluster.set(r.cluster_key, (armOfCluster.get(r.cluster_key) ?? new Set()).add(r.arm_id));
    expect(armOfCluster.size).toBe(20);
    expect(armOfCluster.has(null)).toBe(false); // excludes [null] on the cluster key is automatic
    for (const arms of armOfCluster.values()) expect(arms.size).toBe(1);

    const csv = await (await server.admin(`/v1/m/datasources/${server.demoDatasourceId}/experiments/${config.experiment_id}/assignments/csv`)).text();
    expect(csv.split('\n')[0]).toBe('participant_id,cluster_key,arm_id,arm_name,created_at');
    const line = csv.split('\n')[1]!.split(',');
    expect(Number(line[1])).toBeGreaterThanOrEqual(16);
  });

  it('answers the §9 preassignment 422s and leaves nothing behind', async () => {
    const before = [await experimentCount(), await assignmentCount()];
    const expect422 = async (body: unknown, loc: string, msg: RegExp) => {
      const res = await create(body);
      expect(res.status).toBe(422);
      const detail = (await res.json()).detail as { loc: (string | number)[]; msg: string }[];
      expect(detail).toContainEqual(expect.objectContaining({ loc: loc.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), msg: expect.stringMatching(msg) }));
    };
    await expect422({ design_spec: { ...PREASSIGNED, strata: [{ field_name: 'participant_id' }] } }, 'body.design_spec.strata.0.field_name', /primary key/);
    await expect422({ design_spec: { ...PREASSIGNED, strata: [{ field_name: 'shoe_size' }] } }, 'body.design_spec.strata.0.field_name', /does not exist/);
    await expect422({ design_spec: { ...PREASSIGNED, filters: [{ field_name: 'age', relation: 'includes', value: ['old'] }] } }, 'body.design_spec.filters.0.value.0', /./);
    await expect422({ design_spec: { ...PREASSIGNED, filters: [{ field_name: 'country', relation: 'includes', value: ['ZZ'] }] } }, 'body.design_spec.filters', /eligible participants/);
    await expect422({ design_spec: { ...PREASSIGNED, strata: [], primary_key: 'channel' } }, 'body.design_spec.primary_key', /Duplicate participant ID found after filtering: '(app|sms|whatsapp)'/);
    await expect422({ design_spec: { ...PREASSIGNED, strata: [], cluster_key: 'age' } }, 'body.design_spec.desired_n_clusters', /required/);
    await expect422({ design_spec: { ...PREASSIGNED, cluster_key: 'age', desired_n_clusters: 3 } }, 'body.design_spec.strata', /may not have strata/);
    await expect422({ design_spec: { ...PREASSIGNED, desired_n_clusters: 3 } }, 'body.design_spec.desired_n_clusters', /only allowed/);
    expect([await experimentCount(), await assignmentCount()]).toEqual(before);
  });
});
