import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../distributions.ts';
import { seededRandom, shuffled } from '../random.ts';
import { updateBeta, type BinaryOutcome } from './beta-update.ts';
import { monteCarloSelectionProbabilities } from './monte-carlo-selection.ts';
import { updateNormal } from './normal-update.ts';
import { betaPrior, normalPrior, type ArmPosterior } from './posterior.ts';
import { cacheGet, cacheSet, createPropensityCache } from './propensity-cache.ts';
import { scoreDistributions } from './score-distribution.ts';
import { exactSelectionProbability } from './selection-probability.ts';
import { chooseArm, selectionProbability } from './thompson.ts';
import { betaPriorsFromWeights, normalPriorsFromWeights } from './weights-to-prior.ts';

const FC = { seed: 20260901, numRuns: 6, endOnFailure: true } as const;
const DRAWS = 4_000;
/** Family-wise false-alarm probability allowed for one frequency test (split over arms by Bonferroni). */
const FAMILY_ALPHA = 1e-4;

/**
 * Draws `DRAWS` arms and checks, for every arm, that (1) its selection frequency is within the binomial
 * tolerance z·√(p(1−p)/n) + 1/n of its exact selection probability p, and (2) the propensities returned with
 * its selections all equal p (so their mean equals the frequency up to the same tolerance).
 */
function checkFrequencies(arms: readonly ArmPosterior[], seed: number, options: Parameters<typeof chooseArm>[2]): void {
  const random = seededRandom(seed);
  const cache = createPropensityCache();
  const counts = new Array<number>(arms.length).fill(0);
  const propensities = arms.map(() => new Set<number>());
  for (let d = 0; d < DRAWS; d++) {
    const choice = chooseArm(arms, random, { ...options, cache });
    counts[choice.arm] = (counts[choice.arm] as number) + 1;
    propensities[choice.arm]?.add(choice.propensity);
  }
  const topTwo = arms.length >= (options?.topTwoMinArms ?? 5);
  const scores = scoreDistributions(arms, options?.context);
  const z = normalQuantile(1 - FAMILY_ALPHA / (2 * arms.length));
  arms.forEach((_, j) => {
    const p = exactSelectionProbability(scores, j, topTwo ? (options?.topTwoBeta ?? 0.5) : undefined).probability;
    const frequency = (counts[j] as number) / DRAWS;
    expect(Math.abs(frequency - p)).toBeLessThanOrEqual(z * Math.sqrt((p * (1 - p)) / DRAWS) + 1 / DRAWS);
    for (const returned of propensities[j] ?? []) expect(returned).toBe(p);
  });
}

const betaArm = fc.record({ alpha: fc.double({ min: 0.5, max: 30, noNaN: true }), beta: fc.double({ min: 0.5, max: 30, noNaN: true }) })
  .map(({ alpha, beta }) => betaPrior(alpha, beta));

describe('Thompson sampling: frequencies and propensities', () => {
  it('plain TS selects each Beta arm with its posterior probability of being best', () => {
    fc.assert(
      fc.property(fc.array(betaArm, { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 2 ** 31 }), (arms, seed) => {
        checkFrequencies(arms, seed, {});
      }),
      FC,
    );
  });

  it('top-two TS (5+ arms) selects with β·P(best) + (1 − β)·P(second)', () => {
    fc.assert(
      fc.property(
        fc.array(betaArm, { minLength: 5, maxLength: 6 }),
        fc.constantFrom(0.5, 0.9),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (arms, topTwoBeta, seed) => {
          checkFrequencies(arms, seed, { topTwoBeta });
        },
      ),
      FC,
    );
  });

  it('contextual Normal arms (linear or logistic: same scores), plain and top-two', () => {
    const arms = [0, 1, 2, 3, 4].map((i) => updateNormal(normalPrior(0, 1, 2), [{ context: [1, i / 4], reward: i / 3 }]));
    checkFrequencies(arms.slice(0, 3), 7, { context: [1, 0.5] });
    checkFrequencies(arms, 8, { context: [1, -0.5] });
  });

  it('with a near-certain leader and β = 0.9 the challenger is played ≈ 10% of the time (reference §2.9)', () => {
    // Beta(1000, 1) against five uniforms: P(best) = 1000/1005, P(second) = 5000/(1004·1005) in closed form.
    const arms = [betaPrior(1000, 1), ...[1, 2, 3, 4, 5].map(() => betaPrior(1, 1))];
    const p = exactSelectionProbability(scoreDistributions(arms), 0, 0.9).probability;
    expect(p).toBeCloseTo(0.9 * (1000 / 1005) + 0.1 * (5000 / (1004 * 1005)), 10);
  });

  it('two arms use the closed forms: Φ of the standardised difference, α/(α+β) shares for Beta(α, 1)', () => {
    const normals = [{ kind: 'normal', mean: 0, sd: 1 }, { kind: 'normal', mean: 1, sd: 2 }] as const;
    expect(exactSelectionProbability(normals, 1).probability).toBe(normalCdf(1 / Math.sqrt(5)));
    const betas = scoreDistributions([betaPrior(2, 1), betaPrior(3, 1)]);
    expect(exactSelectionProbability(betas, 0).probability).toBeCloseTo(0.4, 12);
  });

  it('quadrature agrees with the Monte Carlo estimate within its binomial error', () => {
    const scores = scoreDistributions([betaPrior(2, 8), betaPrior(3, 7), betaPrior(4, 9), betaPrior(1.5, 3), betaPrior(6, 14)]);
    const draws = 20_000;
    const mc = monteCarloSelectionProbabilities(scores, 0.5, seededRandom(3), draws);
    const z = normalQuantile(1 - FAMILY_ALPHA / (2 * scores.length));
    mc.forEach((estimate, j) => {
      const p = exactSelectionProbability(scores, j, 0.5).probability;
      expect(Math.abs(estimate - p)).toBeLessThan(z * Math.sqrt((p * (1 - p)) / draws) + 1 / draws);
    });
  });

  it('falls back to a seeded Monte Carlo propensity when a score has no variance (all-zero context)', () => {
    const arms = [normalPrior(0, 1, 2), normalPrior(0, 1, 2)];
    const a = chooseArm(arms, seededRandom(1), { context: [0, 0] });
    const b = chooseArm(arms, seededRandom(1), { context: [0, 0] });
    expect(a.propensityMethod).toBe('monte-carlo');
    expect(a.propensity).toBeCloseTo(0.5, 2); // ties broken uniformly
    expect(b).toEqual(a);
  });
});

