/**
 * Priors from arm weights: choose priors under which each arm's prior probability of being the best equals
 * its weight, so that the first draws follow the weights and the data then take over.
 *
 * Beta (exact, closed form for any number of arms). With βₙ = 1, Xₙ ~ Beta(αₙ, 1) has CDF x^αₙ, so
 *   P(n is best) = ∫₀¹ αₙ x^(αₙ−1) Πᵢ≠ₙ x^αᵢ dx = αₙ / Σᵢ αᵢ.
 * Any αₙ ∝ pₙ matches the weights exactly; we take αₙ = K·pₙ (K arms), so Σα = K as under the default
 * Beta(1, 1) priors, and equal weights give exactly α = β = 1. (The reference fits an approximate objective
 * numerically and can collapse an arm to α ≈ 0.)
 *
 * Normal (numerical; no closed form beyond two arms). With unit prior variances, P(n is best) =
 * ∫ φ(t − μₙ) Πᵢ≠ₙ Φ(t − μᵢ) dt. For K = 2 this is Φ((μₙ − μₘ)/√2). For K > 2 we solve P(μ) = p by Newton's
 * method with the exact Jacobian ∂Pₙ/∂μₘ = −∫ φ(t − μₙ) φ(t − μₘ) Πᵢ≠ₙ,ₘ Φ(t − μᵢ) dt (m ≠ n), all integrals
 * by the trapezoid rule on a fine grid (exponentially accurate for these smooth, Gaussian-tailed integrands),
 * to max |P − p| ≤ WEIGHTS_TOLERANCE; the means are then centred to sum to 0, and equal weights give μ = 0.
 * With d contexts the prior is N(c·1, I) with c = μ/√d, which reproduces the probabilities at the all-ones
 * context (score mean d·c = √d·μ, variance d).
 */
import { normalCdf, normalPdf } from '../distributions.ts';
import type { BetaPosterior, NormalPosterior } from './posterior.ts';
import { choleskyLower, choleskySolve, identity } from './spd-matrix.ts';

/** Target accuracy of the prior probabilities of being best. */
export const WEIGHTS_TOLERANCE = 1e-12;
const MAX_ITERATIONS = 100;
/** Trapezoid step and half-range (in prior standard deviations) for the Normal integrals. */
const GRID_STEP = 0.02;
const GRID_RANGE_SD = 12;

/**
 * Beta priors whose probabilities of being best equal the weights (any positive scale, e.g. percent).
 * @example betaPriorsFromWeights([25, 75]) // [{ alpha: 0.5, beta: 1 }, { alpha: 1.5, beta: 1 }]
 */
export function betaPriorsFromWeights(weights: readonly number[]): BetaPosterior[] {
  const p = probabilities(weights);
  return p.map((pn) => ({ kind: 'beta', alpha: p.length * pn, beta: 1 }));
}

/**
 * Normal priors N(c·1, I_d) whose probabilities of being best equal the weights.
 * @example normalPriorsFromWeights([25, 75]) // means ≈ [−0.477], [0.477]
 */
export function normalPriorsFromWeights(weights: readonly number[], dimension = 1): NormalPosterior[] {
  const means = normalMeansForProbabilities(probabilities(weights));
  return means.map((mu) => ({
    kind: 'normal',
    mean: new Array<number>(dimension).fill(mu / Math.sqrt(dimension)),
    covariance: identity(dimension),
  }));
}

/** Means μ (unit variances, Σμ = 0) with P(n is best) = pₙ. */
export function normalMeansForProbabilities(p: readonly number[]): number[] {
  const k = p.length;
  const mu = new Array<number>(k).fill(0);
  let residual = maxAbs(bestProbabilities(mu).map((v, i) => (p[i] as number) - v));
  for (let iteration = 0; iteration < MAX_ITERATIONS && residual > WEIGHTS_TOLERANCE; iteration++) {
    const { probabilities: current, jacobian } = bestProbabilitiesWithJacobian(mu);
    // The last mean is held fixed: shifting every mean changes nothing, so the full Jacobian is singular; the
    // reduced one is symmetric and strictly diagonally dominant, hence positive definite.
    const reduced = jacobian.slice(0, k - 1).map((row) => row.slice(0, k - 1));
    const lower = choleskyLower(reduced);
    if (lower === undefined) throw new RangeError('weights too extreme for a Normal prior (Jacobian singular)');
    const step = choleskySolve(lower, current.slice(0, k - 1).map((v, i) => (p[i] as number) - v));
    let t = 1;
    for (; t > 1e-6; t /= 2) {
      const trial = mu.map((m, i) => (i < k - 1 ? m + t * (step[i] as number) : m));
      const trialResidual = maxAbs(bestProbabilities(trial).map((v, i) => (p[i] as number) - v));
      if (trialResidual < residual) {
        mu.splice(0, k, ...trial);
        residual = trialResidual;
        break;
      }
    }
    if (t <= 1e-6) break; // no further progress possible at double precision
  }
  const centre = mu.reduce((a, b) => a + b, 0) / k;
  return mu.map((m) => m - centre);
}

/**
 * P(n is best) for independent N(μₙ, 1) scores.
 * @example bestProbabilities([0, 0, 0]) // [1/3, 1/3, 1/3]
 */
export function bestProbabilities(mu: readonly number[]): number[] {
  return bestProbabilitiesWithJacobian(mu, false).probabilities;
}

function bestProbabilitiesWithJacobian(
  mu: readonly number[],
  withJacobian = true,
): { probabilities: number[]; jacobian: number[][] } {
  const k = mu.length;
  const lo = Math.min(...mu) - GRID_RANGE_SD;
  const hi = Math.max(...mu) + GRID_RANGE_SD;
  const steps = Math.ceil((hi - lo) / GRID_STEP);
  const h = (hi - lo) / steps;
  const probabilities = new Array<number>(k).fill(0);
  const jacobian = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let s = 0; s <= steps; s++) {
    const t = lo + s * h;
    const w = s === 0 || s === steps ? h / 2 : h;
    const cdf = mu.map((m) => normalCdf(t - m));
    const pdf = mu.map((m) => normalPdf(t - m));
    for (let n = 0; n < k; n++) {
      let others = 1;
      for (let i = 0; i < k; i++) if (i !== n) others *= cdf[i] as number;
      probabilities[n] = (probabilities[n] as number) + w * (pdf[n] as number) * others;
      if (!withJacobian) continue;
      for (let m = n + 1; m < k; m++) {
        let rest = 1;
        for (let i = 0; i < k; i++) if (i !== n && i !== m) rest *= cdf[i] as number;
        const v = -w * (pdf[n] as number) * (pdf[m] as number) * rest;
        (jacobian[n] as number[])[m] = ((jacobian[n] as number[])[m] as number) + v;
        (jacobian[m] as number[])[n] = ((jacobian[m] as number[])[n] as number) + v;
      }
    }
  }
  for (let n = 0; n < k; n++) {
    const row = jacobian[n] as number[];
    row[n] = -row.reduce((a, v, m) => (m === n ? a : a + v), 0);
  }
  return { probabilities, jacobian };
}

function probabilities(weights: readonly number[]): number[] {
  if (weights.length < 2) throw new RangeError('at least two arm weights are needed');
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new RangeError('arm weights must be positive');
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function maxAbs(values: readonly number[]): number {
  return values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
}
