/**
 * The bandit analysis: the function itself and `POST …/analyze_cmab`, on both app databases. Prior and
 * posterior summaries are the statistics engine's (checked against scipy in src/stats/bandits/fixtures.test.ts)
 * evaluated on the stored parameters at the right context; the inverse-propensity estimates are compared with
 * numpy values (tools/reference/bandit_ipw.py) both as pure arithmetic and through the database's two-pass sums.
 */
import { describe, expect, it } from 'vitest';
import fixtures from '../../src/stats/fixtures/bandit-ipw.json' with { type: 'json' };
import { banditAnalysis } from '../../src/services/bandits/analysis.ts';
import { summarize } from '../../src/stats/bandits/arm-summary.ts';
import { ipwEstimate, ipwSums } from '../../src/stats/bandits/ipw.ts';
import { loadExperiment, type LoadedExperiment } from '../../src/store/repositories/experiments.ts';
import { describeEachDatabase } from '../support/databases.ts';
import type { RuntimeHarness } from '../runtime/support.ts';
import { banditPath, cmabDesign, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));
const FIELDS = ['mean', 'std_error', 'ci_lower', 'ci_upper', 'self_normalized_mean', 'self_normalized_std_error', 'min_propensity'] as const;

describe('inverse-propensity estimates (pure) against numpy', () => {
  it.each(fixtures.sets.map((s) => [s.name, s] as const))('%s', (_, set) => {
    for (const expected of set.expected) {
      const got = ipwEstimate(ipwSums(set.rows, expected.arm), fixtures.level);
      expect(got).not.toBeNull();
      for (const f of FIELDS) expect(rel(got?.[f] as number, expected[f])).toBeLessThan(1e-12);
      expect(got?.n).toBe(set.rows.length);
    }
  });

  it('is undefined before an arm has an outcome, or with a logged propensity of 0', () => {
    expect(ipwEstimate(ipwSums([{ arm: 'a', outcome: 1, propensity: 0.5 }], 'b'))).toBeNull();
    expect(ipwEstimate(ipwSums([{ arm: 'a', outcome: 1, propensity: 0 }], 'a'))).toBeNull();
    expect(ipwEstimate(ipwSums([{ arm: 'a', outcome: 1, propensity: 0.25 }], 'a'))).toMatchObject({ mean: 4, self_normalized_mean: 1, std_error: Number.NaN });
  });
});

