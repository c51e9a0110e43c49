/**
 * `GET …/bandit_history`, on both app databases: draws and outcomes made through the public API at known
 * instants (the harness's manual clock), then every bucket's counts, shares, mean rewards and posteriors
 * checked against the same numbers worked out here from the list of events; the replay path (stored
 * posteriors erased) giving exactly what the stored path gives; the arms now matching `GET …/analyze`; and
 * every bad request answered with a 4xx naming the field.
 */
import { expect, it } from 'vitest';
import { BanditHistorySchema } from '../../src/http/admin/bandits.ts';
import { banditAnalysis } from '../../src/services/bandits/analysis.ts';
import { summarize } from '../../src/stats/bandits/arm-summary.ts';
import { scoreDistributions } from '../../src/stats/bandits/score-distribution.ts';
import { exactSelectionProbability } from '../../src/stats/bandits/selection-probability.ts';
import { loadExperiment, type LoadedExperiment } from '../../src/store/repositories/experiments.ts';
import { describeEachDatabase } from '../support/databases.ts';
import type { RuntimeHarness } from '../runtime/support.ts';
import { banditPath, cmabDesign, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

type History = ReturnType<typeof BanditHistorySchema.parse>;

const at = (clock: string) => new Date(`2026-06-01T${clock}Z`);

describeEachDatabase('bandit history', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  const history = async (id: string, query = '', ds?: string): Promise<History> => {
    const res = await h.server.admin(banditPath(h, id, `/bandit_history${query}`, ds));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return BanditHistorySchema.parse(body);
  };
  const detail = async (res: Response) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    return body.detail as { loc: (string | number)[]; msg: string }[];
  };

  interface Event {
    readonly t: Date;
    readonly arm: string;
    readonly outcome?: 0 | 1;
  }

  async function draw(id: string, pid: string, when: Date, events: Event[], armOf: Map<string, string>) {
    h.clock.set(when);
    const a = (await (await h.pub(`/v1/experiments/${id}/assignments/${pid}`, { key })).json()).assignment;
    armOf.set(pid, a.arm_id);
    events.push({ t: when, arm: a.arm_id });
  }
  async function observe(id: string, pid: string, y: 0 | 1, when: Date, events: Event[], armOf: Map<string, string>) {
    h.clock.set(when);
    expect((await h.pub(`/v1/experiments/${id}/assignments/${pid}/outcome`, { key, ...json({ outcome: y }) })).status).toBe(200);
    events.push({ t: when, arm: armOf.get(pid) as string, outcome: y });
  }

  it('counts draws and outcomes per minute bucket and gives each arm its posterior at the bucket end', async () => {
    const priors = [
      { arm_name: 'letter', alpha_init: 1, beta_init: 1 },
      { arm_name: 'sms', alpha_init: 2, beta_init: 2 },
      { arm_name: 'call', alpha_init: 1, beta_init: 3 },
    ];
    const { id, armIds } = await createBandit(h, mabDesign({ arms: priors }));
    const events: Event[] = [];
    const armOf = new Map<string, string>();
    for (let i = 0; i < 9; i++) await draw(id, `p${i}`, at('12:00:10'), events, armOf);
    for (let i = 0; i < 6; i++) await observe(id, `p${i}`, i % 2 === 0 ? 1 : 0, at('12:00:40'), events, armOf);
    for (let i = 9; i < 15; i++) await draw(id, `p${i}`, at('12:02:30'), events, armOf);
    for (const i of [6, 7, 8, 9, 10]) await observe(id, `p${i}`, i === 6 || i === 9 ? 1 : 0, at('12:02:30'), events, armOf);
    // Exactly on a boundary: the bucket that starts then.
    await draw(id, 'p15', at('12:03:00'), events, armOf);

    const got = await history(id, '?bucket=minute');
    expect(got).toMatchObject({ experiment_id: id, experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary', credible_level: 0.95, contexts: null, bucket_seconds: 60 });
    expect(got.buckets.map((b) => b.start)).toEqual(['12:00:00', '12:01:00', '12:02:00', '12:03:00'].map((c) => at(c).toISOString()));
    expect(got.buckets.map((b) => [b.draws, b.outcomes])).toEqual([[9, 6], [0, 0], [6, 5], [1, 0]]);
    expect(got.buckets.at(-1)?.end).toBe(at('12:04:00').toISOString());

    for (const bucket of got.buckets) {
      const start = Date.parse(bucket.start);
      const end = Date.parse(bucket.end);
      const inBucket = events.filter((e) => e.t.getTime() >= start && e.t.getTime() < end);
      const upToEnd = events.filter((e) => e.t.getTime() < end && e.outcome !== undefined);
      const totalDraws = inBucket.filter((e) => e.outcome === undefined).length;
      const posteriors = armIds.map((arm, k) => {
        const ys = upToEnd.filter((e) => e.arm === arm).map((e) => e.outcome as number);
        const s = ys.reduce((a, y) => a + y, 0);
        return { kind: 'beta' as const, alpha: (priors[k]?.alpha_init as number) + s, beta: (priors[k]?.beta_init as number) + ys.length - s };
      });
      expect(bucket.arms.map((a) => a.arm_id)).toEqual(armIds);
      bucket.arms.forEach((got, k) => {
        const arm = armIds[k] as string;
        const draws = inBucket.filter((e) => e.arm === arm && e.outcome === undefined).length;
        const ys = inBucket.filter((e) => e.arm === arm && e.outcome !== undefined).map((e) => e.outcome as number);
        const post = summarize('beta-bernoulli', posteriors[k] as { kind: 'beta'; alpha: number; beta: number });
        expect(got).toEqual({
          arm_id: arm,
          draws,
          draw_share: totalDraws === 0 ? null : draws / totalDraws,
          outcomes: ys.length,
          mean_reward: ys.length === 0 ? null : ys.reduce((a, y) => a + y, 0) / ys.length,
          post_mean: post.mean,
          post_ci_lower: post.ciLower,
          post_ci_upper: post.ciUpper,
          cumulative_outcomes: upToEnd.filter((e) => e.arm === arm).length,
        });
      });
      const shares = bucket.arms.map((a) => a.draw_share).filter((s) => s !== null);
      if (shares.length > 0) expect(shares.reduce((a, s) => a + s, 0)).toBeCloseTo(1, 12);
    }

    // The arms now: the analysis's posterior, draws and outcomes, and the last bucket's posterior.
    const analysis = await banditAnalysis(h.server.deps, (await loadExperiment(h.server.database.db, id)) as LoadedExperiment);
    const nowScores = scoreDistributions(got.arms.map((a) => ({ kind: 'beta' as const, alpha: a.alpha as number, beta: a.beta as number })));
    for (const [k, arm] of got.arms.entries()) {
      expect(arm.prob_best).toBeCloseTo(exactSelectionProbability(nowScores, k).probability, 12);
      const a = analysis.arm_analyses.find((x) => x.arm_id === arm.arm_id);
      expect([arm.posterior.mean, arm.posterior.ci_lower, arm.posterior.ci_upper]).toEqual([a?.post_pred_mean, a?.post_pred_ci_lower, a?.post_pred_ci_upper]);
      expect([arm.prior.mean, arm.prior.ci_lower, arm.prior.ci_upper]).toEqual([a?.prior_pred_mean, a?.prior_pred_ci_lower, a?.prior_pred_ci_upper]);
      expect([arm.n_draws, arm.n_outcomes, arm.alpha, arm.beta]).toEqual([a?.n_draws, a?.n_outcomes, a?.alpha, a?.beta]);
      expect(arm.posterior.mean).toBe(got.buckets.at(-1)?.arms[k]?.post_mean);
      const ys = events.filter((e) => e.arm === arm.arm_id && e.outcome !== undefined).map((e) => e.outcome as number);
      expect(arm.mean_reward).toBe(ys.length === 0 ? null : ys.reduce((s, y) => s + y, 0) / ys.length);
      // Three arms: plain Thompson sampling, so the next participant's chance is the chance of being best.
      expect(arm.selection_probability).toBe(arm.prob_best);
    }
    expect(got.arms.reduce((n, a) => n + a.n_draws, 0)).toBe(16);
    expect(got.arms.reduce((p, a) => p + (a.prob_best as number), 0)).toBeCloseTo(1, 9);

    // auto: 12:00:10 to 12:03:00 is 171 one-second buckets, but 35 five-second ones.
    const auto = await history(id);
    expect(auto.bucket_seconds).toBe(5);
    expect(auto.buckets).toHaveLength(35);
    expect(auto.buckets[0]?.start).toBe(at('12:00:10').toISOString());
    expect(auto.buckets.reduce((n, b) => n + b.draws, 0)).toBe(16);
    expect(auto.buckets.reduce((n, b) => n + b.outcomes, 0)).toBe(11);
    expect((await history(id, '?bucket=hour')).buckets.map((b) => [b.start, b.draws, b.outcomes])).toEqual([[at('12:00:00').toISOString(), 16, 11]]);

    // Without the stored steps, replaying the outcomes through the outcome path's update gives the same.
    await h.server.database.db.updateTable('draws').set({ current_alpha: null, current_beta: null }).where('experiment_id', '=', id).execute();
    expect(await history(id, '?bucket=minute')).toEqual(got);
  });

  it('before any draw: no buckets, every posterior is its prior, and the chance of being best follows the priors', async () => {
    const { id } = await createBandit(h, mabDesign({ arms: [{ arm_name: 'a', alpha_init: 2, beta_init: 1 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }] }));
    const got = await history(id);
    expect(got.buckets).toEqual([]);
    expect(got.bucket_seconds).toBeNull();
    for (const arm of got.arms) {
      expect(arm.posterior).toEqual(arm.prior);
      expect([arm.n_draws, arm.n_outcomes, arm.mean_reward]).toEqual([0, 0, null]);
    }
    // P(Beta(2, 1) > Beta(1, 1)) = ∫ 2x · x dx = 2/3.
    expect(got.arms[0]?.prob_best).toBeCloseTo(2 / 3, 12);
    expect(got.arms[1]?.prob_best).toBeCloseTo(1 / 3, 12);
  });

  it('evaluates a contextual bandit at the mean context of its draws, and replays its Laplace steps exactly', async () => {
    const { id, config } = await createBandit(h, cmabDesign({ reward_type: 'binary' }));
    const ids = (config.design_spec.contexts ?? []).map((c) => c.context_id) as [string, string];
    const inputs = (returning: number, age: number) => [{ context_id: ids[0], context_value: returning }, { context_id: ids[1], context_value: age }];
    const rows = [['c1', 1, 2, 1, '13:00:05'], ['c2', 1, 0.5, 0, '13:00:20'], ['c3', 0, 1, 1, '13:01:10'], ['c4', 0, 3, 0, '13:01:40']] as const;
    for (const [pid, r, age, y, when] of rows) {
      h.clock.set(at(when));
      expect((await h.pub(`/v1/experiments/${id}/assignments/${pid}/assign_cmab`, { key, ...json({ context_inputs: inputs(r, age) }) })).status).toBe(200);
      expect((await h.pub(`/v1/experiments/${id}/assignments/${pid}/outcome`, { key, ...json({ outcome: y }) })).status).toBe(200);
    }
    const got = await history(id, '?bucket=minute');
    const analysis = await banditAnalysis(h.server.deps, (await loadExperiment(h.server.database.db, id)) as LoadedExperiment, 'draw-mean');
    expect(got.contexts).toEqual(analysis.contexts);
    for (const arm of got.arms) {
      const a = analysis.arm_analyses.find((x) => x.arm_id === arm.arm_id);
      expect([arm.posterior.mean, arm.posterior.ci_lower, arm.posterior.ci_upper]).toEqual([a?.post_pred_mean, a?.post_pred_ci_lower, a?.post_pred_ci_upper]);
    }
    expect(got.buckets.map((b) => [b.draws, b.outcomes])).toEqual([[2, 2], [2, 2]]);
    await h.server.database.db.updateTable('draws').set({ current_mu: null, current_covariance: null }).where('experiment_id', '=', id).execute();
    expect(await history(id, '?bucket=minute')).toEqual(got);
  });

  it('answers bad requests with a 4xx naming the field', async () => {
    const { id } = await createBandit(h, mabDesign());
    h.clock.set(at('14:00:00'));
    await h.pub(`/v1/experiments/${id}/assignments/early`, { key });
    h.clock.set(new Date('2026-06-03T14:00:00Z'));
    await h.pub(`/v1/experiments/${id}/assignments/late`, { key });

    const week = await detail(await h.server.admin(banditPath(h, id, '/bandit_history?bucket=week')));
    expect(week[0]?.loc).toEqual(['query', 'bucket']);
    // Two days in minutes is 2,881 buckets.
    const minutes = await detail(await h.server.admin(banditPath(h, id, '/bandit_history?bucket=minute')));
    expect(minutes).toEqual([{ loc: ['query', 'bucket'], msg: 'minute buckets would cut this history into 2881 buckets (at most 1500); choose a longer bucket or auto.', type: 'value_error' }]);
    expect((await history(id, '?bucket=hour')).buckets).toHaveLength(49);
    // auto: 30-minute buckets would be 97, hours are 49.
    expect((await history(id)).bucket_seconds).toBe(3_600);

    const online = await h.createOnline();
    const freq = await detail(await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/experiments/${online.id}/bandit_history`));
    expect(freq[0]?.loc).toEqual(['path', 'experiment_id']);
    expect((await h.server.admin(banditPath(h, id, '/bandit_history', h.server.demoDatasourceId))).status).toBe(404);
    expect((await h.server.admin(banditPath(h, 'nope', '/bandit_history'))).status).toBe(404);
    expect((await fetch(`${h.server.baseUrl}${banditPath(h, id, '/bandit_history')}`)).status).toBe(401);

    const doc = await (await fetch(`${h.server.baseUrl}/openapi.json`)).json();
    const op = doc.paths['/v1/m/datasources/{datasource_id}/experiments/{experiment_id}/bandit_history'].get;
    expect(op.operationId).toBe('bandit_history');
    expect(op.parameters.find((p: { name: string }) => p.name === 'bucket').schema.enum).toEqual(['auto', 'minute', 'hour', 'day']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404', '422']));
  });
});
