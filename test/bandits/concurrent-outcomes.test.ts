/**
 * No lost updates: 1,000 outcomes posted at once, 100 in flight (on PostgreSQL through a pool of ten
 * connections, so the transactions really overlap and queue on the arm's lock) must leave every arm with the posterior that replaying the same outcomes
 * in commit order (`outcome_seq`) from the prior gives — exactly for Beta arms, to a relative 1e-9 for
 * Normal arms, and exactly equal for the Laplace-logistic update. The reference read, updated and wrote the
 * arm back without a lock, so under this load it kept only part of the outcomes. Draws are made first, most
 * of them on one arm (strong priors), so the outcomes pile onto one row.
 */
import { expect, it } from 'vitest';
import { updateBeta } from '../../src/stats/bandits/beta-update.ts';
import { laplaceLogisticUpdate, logistic } from '../../src/stats/bandits/logistic-laplace.ts';
import { updateNormal } from '../../src/stats/bandits/normal-update.ts';
import { betaPrior, normalPrior, type ArmPosterior } from '../../src/stats/bandits/posterior.ts';
import { seededRandom } from '../../src/stats/random.ts';
import { standardNormal } from '../../src/stats/sampling.ts';
import { describeEachDatabase } from '../support/databases.ts';
import type { RuntimeHarness } from '../runtime/support.ts';
import { cmabDesign, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

const N = 1_000;
const DRAW_CONCURRENCY = 50;
const OUTCOME_SOCKETS = 100;

type Model = 'beta' | 'linear' | 'logistic';

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describeEachDatabase('1,000 concurrent outcomes lose no update', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  async function inParallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
    const out = new Array<T>(count);
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }));
    return out;
  }

  async function run(model: Model) {
    const random = seededRandom({ beta: 11, linear: 12, logistic: 13 }[model]);
    const normalArms = [{ arm_name: 'hot', mu_init: 50, sigma_init: 1 }, { arm_name: 'cold', mu_init: -50, sigma_init: 1 }];
    const design =
      model === 'beta'
        ? mabDesign({ arms: [{ arm_name: 'hot', alpha_init: 500, beta_init: 1 }, { arm_name: 'cold', alpha_init: 1, beta_init: 500 }] })
        : cmabDesign({ reward_type: model === 'linear' ? 'real-valued' : 'binary', arms: normalArms });
    const { id, config } = await createBandit(h, design);
    const contextIds = (config.design_spec.contexts ?? []).map((c) => c.context_id);
    const vectorOrder = [...contextIds].sort();

    // 1. Draws, each with its context (binary "returning", real "age" in [0.5, 2]).
    const contexts = Array.from({ length: N }, () => ({ returning: random.next() < 0.5 ? 0 : 1, age: 0.5 + 1.5 * random.next() }));
    const drawn = await inParallel(N, DRAW_CONCURRENCY, async (i) => {
      const pid = `u${i}`;
      const c = contexts[i] as { returning: number; age: number };
      const res =
        model === 'beta'
          ? await h.pub(`/v1/experiments/${id}/assignments/${pid}`, { key })
          : await h.pub(`/v1/experiments/${id}/assignments/${pid}/assign_cmab`, {
              key,
              ...json({ context_inputs: [{ context_id: contextIds[0], context_value: c.returning }, { context_id: contextIds[1], context_value: c.age }] }),
            });
      expect(res.status).toBe(200);
      return (await res.json()).assignment as { arm_id: string; context_values: number[] | null };
    });
    const vectors = contexts.map((c) => vectorOrder.map((cid) => (cid === contextIds[0] ? c.returning : c.age)));
    if (model !== 'beta') drawn.forEach((d, i) => expect(d.context_values).toEqual(vectors[i]));

    // 2. Outcomes, all posted at once (at most OUTCOME_SOCKETS requests on the wire: the server's listen
    // backlog, not the database, would otherwise be what is tested).
    const outcomes = vectors.map((x) => {
      if (model === 'beta') return random.next() < 0.3 ? 1 : 0;
      const eta = 1.5 * (x[0] as number) - 0.5 * (x[1] as number);
      return model === 'linear' ? eta + standardNormal(random) : random.next() < logistic(eta) ? 1 : 0;
    });
    const answers = await inParallel(N, OUTCOME_SOCKETS, async (i) => {
      const res = await h.pub(`/v1/experiments/${id}/assignments/u${i}/outcome`, { key, ...json({ outcome: outcomes[i] }) });
      return res.status === 200 ? 'ok' : `u${i}: ${res.status} ${await res.text()}`;
    });
    expect(answers.filter((a) => a !== 'ok')).toEqual([]);

    // 3. Replay each arm's outcomes in commit order from its prior and compare with the stored posterior.
    const arms = (await (await h.pub(`/v1/experiments/${id}`, { key })).json()).design_spec.arms as {
      arm_id: string; alpha_init: number | null; beta_init: number | null; mu_init: number | null; sigma_init: number | null;
      alpha: number | null; beta: number | null; mu: number[] | null; covariance: number[][] | null; n_outcomes: number;
    }[];
    expect(arms.reduce((n, a) => n + a.n_outcomes, 0)).toBe(N);
    const index = new Map(Array.from({ length: N }, (_, i) => [`u${i}`, i]));
    for (const arm of arms) {
      const history = await h.server.database.db
        .selectFrom('draws')
        .select(['participant_id', 'outcome', 'outcome_seq', 'current_alpha', 'current_beta', 'current_mu', 'current_covariance'])
        .where('arm_id', '=', arm.arm_id)
        .where('outcome', 'is not', null)
        .orderBy('outcome_seq')
        .execute();
      expect(history.length).toBe(arm.n_outcomes);
      // Commit order is a gapless 1, 2, 3, … per arm.
      expect(history.map((r) => Number(r.outcome_seq))).toEqual(history.map((_, k) => k + 1));
      let posterior: ArmPosterior = model === 'beta' ? betaPrior(arm.alpha_init as number, arm.beta_init as number) : normalPrior(arm.mu_init as number, arm.sigma_init as number, 2);
      for (const step of history) {
        const i = index.get(step.participant_id) as number;
        const y = outcomes[i] as number;
        expect(step.outcome).toBe(y);
        const x = vectors[i] as number[];
        posterior =
          posterior.kind === 'beta'
            ? updateBeta(posterior, [y as 0 | 1])
            : model === 'linear'
              ? updateNormal(posterior, [{ context: x, reward: y }])
              : laplaceLogisticUpdate(posterior, [{ context: x, reward: y as 0 | 1 }]).posterior;
        // Every intermediate posterior too: each outcome was applied to the one before it.
        if (posterior.kind === 'beta') expect([step.current_alpha, step.current_beta]).toEqual([posterior.alpha, posterior.beta]);
        else if (model === 'logistic') expect([step.current_mu, step.current_covariance]).toEqual([posterior.mean, posterior.covariance]);
      }
      if (posterior.kind === 'beta') {
        expect([arm.alpha, arm.beta]).toEqual([posterior.alpha, posterior.beta]);
        const successes = history.filter((r) => r.outcome === 1).length;
        expect(arm.alpha).toBe((arm.alpha_init as number) + successes);
      } else if (model === 'linear') {
        const flat = (m: readonly (readonly number[])[]) => m.flat();
        for (const [a, b] of (arm.mu as number[]).map((v, k) => [v, posterior.kind === 'normal' ? posterior.mean[k] : NaN])) expect(rel(a as number, b as number)).toBeLessThan(1e-9);
        flat(arm.covariance as number[][]).forEach((v, k) => expect(rel(v, flat(posterior.kind === 'normal' ? posterior.covariance : [])[k] as number)).toBeLessThan(1e-9));
      } else {
        expect([arm.mu, arm.covariance]).toEqual([posterior.mean, posterior.covariance]);
      }
    }
    return arms;
  }

  it('Beta arms: exactly the replay, α = α₀ + successes', { timeout: 120_000 }, async () => {
    const arms = await run('beta');
    expect(Math.max(...arms.map((a) => a.n_outcomes))).toBeGreaterThan(N * 0.9);
  });

  it('Normal arms (contextual, real-valued): the replay to 1e-9', { timeout: 120_000 }, async () => {
    await run('linear');
  });

  it('Normal arms (contextual, binary, Laplace-logistic): exactly the replay', { timeout: 120_000 }, async () => {
    await run('logistic');
  });
});
