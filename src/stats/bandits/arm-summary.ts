/**
 * Per-arm summaries for the bandit analysis (`BanditArmAnalysis`: prior_pred_* and post_pred_* fields), for
 * the prior and for the current posterior alike. For each: the expected reward (`mean`), the standard
 * deviation of one future reward (`stdev`), and a central credible interval for the arm's mean reward
 * (`ciLower`, `ciUpper`, 95% by default). All are exact or computed by quadrature; none uses Monte Carlo.
 * - Beta–Bernoulli: mean α/(α+β); stdev √(m(1−m)) (a Bernoulli outcome); CI from exact Beta quantiles.
 * - Normal, real-valued: mean xᵀμ; stdev √(xᵀΣx + s²) with s the outcome noise SD; CI xᵀμ ± z·√(xᵀΣx).
 * - Normal, binary (logistic): mean E[logistic(θᵀx)] by quadrature; stdev √(m(1−m)); CI logistic(xᵀμ ± z·√(xᵀΣx)).
 */
import { betaQuantile, normalQuantile } from '../distributions.ts';
import { logistic } from './logistic-laplace.ts';
import type { ArmPosterior, BetaPosterior, NormalPosterior, RewardModel } from './posterior.ts';
import { integrate } from './quadrature.ts';
import { dot, quadraticForm, type Vector } from './spd-matrix.ts';

export const DEFAULT_CREDIBLE_LEVEL = 0.95;
/** Absolute accuracy of the logistic predictive mean (a probability). */
const LOGISTIC_MEAN_TOLERANCE = 1e-14;
const LOGISTIC_RANGE_SD = 12;

export interface PredictiveSummary {
  readonly mean: number;
  readonly stdev: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface SummaryOptions {
  /** Context for Normal arms (default all ones). */
  readonly context?: Vector;
  /** Credible level of the interval (default 0.95). */
  readonly level?: number;
  /** z multiplier for Normal intervals; default the exact normal quantile (1.95996… at 95%). The reference used 1.96. */
  readonly criticalValue?: number;
  /** Standard deviation of one real-valued outcome around its mean (default 1, the update's noise SD). */
  readonly outcomeStdev?: number;
}

/**
 * Summary of one prior or posterior under a reward model.
 * @example summarize('beta-bernoulli', { kind: 'beta', alpha: 11, beta: 21 })
 *   // { mean: 0.34375, stdev: 0.4749…, ciLower: 0.19226…, ciUpper: 0.51372… }
 */
export function summarize(model: RewardModel, posterior: ArmPosterior, options: SummaryOptions = {}): PredictiveSummary {
  if (model === 'beta-bernoulli') {
    if (posterior.kind !== 'beta') throw new RangeError('beta-bernoulli needs a Beta posterior');
    return summarizeBeta(posterior, options.level);
  }
  if (posterior.kind !== 'normal') throw new RangeError(`${model} needs a Normal posterior`);
  return model === 'normal-linear' ? summarizeLinear(posterior, options) : summarizeLogistic(posterior, options);
}

function summarizeBeta(p: BetaPosterior, level = DEFAULT_CREDIBLE_LEVEL): PredictiveSummary {
  const mean = p.alpha / (p.alpha + p.beta);
  const tail = (1 - level) / 2;
  return {
    mean,
    stdev: Math.sqrt(mean * (1 - mean)),
    ciLower: betaQuantile(tail, p.alpha, p.beta),
    ciUpper: betaQuantile(1 - tail, p.alpha, p.beta),
  };
}

function latent(p: NormalPosterior, options: SummaryOptions): { mean: number; variance: number; z: number } {
  const x = options.context ?? p.mean.map(() => 1);
  if (x.length !== p.mean.length) throw new RangeError(`context has ${x.length} values, the arm has ${p.mean.length} coefficients`);
  const level = options.level ?? DEFAULT_CREDIBLE_LEVEL;
  return {
    mean: dot(x, p.mean),
    variance: quadraticForm(p.covariance, x),
    z: options.criticalValue ?? normalQuantile(1 - (1 - level) / 2),
  };
}

function summarizeLinear(p: NormalPosterior, options: SummaryOptions): PredictiveSummary {
  const { mean, variance, z } = latent(p, options);
  const s = options.outcomeStdev ?? 1;
  const half = z * Math.sqrt(variance);
  return { mean, stdev: Math.sqrt(variance + s * s), ciLower: mean - half, ciUpper: mean + half };
}

function summarizeLogistic(p: NormalPosterior, options: SummaryOptions): PredictiveSummary {
  const { mean: m, variance, z } = latent(p, options);
  const sd = Math.sqrt(variance);
  const mean =
    sd === 0
      ? logistic(m)
      : integrate((u) => (Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI)) * logistic(m + sd * u), -LOGISTIC_RANGE_SD, LOGISTIC_RANGE_SD, LOGISTIC_MEAN_TOLERANCE).value;
  return { mean, stdev: Math.sqrt(mean * (1 - mean)), ciLower: logistic(m - z * sd), ciUpper: logistic(m + z * sd) };
}
