/**
 * Thompson sampling arm choice, plain or top-two, returning with every choice the probability it had of being
 * made (its propensity, which later makes inverse-propensity-weighted evaluation unbiased).
 *
 * One draw: sample every arm's score from its posterior (see `score-distribution.ts`; sampling the scalar
 * score θᵀx ~ N(xᵀμ, xᵀΣx) is the same in distribution as sampling θ ~ N(μ, Σ) and projecting, and needs no
 * Cholesky factor). Plain TS plays the best score. Top-two TS (from TOP_TWO_MIN_ARMS arms on) takes the leader
 * and the runner-up of that same draw and plays the leader with probability β, else the runner-up (one extra
 * uniform). β = 0.5 by default, Russo's (2016) recommended value; the reference used 0.9.
 *
 * Propensities are exact (quadrature, `selection-probability.ts`) and fall back to a Monte Carlo estimate of
 * MONTE_CARLO_DRAWS draws only when quadrature cannot apply. The Monte Carlo stream is seeded from the cache
 * key, not taken from the caller's generator, so the arm chosen for a seed never depends on cache hits.
 */
import type { Random } from '../random.ts';
import { seededRandom } from '../random.ts';
import { MONTE_CARLO_DRAWS, leaderAndRunnerUp, monteCarloSelectionProbabilities, sampleScore } from './monte-carlo-selection.ts';
import type { ArmPosterior } from './posterior.ts';
import { cacheGet, cacheSet, type PropensityCache } from './propensity-cache.ts';
import { exactSelectionProbability } from './selection-probability.ts';
import { scoreDistributions, type ScoreDistribution } from './score-distribution.ts';
import type { Vector } from './spd-matrix.ts';

/** From this many arms on, top-two sampling is used (as in the reference). */
export const TOP_TWO_MIN_ARMS = 5;
/** Probability of playing the leader under top-two sampling. */
export const DEFAULT_TOP_TWO_BETA = 0.5;

export interface ArmChoiceOptions {
  /** Context values for Normal arms, in the arms' coefficient order; default all ones (plain bandit). */
  readonly context?: Vector;
  /** Leader probability for top-two sampling. */
  readonly topTwoBeta?: number;
  /** Arm count from which top-two sampling is used; `Infinity` turns it off. */
  readonly topTwoMinArms?: number;
  /** Caller-owned cache of propensities; without one every call computes them afresh. */
  readonly cache?: PropensityCache;
}

export interface ArmChoice {
  /** Index of the chosen arm in the input order (callers sort arms by id first, as the reference does). */
  readonly arm: number;
  /** Probability that this arm was chosen, given the posteriors and context. */
  readonly propensity: number;
  readonly propensityMethod: 'exact' | 'monte-carlo';
  /** Leader of the draw, and the runner-up when top-two sampling was used. */
  readonly leader: number;
  readonly challenger: number | undefined;
  readonly topTwo: boolean;
}

/**
 * Chooses an arm by (top-two) Thompson sampling.
 * @example chooseArm([betaPrior(3, 1), betaPrior(1, 3)], seededRandom(1)) // { arm: 0, propensity: 0.95, … }
 */
export function chooseArm(arms: readonly ArmPosterior[], random: Random, options: ArmChoiceOptions = {}): ArmChoice {
  const scores = scoreDistributions(arms, options.context);
  const topTwoBeta = options.topTwoBeta ?? DEFAULT_TOP_TWO_BETA;
  const topTwo = arms.length >= (options.topTwoMinArms ?? TOP_TWO_MIN_ARMS) && arms.length >= 2;
  const { leader, runnerUp } = leaderAndRunnerUp(scores.map((s) => sampleScore(s, random)), random);
  let arm = leader;
  if (topTwo && runnerUp !== undefined && random.next() >= topTwoBeta) arm = runnerUp;
  const { probability, method } = selectionProbability(scores, arm, topTwo ? topTwoBeta : undefined, options.cache);
  return { arm, propensity: probability, propensityMethod: method, leader, challenger: topTwo ? runnerUp : undefined, topTwo };
}

/**
 * Probability that `arm` is selected (exact when possible), through the cache when one is given.
 * @example selectionProbability(scoreDistributions([betaPrior(2, 1), betaPrior(1, 1)]), 0) // { probability: 0.6667, … }
 */
export function selectionProbability(
  scores: readonly ScoreDistribution[],
  arm: number,
  topTwoBeta: number | undefined,
  cache?: PropensityCache,
): { probability: number; method: 'exact' | 'monte-carlo' } {
  const key = propensityKey(scores, arm, topTwoBeta);
  const cached = cache === undefined ? undefined : cacheGet(cache, key);
  if (cached !== undefined) return cached;
  const exact = exactSelectionProbability(scores, arm, topTwoBeta);
  const result = exact.converged
    ? { probability: exact.probability, method: 'exact' as const }
    : {
        probability: monteCarloSelectionProbabilities(scores, topTwoBeta, seededRandom(fnv1a(key)), MONTE_CARLO_DRAWS)[arm] as number,
        method: 'monte-carlo' as const,
      };
  if (cache !== undefined) cacheSet(cache, key, result);
  return result;
}

/** Exact text of every parameter (JSON numbers round-trip), the mechanism and the arm. */
export function propensityKey(scores: readonly ScoreDistribution[], arm: number, topTwoBeta: number | undefined): string {
  const parts = scores.map((s) => (s.kind === 'beta' ? `b${s.alpha},${s.beta}` : `n${s.mean},${s.sd}`));
  return `${topTwoBeta ?? 'ts'}|${arm}|${parts.join(';')}`;
}

/** 32-bit FNV-1a hash: a stable seed from a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
