/**
 * Designing bandit experiments over HTTP, on both app databases: the three types, priors given or derived
 * from weights, contexts, MAB-DWH target binding against the live warehouse, the design read back, and every
 * rejected design answered 422 at the field that is wrong.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { betaPriorsFromWeights, normalPriorsFromWeights } from '../../src/stats/bandits/weights-to-prior.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startRuntimeHarness, type RuntimeHarness } from '../runtime/support.ts';
import { apiOnlyKey, banditPath, cmabDesign, createBandit, dwhDesign, mabDesign } from './support.ts';

describeEachDatabase('bandit designs', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  beforeAll(async () => {
    h = await startRuntimeHarness(kind);
    key = await apiOnlyKey(h);
  });
  afterAll(async () => h?.server.close());

  const create = (design: Record<string, unknown>, ds = h.server.apiOnlyDatasourceId) =>
    h.server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) });
  const issues = async (res: Response) => {
    expect(res.status).toBe(422);
    return ((await res.json()).detail as { loc: (string | number)[]; msg: string }[]).map((d) => `${d.loc.join('.')}: ${d.msg}`);
  };

  it('creates a MAB on the API-only datasource, posterior = prior, and reads it back through both APIs', async () => {
    const { id, armIds, config } = await createBandit(h, mabDesign({ arms: [{ arm_name: 'a', alpha_init: 2, beta_init: 3 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }] }), { commit: false });
    expect(config.state).toBe('assigned');
    expect(config.design_spec).toMatchObject({ experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary', contexts: null, enable_autofail: false, autofail_window: 24, autofail_outcome_value: 0 });
    expect(config.design_spec.arms[0]).toMatchObject({ arm_id: armIds[0], alpha_init: 2, beta_init: 3, alpha: 2, beta: 3, mu: null, covariance: null, n_outcomes: 0 });
    expect(config.assign_summary).toEqual({
      balance_check: null,
      sample_size: 0,
      arm_sizes: armIds.map((arm_id, i) => ({ arm: { arm_id, arm_name: ['a', 'b'][i] }, size: 0, cluster_count: null })),
    });
    const admin = await (await h.server.admin(banditPath(h, id))).json();
    expect(admin.experiment_schema).toBeNull();
    expect(admin.config).toEqual(config);
    const pub = await (await h.pub(`/v1/experiments/${id}`, { key })).json();
    expect(pub).toEqual(config);
  });

  it('derives priors from arm weights: Beta exactly α ∝ weight, Normal by matching P(best)', async () => {
    const beta = await createBandit(h, mabDesign({ arms: [{ arm_name: 'a', arm_weight: 25 }, { arm_name: 'b', arm_weight: 75 }] }), { commit: false });
    const expected = betaPriorsFromWeights([25, 75]);
    expect(beta.config.design_spec.arms.map((a) => [a.alpha_init, a.beta_init, a.arm_weight])).toEqual(expected.map((p, i) => [p.alpha, p.beta, [25, 75][i]]));
    const normal = await createBandit(
      h,
      cmabDesign({ arms: [{ arm_name: 'a', arm_weight: 20 }, { arm_name: 'b', arm_weight: 30 }, { arm_name: 'c', arm_weight: 50 }] }),
      { commit: false },
    );
    const means = normalPriorsFromWeights([20, 30, 50], 2).map((p) => p.mean);
    expect(normal.config.design_spec.arms.map((a) => a.mu)).toEqual(means);
    expect(normal.config.design_spec.arms.map((a) => [a.mu_init, a.sigma_init])).toEqual(means.map((m) => [m[0], 1]));
    expect(normal.config.design_spec.arms[0]?.covariance).toEqual([[1, 0], [0, 1]]);
  });

  it('gives contexts ids, and Normal arms a prior per coefficient with sigma_init as a standard deviation', async () => {
    const { config } = await createBandit(h, cmabDesign({ arms: [{ arm_name: 'a', mu_init: 0.5, sigma_init: 2 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }), { commit: false });
    const contexts = config.design_spec.contexts ?? [];
    expect(contexts.map((c) => c.context_id)).toEqual([expect.stringMatching(/^ctx_[0-9A-Za-z]{16}$/), expect.stringMatching(/^ctx_[0-9A-Za-z]{16}$/)]);
    expect(contexts.map((c) => c.value_type)).toEqual(['binary', 'real-valued']);
    expect(config.design_spec.arms[0]).toMatchObject({ mu: [0.5, 0.5], covariance: [[4, 0], [0, 4]], alpha: null, beta: null });
  });

  it('binds a MAB-DWH target column and checks its type against the reward type', async () => {
    const ok = await createBandit(h, dwhDesign(), { commit: false });
    expect(ok.config.design_spec).toMatchObject({ table_name: 'participants', primary_key: 'participant_id', target_field_name: 'completed_course', reward_type: 'binary' });
    const numeric = await createBandit(h, dwhDesign({ target_field_name: 'weekly_minutes', prior_type: 'normal', reward_type: 'real-valued', arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }), { commit: false });
    expect(numeric.config.design_spec.reward_type).toBe('real-valued');

    const demo = h.server.demoDatasourceId;
    expect(await issues(await create(dwhDesign({ target_field_name: 'weekly_minutes' }), demo))).toEqual([
      "body.design_spec.reward_type: the target column 'weekly_minutes' is numeric (float), so reward_type must be real-valued",
    ]);
    expect(await issues(await create(dwhDesign({ prior_type: 'normal', reward_type: 'real-valued', arms: [{ arm_name: 'a', arm_weight: 50 }, { arm_name: 'b', arm_weight: 50 }] }), demo))).toEqual([
      "body.design_spec.reward_type: the target column 'completed_course' is boolean, so reward_type must be binary",
    ]);
    expect(await issues(await create(dwhDesign({ target_field_name: 'country' }), demo))).toEqual([
      "body.design_spec.target_field_name: column 'country' is string; a target must be boolean or numeric",
    ]);
    expect(await issues(await create(dwhDesign({ target_field_name: 'nope', primary_key: 'missing' }), demo))).toEqual([
      "body.design_spec.primary_key: column 'missing' does not exist in table 'participants'",
      "body.design_spec.target_field_name: column 'nope' does not exist in table 'participants'",
    ]);
    expect(await issues(await create(dwhDesign({ target_field_name: 'participant_id' }), demo))).toEqual([
      'body.design_spec.target_field_name: the target column cannot be the primary key',
    ]);
    expect(await issues(await create(dwhDesign()))).toEqual(['body.design_spec.experiment_type: mab_online_dwh experiments need a datasource with a warehouse']);
  });

  it('answers 422 at the wrong field for every rule of §2.4', async () => {
    expect(await issues(await create(mabDesign({ reward_type: 'real-valued' })))).toEqual([
      'body.design_spec.reward_type: a beta prior needs reward_type binary (use prior_type normal for real-valued rewards)',
    ]);
    expect(await issues(await create(cmabDesign({ prior_type: 'beta', reward_type: 'binary', arms: [{ arm_name: 'a', alpha_init: 1, beta_init: 1 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }] })))).toEqual([
      'body.design_spec.prior_type: contextual bandits need prior_type normal',
    ]);
    expect(await issues(await create(mabDesign({ arms: [{ arm_name: 'a', alpha_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] })))).toEqual([
      'body.design_spec.arms.0.beta_init: required for prior_type beta (or give arm_weight on every arm)',
      'body.design_spec.arms.1.mu_init: mu_init belongs to the other prior type; this design has prior_type beta',
      'body.design_spec.arms.1.sigma_init: sigma_init belongs to the other prior type; this design has prior_type beta',
      'body.design_spec.arms.1.alpha_init: required for prior_type beta (or give arm_weight on every arm)',
      'body.design_spec.arms.1.beta_init: required for prior_type beta (or give arm_weight on every arm)',
    ]);
    expect(await issues(await create(mabDesign({ arms: [{ arm_name: 'a', alpha_init: 0, beta_init: 1 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }] })))).toEqual([
      'body.design_spec.arms.0.alpha_init: Too small: expected number to be >0',
    ]);
    expect(await issues(await create(mabDesign({ arms: [{ arm_name: 'a', arm_weight: 50, alpha_init: 1, beta_init: 1 }, { arm_name: 'b', arm_weight: 40 }] })))).toEqual([
      'body.design_spec.arms: arm weights must sum to 100, got 90',
      'body.design_spec.arms.0.alpha_init: priors are derived from arm_weight when weights are given; leave alpha_init out',
      'body.design_spec.arms.0.beta_init: priors are derived from arm_weight when weights are given; leave beta_init out',
    ]);
    expect(await issues(await create(mabDesign({ contexts: [{ context_name: 'x' }] })))).toEqual(['body.design_spec.contexts: contexts are only allowed for cmab_online experiments']);
    expect(await issues(await create(cmabDesign({ contexts: [] })))).toEqual(['body.design_spec.contexts: Too small: expected array to have >=1 items']);
    expect(await issues(await create(mabDesign({ enable_autofail: true, autofail_outcome_value: 0.5 })))).toEqual(['body.design_spec.autofail_outcome_value: must be 0 or 1 when reward_type is binary']);
    expect(await issues(await create(mabDesign({ autofail_window: 0 })))).toEqual(['body.design_spec.autofail_window: Too small: expected number to be >=1']);
    expect(await issues(await create(mabDesign({ autofail_window: 2 ** 31 })))).toEqual(['body.design_spec.autofail_window: at most 8760 hours (one year)']);
    expect(await issues(await create(mabDesign({ arms: [{ arm_name: 'a', alpha_init: 1, beta_init: 1, arm_id: 'arm_x', alpha: 3 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }] })))).toEqual([
      'body.design_spec.arms.0.arm_id: arm_id is set by the server; leave it out',
      'body.design_spec.arms.0.alpha: alpha is set by the server; leave it out',
    ]);
    expect(await issues(await create(mabDesign({ table_name: 'participants' })))).toEqual(['body.design_spec.table_name: Extra inputs are not permitted: table_name']);
    expect(await issues(await create(cmabDesign({ contexts: [{ context_name: 'x' }, { context_name: 'x' }] })))).toEqual(["body.design_spec.contexts.1.context_name: context name 'x' is used twice"]);
    expect(await issues(await create(cmabDesign({ contexts: Array.from({ length: 11 }, (_, i) => ({ context_name: `c${i}` })) })))).toEqual([
      'body.design_spec.contexts: Too big: expected array to have <=10 items',
    ]);
    const rows = await h.server.database.db.selectFrom('experiments').select('id').where('name', '=', 'bandit').where('state', '=', 'abandoned').execute();
    expect(rows).toEqual([]);
  });

  it('is refused by the power check, which is for frequentist designs only', async () => {
    const res = await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/power`, { method: 'POST', body: JSON.stringify({ design_spec: dwhDesign() }) });
    expect(res.status).toBe(422);
  });

  it('commits, lists, stops and resumes like any online experiment', async () => {
    const { id } = await createBandit(h, mabDesign({ experiment_name: 'listed bandit' }));
    const list = await (await h.pub('/v1/experiments', { key, headers: { 'Datasource-ID': h.server.apiOnlyDatasourceId } })).json();
    expect(list.items.map((e: { experiment_id: string }) => e.experiment_id)).toContain(id);
    expect((await h.server.admin(banditPath(h, id, '/stop'), { method: 'POST' })).status).toBe(204);
    const stopped = await (await h.pub(`/v1/experiments/${id}/assignments/p1`, { key })).json();
    expect(stopped.assignment).toBeNull();
    expect(stopped.reason.code).toBe('stopped');
    expect((await h.server.admin(banditPath(h, id, '/resume'), { method: 'POST' })).status).toBe(204);
    expect((await (await h.pub(`/v1/experiments/${id}/assignments/p1`, { key })).json()).assignment.participant_id).toBe('p1');
  });
});
