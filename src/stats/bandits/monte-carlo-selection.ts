/**
 * Monte Carlo estimate of every arm's selection probability under (top-two) Thompson sampling: the fallback
 * when quadrature cannot be used (an arm with a zero-variance score, e.g. an all-zero context) and a
 * cross-check of it in tests. The top-two split is Rao–Blackwellised: each draw credits β to its leader and
 * 1 − β to its runner-up instead of flipping a coin, which is unbiased and has lower variance.
 */
import { sampleBeta, standardNormal } from '../sampling.ts';
import type { Random } from '../random.ts';
import type { ScoreDistribution } from './score-distribution.ts';

/** Draws per estimate: standard error ≤ 0.5/√10 000 = 0.005 per probability. */
export const MONTE_CARLO_DRAWS = 10_000;

/**
 * Estimated selection probability of each arm (they sum to 1).
 * @example monteCarloSelectionProbabilities(scores, undefined, seededRandom(1)) // e.g. [0.2391, 0.7609]
 */
export function monteCarloSelectionProbabilities(
  scores: readonly ScoreDistribution[],
  topTwoBeta: number | undefined,
  random: Random,
  draws = MONTE_CARLO_DRAWS,
): number[] {
  const credit = new Array<number>(scores.length).fill(0);
  for (let d = 0; d < draws; d++) {
    const { leader, runnerUp } = leaderAndRunnerUp(scores.map((s) => sampleScore(s, random)), random);
    if (topTwoBeta === undefined || runnerUp === undefined) {
      credit[leader] = (credit[leader] as number) + 1;
    } else {
      credit[leader] = (credit[leader] as number) + topTwoBeta;
      credit[runnerUp] = (credit[runnerUp] as number) + (1 - topTwoBeta);
    }
  }
  return credit.map((c) => c / draws);
}

/** One draw of an arm's score. */
export function sampleScore(score: ScoreDistribution, random: Random): number {
  return score.kind === 'beta' ? sampleBeta(score.alpha, score.beta, random) : score.mean + score.sd * standardNormal(random);
}

/**
 * Indexes of the largest and second-largest values. Exact ties (possible only with zero-variance scores) are
 * broken uniformly at random, consuming one extra uniform only when a tie occurs.
 */
export function leaderAndRunnerUp(values: readonly number[], random: Random): { leader: number; runnerUp: number | undefined } {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v || a.i - b.i);
  const top = order.filter((o) => o.v === order[0]?.v);
  if (top.length > 1) {
    const picked = top.map((o) => o.i);
    const leaderAt = random.int(picked.length);
    const leader = picked[leaderAt] as number;
    const rest = picked.filter((_, k) => k !== leaderAt);
    return { leader, runnerUp: rest[random.int(rest.length)] };
  }
  const leader = order[0]?.i as number;
  const second = order.filter((o) => o.i !== leader);
  const runnerTop = second.filter((o) => o.v === second[0]?.v).map((o) => o.i);
  const runnerUp = runnerTop.length > 1 ? runnerTop[random.int(runnerTop.length)] : runnerTop[0];
  return { leader, runnerUp };
}
