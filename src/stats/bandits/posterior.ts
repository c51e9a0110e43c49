/**
 * Posterior values for bandit arms. They are immutable: every update returns a new value, so a stored
 * posterior can be compared, cached and replayed.
 * - `BetaPosterior`: Beta(α, β) on the success probability of a binary reward.
 * - `NormalPosterior`: N(μ, Σ) on the d regression coefficients θ of an arm (d = number of contexts, 1 for a
 *   plain multi-armed bandit whose "context" is the constant 1). Real-valued rewards use it as a conjugate
 *   linear model r = θᵀx + ε; binary rewards use it as a logistic model P(y = 1) = logistic(θᵀx), updated by
 *   a Laplace approximation.
 */
import { identity, type Matrix, type Vector } from './spd-matrix.ts';

export interface BetaPosterior {
  readonly kind: 'beta';
  readonly alpha: number;
  readonly beta: number;
}

export interface NormalPosterior {
  readonly kind: 'normal';
  readonly mean: Vector;
  readonly covariance: Matrix;
}

export type ArmPosterior = BetaPosterior | NormalPosterior;

/** How an arm's reward relates to its parameters; decides the update and the score link. */
export type RewardModel = 'beta-bernoulli' | 'normal-linear' | 'normal-logistic';

/**
 * A Beta(α, β) prior; both must be positive.
 * @example betaPrior(1, 1) // uniform on the success rate
 */
export function betaPrior(alpha: number, beta: number): BetaPosterior {
  if (!(alpha > 0) || !(beta > 0) || !Number.isFinite(alpha) || !Number.isFinite(beta)) {
    throw new RangeError(`Beta prior needs α > 0 and β > 0, got (${alpha}, ${beta})`);
  }
  return { kind: 'beta', alpha, beta };
}

/**
 * The N(μ·1, σ²·I) prior of an arm with `dimension` coefficients. `sd` is a standard deviation, as the API
 * documents `sigma_init`. (The reference puts `sigma_init` on the covariance diagonal unsquared; pass
 * `Math.sqrt(sigma_init)` to reproduce it.)
 * @example normalPrior(0, 1, 2) // { mean: [0, 0], covariance: [[1, 0], [0, 1]] }
 */
export function normalPrior(mean: number, sd: number, dimension = 1): NormalPosterior {
  if (!(sd > 0) || !Number.isFinite(sd) || !Number.isFinite(mean)) {
    throw new RangeError(`Normal prior needs a finite mean and sd > 0, got (${mean}, ${sd})`);
  }
  if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`dimension must be ≥ 1, got ${dimension}`);
  return { kind: 'normal', mean: new Array<number>(dimension).fill(mean), covariance: identity(dimension, sd * sd) };
}
