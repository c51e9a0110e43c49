/**
 * What Thompson sampling compares between arms: each arm's random "score" under its posterior. For a Beta
 * arm the score is θ ~ Beta(α, β). For a Normal arm with context x it is θᵀx ~ N(xᵀμ, xᵀΣx) (the logistic
 * link of binary rewards is increasing, so it never changes which arm wins and is left out). Arms are
 * independent, so these one-dimensional distributions are all that selection probabilities depend on.
 */
import type { ArmPosterior } from './posterior.ts';
import { dot, quadraticForm, type Vector } from './spd-matrix.ts';

export type ScoreDistribution =
  | { readonly kind: 'beta'; readonly alpha: number; readonly beta: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number };

/**
 * Score distributions of the arms under a context (default: all ones, i.e. a plain multi-armed bandit).
 * @example scoreDistributions([normalPrior(0, 1, 2)], [1, 0.5]) // [{ kind: 'normal', mean: 0, sd: 1.118… }]
 */
export function scoreDistributions(arms: readonly ArmPosterior[], context?: Vector): ScoreDistribution[] {
  if (arms.length === 0) throw new RangeError('at least one arm is needed');
  const kind = arms[0]?.kind;
  if (arms.some((a) => a.kind !== kind)) throw new RangeError('all arms must share one prior type');
  return arms.map((arm) => {
    if (arm.kind === 'beta') {
      if (context !== undefined && context.length > 0) throw new RangeError('Beta arms take no context');
      return { kind: 'beta', alpha: arm.alpha, beta: arm.beta };
    }
    const x = context ?? arm.mean.map(() => 1);
    if (x.length !== arm.mean.length) {
      throw new RangeError(`context has ${x.length} values, the arm has ${arm.mean.length} coefficients`);
    }
    return { kind: 'normal', mean: dot(x, arm.mean), sd: Math.sqrt(Math.max(0, quadraticForm(arm.covariance, x))) };
  });
}