describe('propensity cache', () => {
  it('keys on the posterior values, hits on repeats and evicts the least recently used entry', () => {
    const cache = createPropensityCache(2);
    const scores = scoreDistributions([betaPrior(2, 3), betaPrior(3, 2)]);
    const first = selectionProbability(scores, 0, undefined, cache);
    expect(cache.entries.size).toBe(1);
    expect(selectionProbability(scores, 0, undefined, cache)).toBe(first); // the cached object itself
    selectionProbability(scores, 1, undefined, cache);
    selectionProbability(scoreDistributions([betaPrior(2, 4), betaPrior(3, 2)]), 0, undefined, cache);
    expect(cache.entries.size).toBe(2);
    cacheSet(cache, 'x', { probability: 0.1, method: 'exact' });
    expect(cacheGet(cache, 'x')?.probability).toBe(0.1);
  });

  it('does not change which arm is drawn', () => {
    const arms = [betaPrior(2, 3), betaPrior(3, 2), betaPrior(1, 1)];
    const cache = createPropensityCache();
    const withCache = Array.from({ length: 3 }, () => chooseArm(arms, seededRandom(42), { cache }));
    const without = chooseArm(arms, seededRandom(42));
    for (const c of withCache) expect(c).toEqual(without);
  });
});

describe('conjugate updates are order-independent', () => {
  it('Beta: exactly equal after any permutation of a batch', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<BinaryOutcome>(0, 1), { maxLength: 60 }), fc.integer(), (ys, seed) => {
        const prior = betaPrior(0.7, 1.3);
        expect(updateBeta(prior, shuffled(ys, seededRandom(seed)))).toEqual(updateBeta(prior, ys));
        // one at a time, in another order, gives the same counts
        const oneByOne = shuffled(ys, seededRandom(seed + 1)).reduce((p, y) => updateBeta(p, [y]), betaPrior(1, 1));
        expect(oneByOne).toEqual(updateBeta(betaPrior(1, 1), ys));
      }),
      { seed: FC.seed, numRuns: 100 },
    );
  });

  it('Normal: equal up to rounding (rel 1e-9) after any permutation, batch or one at a time', () => {
    const outcome = fc.record({
      context: fc.tuple(fc.constant(1), fc.double({ min: -2, max: 2, noNaN: true })),
      reward: fc.double({ min: -5, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(outcome, { minLength: 1, maxLength: 30 }), fc.integer(), (obs, seed) => {
        const prior = normalPrior(0.5, 2, 2);
        const batch = updateNormal(prior, obs, 1.5);
        const permuted = shuffled(obs, seededRandom(seed)).reduce((p, o) => updateNormal(p, [o], 1.5), prior);
        const flat = (p: typeof batch) => [...p.mean, ...p.covariance.flat()];
        const scale = Math.max(...flat(batch).map(Math.abs));
        flat(permuted).forEach((v, i) => expect(Math.abs(v - (flat(batch)[i] as number))).toBeLessThan(1e-9 * scale));
      }),
      { seed: FC.seed, numRuns: 100 },
    );
  });
});

describe('arm weights to priors', () => {
  const weightSets = [[25, 75], [12.5, 12.5, 25, 50], [10, 20, 30, 40], [5, 95], [33.3, 33.3, 33.4], [5, 10, 15, 20, 50]];

  it.each(weightSets)('Beta priors match the weights exactly (closed form) %#', (...weights) => {
    const priors = betaPriorsFromWeights(weights);
    const total = weights.reduce((a, b) => a + b, 0);
    const scores = scoreDistributions(priors);
    weights.forEach((w, j) => expect(exactSelectionProbability(scores, j).probability).toBeCloseTo(w / total, 10));
    expect(betaPriorsFromWeights([1, 1, 1])).toEqual([1, 1, 1].map(() => betaPrior(1, 1)));
  });

  it.each(weightSets)('Normal priors match the weights to 1e-9 (Newton, checked by independent quadrature) %#', (...weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    for (const dimension of [1, 3]) {
      const priors = normalPriorsFromWeights(weights, dimension);
      const scores = scoreDistributions(priors);
      weights.forEach((w, j) => expect(Math.abs(exactSelectionProbability(scores, j).probability - w / total)).toBeLessThan(1e-9));
    }
    expect(normalPriorsFromWeights([1, 1, 1])).toEqual([1, 1, 1].map(() => normalPrior(0, 1)));
    const two = normalPriorsFromWeights([25, 75]);
    expect((two[1]?.mean[0] as number) - (two[0]?.mean[0] as number)).toBeCloseTo(Math.SQRT2 * normalQuantile(0.75), 10);
  });
});
