/**
 * Conjugate Beta–Bernoulli update: a success adds one to α, a failure one to β. Only the counts of successes and
 * failures enter, so the posterior after a batch does not depend on the order of its outcomes, exactly, even
 * in floating point.
 */
import type { BetaPosterior } from './posterior.ts';

/** A binary reward: 1 success, 0 failure. */
export type BinaryOutcome = 0 | 1;

/**
 * Posterior after the outcomes, in any order.
 * @example updateBeta({ kind: 'beta', alpha: 1, beta: 1 }, [1]) // { kind: 'beta', alpha: 2, beta: 1 }
 */
export function updateBeta(posterior: BetaPosterior, outcomes: readonly BinaryOutcome[]): BetaPosterior {
  let successes = 0;
  for (const y of outcomes) {
    if (y !== 0 && y !== 1) throw new RangeError(`binary outcome must be 0 or 1, got ${String(y)}`);
    successes += y;
  }
  return { kind: 'beta', alpha: posterior.alpha + successes, beta: posterior.beta + (outcomes.length - successes) };
}
