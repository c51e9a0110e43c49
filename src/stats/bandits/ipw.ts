/**
 * Inverse-propensity estimates of each arm's value from an adaptive experiment's logged draws: what the mean
 * outcome would be if every participant had been given arm a. Each logged draw i (with an outcome) carries
 * the arm Aᵢ it got, the probability pᵢ that arm had of being chosen given everything before it, and the
 * outcome yᵢ. With n logged outcomes:
 *
 *   Horvitz–Thompson  V̂ₐ = (1/n) Σᵢ Zᵢ,  Zᵢ = 1[Aᵢ = a]·yᵢ/pᵢ
 *   self-normalized   Ĥₐ = Σᵢ 1[Aᵢ = a]·yᵢ/pᵢ / Σᵢ 1[Aᵢ = a]/pᵢ   (Hájek; lower variance, slightly biased)
 *
 * V̂ₐ is unbiased whenever every pᵢ is the probability actually used (which is why draws store it): given the
 * history, E[Zᵢ] = μₐ, so the Zᵢ − μₐ are martingale differences. Standard errors use the sample variance of
 * the Zᵢ, SE(V̂ₐ) = √(Σ(Zᵢ − V̂ₐ)² / (n(n − 1))), and the linearization SE(Ĥₐ) = √(n/(n−1)·Σ_{Aᵢ=a}((yᵢ − Ĥₐ)/pᵢ)²) /
 * Σ_{Aᵢ=a} 1/pᵢ; intervals are normal. Caveat: when a bandit drives some pᵢ very small, the weights are
 * heavy-tailed and these intervals are optimistic (adaptively weighted estimators, Hadad et al. 2021, are the
 * remedy); `min_propensity` shows how small the weights' denominators got.
 */
import { normalQuantile } from '../distributions.ts';

/** The sufficient sums for one arm (a database can compute them exactly in two passes; `ipwSums` in JS). */
export interface IpwSums {
  /** Outcomes logged on all arms. */
  readonly n: number;
  /** Outcomes logged on this arm. */
  readonly k: number;
  /** Σ_{Aᵢ=a} yᵢ/pᵢ and Σ_{Aᵢ=a} 1/pᵢ. */
  readonly sumWeighted: number;
  readonly sumWeights: number;
  /** Σᵢ (Zᵢ − V̂ₐ)² over all n outcomes, and Σ_{Aᵢ=a} ((yᵢ − Ĥₐ)/pᵢ)². */
  readonly dev2Ht: number;
  readonly dev2Hajek: number;
  readonly minPropensity: number;
  /** Outcomes on this arm whose logged propensity is 0 (only a Monte Carlo estimate can be). */
  readonly zeroPropensity: number;
}

export interface IpwEstimate {
  readonly mean: number;
  readonly std_error: number;
  readonly ci_lower: number;
  readonly ci_upper: number;
  readonly self_normalized_mean: number;
  readonly self_normalized_std_error: number;
  readonly min_propensity: number;
  /** Outcomes the estimate is built on (all arms). */
  readonly n: number;
}

export const DEFAULT_IPW_LEVEL = 0.95;

/**
 * The estimates, or null when the arm has no outcome yet or a logged propensity of 0 makes them undefined.
 * Standard errors are NaN with a single outcome.
 * @example ipwEstimate(ipwSums([{ arm: 0, outcome: 1, propensity: 0.5 }, { arm: 1, outcome: 0, propensity: 0.5 }], 0))?.mean // 1
 */
export function ipwEstimate(s: IpwSums, level = DEFAULT_IPW_LEVEL): IpwEstimate | null {
  if (s.n === 0 || s.k === 0 || s.zeroPropensity > 0) return null;
  const mean = s.sumWeighted / s.n;
  const correction = s.n > 1 ? s.n / (s.n - 1) : Number.NaN;
  const se = Math.sqrt((s.dev2Ht * correction) / (s.n * s.n));
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    mean,
    std_error: se,
    ci_lower: mean - z * se,
    ci_upper: mean + z * se,
    self_normalized_mean: s.sumWeighted / s.sumWeights,
    self_normalized_std_error: Math.sqrt(s.dev2Hajek * correction) / s.sumWeights,
    min_propensity: s.minPropensity,
    n: s.n,
  };
}

export interface LoggedOutcome<A> {
  readonly arm: A;
  readonly outcome: number;
  readonly propensity: number;
}

/**
 * The sums for arm `arm` from logged outcomes, in two passes (no cancellation).
 * @example ipwSums([{ arm: 'a', outcome: 2, propensity: 0.5 }], 'a') // { n: 1, k: 1, sumWeighted: 4, … }
 */
export function ipwSums<A>(logged: readonly LoggedOutcome<A>[], arm: A): IpwSums {
  let k = 0;
  let sumWeighted = 0;
  let sumWeights = 0;
  let minPropensity = Number.POSITIVE_INFINITY;
  let zeroPropensity = 0;
  for (const r of logged) {
    if (r.arm !== arm) continue;
    k++;
    minPropensity = Math.min(minPropensity, r.propensity);
    if (r.propensity === 0) {
      zeroPropensity++;
      continue;
    }
    sumWeighted += r.outcome / r.propensity;
    sumWeights += 1 / r.propensity;
  }
  const n = logged.length;
  const v = n > 0 ? sumWeighted / n : 0;
  const h = sumWeights > 0 ? sumWeighted / sumWeights : 0;
  let dev2Ht = 0;
  let dev2Hajek = 0;
  for (const r of logged) {
    if (r.arm !== arm) {
      dev2Ht += v * v;
      continue;
    }
    if (r.propensity === 0) continue;
    dev2Ht += (r.outcome / r.propensity - v) ** 2;
    dev2Hajek += ((r.outcome - h) / r.propensity) ** 2;
  }
  return { n, k, sumWeighted, sumWeights, dev2Ht, dev2Hajek, minPropensity: k > 0 ? minPropensity : Number.NaN, zeroPropensity };
}
