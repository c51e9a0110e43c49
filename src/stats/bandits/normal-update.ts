/**
 * Conjugate update of a Normal posterior for real-valued rewards r = θᵀx + ε, ε ~ N(0, σ²) with σ² known
 * (Bayesian linear regression). In precision form, with Λ = Σ⁻¹:
 *   Λ' = Λ + Σᵢ xᵢxᵢᵀ / σ²,   μ' = Λ'⁻¹ (Λμ + Σᵢ xᵢrᵢ / σ²),   Σ' = Λ'⁻¹.
 * The data enter only through sums, so a batch gives the same posterior in any order (up to rounding, ~1e-15
 * relative). The reference used (xᵀx)·I instead of the outer product xxᵀ, which is only right for d = 1.
 */
import type { NormalPosterior } from './posterior.ts';
import { matVec, spdInverse, type Vector } from './spd-matrix.ts';

/** One observed reward with the context it was drawn under (`[1]` for a plain multi-armed bandit). */
export interface ContextualOutcome<R = number> {
  readonly context: Vector;
  readonly reward: R;
}

/** The reference fixes the likelihood variance at 1; a different outcome scale should pass its own. */
export const DEFAULT_NOISE_VARIANCE = 1;

/**
 * Posterior after real-valued outcomes with known noise variance σ².
 * @example updateNormal(normalPrior(0, 1), [{ context: [1], reward: 2 }]) // mean [1], covariance [[0.5]]
 */
export function updateNormal(
  posterior: NormalPosterior,
  outcomes: readonly ContextualOutcome[],
  noiseVariance = DEFAULT_NOISE_VARIANCE,
): NormalPosterior {
  if (!(noiseVariance > 0)) throw new RangeError(`noise variance must be > 0, got ${noiseVariance}`);
  const d = posterior.mean.length;
  const precision = spdInverse(posterior.covariance);
  const information = matVec(precision, posterior.mean);
  for (const { context: x, reward } of outcomes) {
    if (x.length !== d) throw new RangeError(`context has ${x.length} values, the arm has ${d} coefficients`);
    if (!Number.isFinite(reward)) throw new RangeError(`reward must be finite, got ${reward}`);
    for (let i = 0; i < d; i++) {
      const xi = x[i] as number;
      information[i] = (information[i] as number) + (xi * reward) / noiseVariance;
      const row = precision[i] as number[];
      for (let j = 0; j < d; j++) row[j] = (row[j] as number) + (xi * (x[j] as number)) / noiseVariance;
    }
  }
  const covariance = spdInverse(precision);
  return { kind: 'normal', mean: matVec(covariance, information), covariance };
}
