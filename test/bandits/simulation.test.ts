/**
 * Seeded simulations: the bandit learns. A three-arm Beta bandit whose third arm converts far better ends
 * with most draws on it (through the services, every draw seeded); a contextual bandit whose best arm depends
 * on the context learns to give each kind of participant its arm (through HTTP, `random_state` per draw).
 * (MAB draws are seeded through the service, since the public GET takes no seed; outcomes go over HTTP.)
 * Everything is seeded, so each run sees the same draws.
 */
import { expect, it } from 'vitest';
import { assignParticipant } from '../../src/services/assignments/participant-assignment.ts';
import { banditAnalysis } from '../../src/services/bandits/analysis.ts';
import { seededRandom } from '../../src/stats/random.ts';
import { standardNormal } from '../../src/stats/sampling.ts';
import { loadExperiment, type LoadedExperiment } from '../../src/store/repositories/experiments.ts';
import { describeEachDatabase } from '../support/databases.ts';
import type { RuntimeHarness } from '../runtime/support.ts';
import { cmabDesign, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

describeEachDatabase('bandit simulations', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  it('gives most draws to a clearly better arm, and estimates its rate', { timeout: 60_000 }, async () => {
    const rates = [0.1, 0.3, 0.7];
    const { id, armIds } = await createBandit(h, mabDesign({ arms: rates.map((_, i) => ({ arm_name: `arm${i}`, alpha_init: 1, beta_init: 1 })) }));
    const world = seededRandom(2026);
    const rounds = 400;
    const counts = new Map<string, number>();
    const request = { apiKey: key, datasourceHeader: undefined, experimentId: id, createIfNone: true };
    for (let i = 0; i < rounds; i++) {
      const { body } = await assignParticipant(h.server.deps, { ...request, participantId: `s${i}`, randomState: 10_000 + i });
      const arm = body.assignment?.arm_id as string;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
      const y = world.next() < (rates[armIds.indexOf(arm)] as number) ? 1 : 0;
      // Over HTTP: also keeps the client's connection busy (an idle keep-alive socket can be reset under it).
      expect((await h.pub(`/v1/experiments/${id}/assignments/s${i}/outcome`, { key, ...json({ outcome: y }) })).status).toBe(200);
    }
    const best = counts.get(armIds[2] as string) ?? 0;
    expect(best / rounds).toBeGreaterThan(0.75);
    const analysis = await banditAnalysis(h.server.deps, (await loadExperiment(h.server.database.db, id)) as LoadedExperiment);
    const top = analysis.arm_analyses.find((a) => a.arm_id === armIds[2]);
    expect(top?.post_pred_mean).toBeGreaterThan(0.6);
    expect(top?.post_pred_mean).toBeLessThan(0.8);
    // The inverse-propensity estimate covers the true rate (well within four standard errors).
    expect(Math.abs((top?.ipw?.mean as number) - 0.7)).toBeLessThan(4 * (top?.ipw?.std_error as number));
  });

  it('learns which arm suits which context', { timeout: 60_000 }, async () => {
    // Reward: arm "a" pays 1 to returning participants and 0 to new ones; arm "b" pays 0.5 to everyone.
    const { id, armIds, config } = await createBandit(
      h,
      cmabDesign({
        arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }],
        contexts: [{ context_name: 'returning', value_type: 'binary' }, { context_name: 'constant', value_type: 'real-valued' }],
      }),
    );
    const [returning, constant] = (config.design_spec.contexts ?? []).map((c) => c.context_id) as [string, string];
    const world = seededRandom(7);
    const rounds = 300;
    const late = { right: 0, total: 0 };
    for (let i = 0; i < rounds; i++) {
      const r = world.next() < 0.5 ? 1 : 0;
      const res = await h.pub(`/v1/experiments/${id}/assignments/c${i}/assign_cmab?random_state=${500 + i}`, {
        key,
        ...json({ context_inputs: [{ context_id: returning, context_value: r }, { context_id: constant, context_value: 1 }] }),
      });
      const arm = (await res.json()).assignment.arm_id as string;
      const isA = arm === armIds[0];
      const mean = isA ? r : 0.5;
      await h.pub(`/v1/experiments/${id}/assignments/c${i}/outcome`, { key, ...json({ outcome: mean + 0.5 * standardNormal(world) }) });
      if (i >= rounds / 2) {
        late.total++;
        if (isA === (r === 1)) late.right++;
      }
    }
    expect(late.right / late.total).toBeGreaterThan(0.75);
  });
});