describeEachDatabase('bandit analysis', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  const loaded = async (id: string) => (await loadExperiment(h.server.database.db, id)) as LoadedExperiment;
  const analyzeCmab = (id: string, body: unknown) => h.server.admin(banditPath(h, id, '/analyze_cmab'), { method: 'POST', body: JSON.stringify(body) });

  it('with no outcomes: posterior = prior, no estimates; after outcomes: exact Beta summaries and counts', async () => {
    const { id, armIds } = await createBandit(h, mabDesign({ arms: [{ arm_name: 'a', alpha_init: 2, beta_init: 2 }, { arm_name: 'b', alpha_init: 1, beta_init: 3 }] }));
    const empty = await banditAnalysis(h.server.deps, await loaded(id));
    expect(empty).toMatchObject({ type: 'bandit', experiment_id: id, n_outcomes: 0, fraction_automatically_failed: 0, contexts: null, created_at: h.clock.now().toISOString() });
    for (const arm of empty.arm_analyses) {
      expect(arm.post_pred_mean).toBe(arm.prior_pred_mean);
      expect(arm.post_pred_ci_lower).toBe(arm.prior_pred_ci_lower);
      expect(arm.ipw).toBeNull();
      expect(arm.n_draws).toBe(0);
    }
    for (let i = 0; i < 6; i++) {
      const a = (await (await h.pub(`/v1/experiments/${id}/assignments/p${i}`, { key })).json()).assignment;
      if (i < 5) expect((await h.pub(`/v1/experiments/${id}/assignments/p${i}/outcome`, { key, ...json({ outcome: i % 2 }) })).status).toBe(200);
      expect(armIds).toContain(a.arm_id);
    }
    const result = await banditAnalysis(h.server.deps, await loaded(id));
    expect(result.n_outcomes).toBe(5);
    expect(result.arm_analyses.reduce((n, a) => n + a.n_draws, 0)).toBe(6);
    for (const arm of result.arm_analyses) {
      const post = summarize('beta-bernoulli', { kind: 'beta', alpha: arm.alpha as number, beta: arm.beta as number });
      const prior = summarize('beta-bernoulli', { kind: 'beta', alpha: arm.alpha_init as number, beta: arm.beta_init as number });
      expect([arm.post_pred_mean, arm.post_pred_stdev, arm.post_pred_ci_lower, arm.post_pred_ci_upper]).toEqual([post.mean, post.stdev, post.ciLower, post.ciUpper]);
      expect([arm.prior_pred_mean, arm.prior_pred_stdev, arm.prior_pred_ci_lower, arm.prior_pred_ci_upper]).toEqual([prior.mean, prior.stdev, prior.ciLower, prior.ciUpper]);
      expect(arm.n_outcomes).toBe((arm.alpha as number) + (arm.beta as number) - (arm.alpha_init as number) - (arm.beta_init as number));
      if (arm.n_outcomes > 0) expect(arm.ipw?.n).toBe(5);
    }
    // The GET …/analyze dispatch will call the same function; a CMAB needs contexts there.
    const cmab = await createBandit(h, cmabDesign());
    await expect(banditAnalysis(h.server.deps, await loaded(cmab.id))).rejects.toThrow(/analyze_cmab/);
  });

  it('computes the inverse-propensity estimates from the logged draws as numpy does', async () => {
    for (const set of fixtures.sets) {
      const real = set.name === 'real-valued';
      const arms = Array.from({ length: set.arms }, (_, i) => (real ? { arm_name: `arm${i}`, mu_init: 0, sigma_init: 1 } : { arm_name: `arm${i}`, alpha_init: 1, beta_init: 1 }));
      const { id, armIds } = await createBandit(h, mabDesign({ prior_type: real ? 'normal' : 'beta', reward_type: real ? 'real-valued' : 'binary', arms }));
      // The logged draws as they would have been written, straight into the table.
      const seq = new Array<number>(set.arms).fill(0);
      await h.server.database.db
        .insertInto('draws')
        .values(
          set.rows.map((r, i) => ({
            experiment_id: id,
            participant_id: `x${String(i).padStart(4, '0')}`,
            arm_id: armIds[r.arm] as string,
            created_at: h.clock.now(),
            propensity: r.propensity,
            propensity_method: 'exact',
            outcome: r.outcome,
            observed_at: h.clock.now(),
            autofailed_outcome: i % 10 === 0,
            outcome_seq: (seq[r.arm] = (seq[r.arm] ?? 0) + 1),
          })),
        )
        .execute();
      const result = await banditAnalysis(h.server.deps, await loaded(id));
      expect(result.n_outcomes).toBe(set.rows.length);
      expect(result.fraction_automatically_failed).toBeCloseTo(Math.ceil(set.rows.length / 10) / set.rows.length, 15);
      for (const expected of set.expected) {
        const arm = result.arm_analyses.find((a) => a.arm_id === armIds[expected.arm]);
        expect(arm?.n_draws).toBe(expected.k);
        for (const f of FIELDS) expect(rel(arm?.ipw?.[f] as number, expected[f])).toBeLessThan(1e-9);
      }
    }
  });

  it('analyses a contextual bandit at the given context values, or at the mean context of its draws', async () => {
    const { id, config } = await createBandit(h, cmabDesign({ reward_type: 'binary' }));
    const ids = (config.design_spec.contexts ?? []).map((c) => c.context_id) as [string, string];
    const inputs = (returning: number, age: number) => [{ context_id: ids[1], context_value: age }, { context_id: ids[0], context_value: returning }];
    const vector = (returning: number, age: number) => [...ids].sort().map((c) => (c === ids[0] ? returning : age));
    for (const [pid, r, age, y] of [['c1', 1, 2, 1], ['c2', 1, 0.5, 0], ['c3', 0, 1, 1]] as const) {
      await h.pub(`/v1/experiments/${id}/assignments/${pid}/assign_cmab`, { key, ...json({ context_inputs: inputs(r, age) }) });
      expect((await h.pub(`/v1/experiments/${id}/assignments/${pid}/outcome`, { key, ...json({ outcome: y }) })).status).toBe(200);
    }
    const res = await analyzeCmab(id, { type: 'cmab_assignment', context_inputs: inputs(1, 3) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.contexts).toEqual(vector(1, 3));
    expect(body.n_outcomes).toBe(3);
    for (const arm of body.arm_analyses) {
      const post = summarize('normal-logistic', { kind: 'normal', mean: arm.mu, covariance: arm.covariance }, { context: vector(1, 3) });
      expect([arm.post_pred_mean, arm.post_pred_stdev, arm.post_pred_ci_lower, arm.post_pred_ci_upper]).toEqual([post.mean, post.stdev, post.ciLower, post.ciUpper]);
      const prior = summarize('normal-logistic', { kind: 'normal', mean: [0, 0], covariance: [[1, 0], [0, 1]] }, { context: vector(1, 3) });
      expect(arm.prior_pred_mean).toBe(prior.mean);
    }
    // Snapshots analyse at the draws' mean context: returning 2/3 rounds to 1, age (2 + 0.5 + 1)/3.
    const snapshot = await banditAnalysis(h.server.deps, await loaded(id), 'draw-mean');
    expect(snapshot.contexts).toEqual(vector(1, 3.5 / 3));

    expect((await (await analyzeCmab(id, { context_inputs: null })).json()).detail[0].msg).toBe('Context values are required for contextual multi-armed bandit experiments');
    expect((await (await analyzeCmab(id, { context_inputs: inputs(0.5, 1) })).json()).detail[0].msg).toBe(`Context value for id ${ids[0]} must be binary (0 or 1).`);
    expect((await analyzeCmab(id, { context_inputs: inputs(1, 1), extra: 1 })).status).toBe(422);
    expect((await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/experiments/${id}/analyze_cmab`, { method: 'POST', body: JSON.stringify({ context_inputs: inputs(1, 1) }) })).status).toBe(404);
    const mab = await createBandit(h, mabDesign());
    expect((await (await analyzeCmab(mab.id, { context_inputs: [] })).json()).detail[0].msg).toBe(`Experiment ${mab.id} is a mab_online experiment, and not a cmab_online experiment.`);
  });
});
