/**
 * Laplace-approximation update of a Normal posterior for binary rewards, P(y = 1 | x) = logistic(θᵀx).
 * With the current posterior N(μ, Σ) as prior (precision Λ = Σ⁻¹), the new posterior is N(θ̂, H⁻¹) where θ̂
 * minimises the negative log posterior
 *   J(θ) = ½(θ − μ)ᵀΛ(θ − μ) − Σᵢ [yᵢ log p(xᵢᵀθ) + (1 − yᵢ) log(1 − p(xᵢᵀθ))],   p = logistic,
 * and H = Λ + Σᵢ pᵢ(1 − pᵢ) xᵢxᵢᵀ is its exact Hessian at θ̂.
 *
 * J is strictly convex (Λ is positive definite), so Newton's method with Armijo backtracking converges from
 * any start; we start at μ. Convergence: stop when the Newton decrement λ² = gᵀH⁻¹g falls to
 * NEWTON_DECREMENT_TOLERANCE (J is then within λ²/2 of its minimum and θ within ~λ of θ̂ in the H-norm,
 * i.e. ~1e-10 prior standard deviations); at most MAX_NEWTON_ITERATIONS (never reached in practice: the
 * convergence is quadratic, usually 4–8 iterations).
 *
 * Differences from the reference: the covariance is the exact inverse Hessian (not L-BFGS's approximation);
 * each outcome is used once (the caller passes only outcomes not yet in the prior, or all outcomes with the
 * initial prior), never the last 100 outcomes again on top of a posterior that already contains them.
 */
import type { BinaryOutcome } from './beta-update.ts';
import type { ContextualOutcome } from './normal-update.ts';
import type { NormalPosterior } from './posterior.ts';
import { choleskyLower, choleskySolve, dot, matVec, spdInverse, type Vector } from './spd-matrix.ts';

export const NEWTON_DECREMENT_TOLERANCE = 1e-20;
export const MAX_NEWTON_ITERATIONS = 100;
/** Armijo sufficient-decrease constant: accept a step that achieves 1e-4 of the predicted decrease. */
const ARMIJO = 1e-4;

export interface LaplaceFit {
  readonly posterior: NormalPosterior;
  readonly iterations: number;
  /** False only if MAX_NEWTON_ITERATIONS ran out (the posterior is then the best point reached). */
  readonly converged: boolean;
}

/**
 * Laplace posterior after binary outcomes, starting from `prior` (the current posterior for an online update,
 * or the initial prior with all outcomes for a batch refit).
 * @example laplaceLogisticUpdate(normalPrior(0, 1), [{ context: [1], reward: 1 }]).posterior
 *   // mean [0.401058142…], covariance [[0.806314729…]]
 */
export function laplaceLogisticUpdate(
  prior: NormalPosterior,
  outcomes: readonly ContextualOutcome<BinaryOutcome>[],
): LaplaceFit {
  const d = prior.mean.length;
  for (const { context, reward } of outcomes) {
    if (context.length !== d) throw new RangeError(`context has ${context.length} values, the arm has ${d} coefficients`);
    if (reward !== 0 && reward !== 1) throw new RangeError(`binary reward must be 0 or 1, got ${String(reward)}`);
  }
  const precision = spdInverse(prior.covariance);
  const objective = (theta: Vector): number => {
    const diff = theta.map((t, i) => t - (prior.mean[i] as number));
    let value = 0.5 * dot(diff, matVec(precision, diff));
    for (const { context, reward } of outcomes) {
      const z = dot(context, theta);
      value += reward === 1 ? softplus(-z) : softplus(z); // −log p(z) and −log(1 − p(z))
    }
    return value;
  };

  let theta: number[] = prior.mean.slice();
  let iterations = 0;
  let converged = false;
  for (; iterations < MAX_NEWTON_ITERATIONS; iterations++) {
    const { gradient, hessian } = derivatives(theta);
    const lower = choleskyLower(hessian);
    if (lower === undefined) throw new RangeError('Hessian lost positive definiteness (prior covariance ill-conditioned)');
    const step = choleskySolve(lower, gradient).map((v) => -v);
    const decrement = -dot(gradient, step); // λ² = gᵀH⁻¹g ≥ 0
    if (decrement <= NEWTON_DECREMENT_TOLERANCE) {
      converged = true;
      break;
    }
    const current = objective(theta);
    let t = 1;
    let candidate = theta.map((v, i) => v + (step[i] as number));
    while (objective(candidate) > current - ARMIJO * t * decrement && t > 1e-10) {
      t /= 2;
      candidate = theta.map((v, i) => v + t * (step[i] as number));
    }
    theta = candidate;
  }
  const covariance = spdInverse(derivatives(theta).hessian);
  return { posterior: { kind: 'normal', mean: theta, covariance }, iterations, converged };

  function derivatives(at: Vector): { gradient: number[]; hessian: number[][] } {
    const gradient = matVec(precision, at.map((t, i) => t - (prior.mean[i] as number)));
    const hessian = precision.map((row) => row.slice());
    for (const { context: x, reward } of outcomes) {
      const p = logistic(dot(x, at));
      const w = p * (1 - p);
      for (let i = 0; i < d; i++) {
        const xi = x[i] as number;
        gradient[i] = (gradient[i] as number) - (reward - p) * xi;
        const row = hessian[i] as number[];
        for (let j = 0; j < d; j++) row[j] = (row[j] as number) + w * xi * (x[j] as number);
      }
    }
    return { gradient, hessian };
  }
}

/**
 * The logistic function 1/(1 + e^(−z)), without overflow for large |z|.
 * @example logistic(0) // 0.5
 */
export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z), stable for large |z|. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
