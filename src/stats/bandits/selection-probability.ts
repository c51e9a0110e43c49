/**
 * Exact probabilities that Thompson sampling picks an arm, for independent arms with any number of arms.
 * With score densities fᵢ, CDFs Fᵢ and survival functions Sᵢ = 1 − Fᵢ:
 *   P(j is best)   = ∫ fⱼ(t) Πᵢ≠ⱼ Fᵢ(t) dt
 *   P(j is second) = ∫ fⱼ(t) Σₖ≠ⱼ Sₖ(t) Πᵢ≠ⱼ,ₖ Fᵢ(t) dt
 * and top-two sampling that plays the leader with probability β picks j with
 *   β·P(j is best) + (1 − β)·P(j is second).
 * These are one-dimensional integrals because the arms are independent, so no Monte Carlo is needed: they are
 * computed by adaptive quadrature to an absolute error of SELECTION_ABS_TOLERANCE. For two arms they reduce
 * to the familiar closed forms (two Normals: Φ((m₁ − m₀)/√(s₀² + s₁²))), which is what we use there.
 *
 * Beta densities with α < 1 (or β < 1) have a pole at 0 (or 1); there the integral substitutes v = tᵅ (or
 * w = (1 − t)^β), which makes the integrand bounded. Normal integrals run over ±NORMAL_RANGE_SD standard deviations
 * of arm j (the mass outside is < 1e-32). Panels are pre-split around every arm's bulk so that narrow peaks
 * (large counts) are never stepped over.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { betaCdf, betaSf, normalCdf, normalSf } from '../distributions.ts';
import { integrate } from './quadrature.ts';
import type { ScoreDistribution } from './score-distribution.ts';

/** Absolute error target for selection probabilities (they feed inverse-propensity weights). */
export const SELECTION_ABS_TOLERANCE = 1e-12;
/** Relative accuracy asked of probabilities below SELECTION_ABS_TOLERANCE / SMALL_RELATIVE_TOLERANCE = 0.01. */
export const SMALL_RELATIVE_TOLERANCE = 1e-10;
const NORMAL_RANGE_SD = 12;
/** Beta integrals run separately over [0, ½] and [½, 1], each with its own pole-absorbing substitution. */
const BETA_SPLIT = 0.5;
/** Break points, in standard deviations, around arm j and around the other arms. */
const OWN_BREAKS_SD = [-8, -4, -2, -1, 0, 1, 2, 4, 8];
const OTHER_BREAKS_SD = [0];

export interface SelectionProbability {
  readonly probability: number;
  /** False when quadrature did not reach its tolerance (callers then fall back to Monte Carlo). */
  readonly converged: boolean;
}

/**
 * Probability that arm `arm` is selected: plain Thompson sampling when `topTwoBeta` is undefined, otherwise
 * top-two sampling that plays the leader with probability `topTwoBeta`.
 * @example exactSelectionProbability([{ kind: 'normal', mean: 0, sd: 1 }, { kind: 'normal', mean: 1, sd: 1 }], 1)
 *   // { probability: Φ(1/√2) = 0.7602…, converged: true }
 */
export function exactSelectionProbability(
  scores: readonly ScoreDistribution[],
  arm: number,
  topTwoBeta?: number,
): SelectionProbability {
  const own = scores[arm];
  if (own === undefined) throw new RangeError(`arm ${arm} out of range`);
  if (topTwoBeta !== undefined && !(topTwoBeta >= 0 && topTwoBeta <= 1)) {
    throw new RangeError(`top-two β must be in [0, 1], got ${topTwoBeta}`);
  }
  if (scores.length === 1) return { probability: 1, converged: true };
  const others = scores.filter((_, i) => i !== arm);
  if (own.kind === 'normal' && scores.length === 2 && topTwoBeta === undefined) {
    const other = others[0] as Extract<ScoreDistribution, { kind: 'normal' }>;
    const sd = Math.hypot(own.sd, other.sd);
    if (sd > 0) return { probability: normalCdf((own.mean - other.mean) / sd), converged: true };
  }
  const needsSurvival = topTwoBeta !== undefined && topTwoBeta !== 1;
  const weight = (cdfs: readonly number[], sfs: readonly number[]): number => {
    let best = 1;
    for (const c of cdfs) best *= c;
    if (topTwoBeta === undefined || topTwoBeta === 1) return best;
    // Σₖ Sₖ Πᵢ≠ₖ Fᵢ with prefix/suffix products: no division by a CDF that may be 0.
    const n = cdfs.length;
    const suffix = new Array<number>(n + 1).fill(1);
    for (let i = n - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] as number) * (cdfs[i] as number);
    let prefix = 1;
    let second = 0;
    for (let k = 0; k < n; k++) {
      second += prefix * (sfs[k] as number) * (suffix[k + 1] as number);
      prefix *= cdfs[k] as number;
    }
    return topTwoBeta * best + (1 - topTwoBeta) * second;
  };
  return own.kind === 'beta'
    ? betaIntegral(own, others, weight, needsSurvival)
    : normalIntegral(own, others, weight, needsSurvival);
}

type Weight = (cdfs: readonly number[], sfs: readonly number[]) => number;

function betaIntegral(
  own: Extract<ScoreDistribution, { kind: 'beta' }>,
  others: readonly ScoreDistribution[],
  weight: Weight,
  needsSurvival: boolean,
): SelectionProbability {
  const betas = others.map((o) => {
    if (o.kind !== 'beta') throw new RangeError('all arms must share one prior type');
    return o;
  });
  const { alpha: a, beta: b } = own;
  const logB = gammaln(a) + gammaln(b) - gammaln(a + b);
  const rest = (t: number): number =>
    weight(betas.map((o) => betaCdf(t, o.alpha, o.beta)), needsSurvival ? betas.map((o) => betaSf(t, o.alpha, o.beta)) : []);
  const breaks = [
    ...breakPoints(betaMean(own), betaSd(own), OWN_BREAKS_SD),
    ...betas.flatMap((o) => breakPoints(betaMean(o), betaSd(o), OTHER_BREAKS_SD)),
  ];
  const left = breaks.filter((t) => t > 0 && t < BETA_SPLIT);
  const right = breaks.filter((t) => t > BETA_SPLIT && t < 1);
  // Left of the split: t itself, or v = tᵃ when a < 1, which absorbs the density's t^(a−1) pole.
  const leftPiece =
    a < 1
      ? integrateOver(
          (v) => {
            const t = v ** (1 / a);
            return Math.exp((b - 1) * Math.log1p(-t) - logB) / a * rest(t);
          },
          0, BETA_SPLIT ** a, left.map((t) => t ** a),
        )
      : integrateOver((t) => Math.exp((a - 1) * Math.log(t) + (b - 1) * Math.log1p(-t) - logB) * rest(t), 0, BETA_SPLIT, left);
  // Right of the split: t itself, or w = (1 − t)ᵇ when b < 1, for the (1 − t)^(b−1) pole.
  const rightPiece =
    b < 1
      ? integrateOver(
          (w) => {
            const t = 1 - w ** (1 / b);
            return Math.exp((a - 1) * Math.log(t) - logB) / b * rest(t);
          },
          0, (1 - BETA_SPLIT) ** b, right.map((t) => (1 - t) ** b),
        )
      : integrateOver((t) => Math.exp((a - 1) * Math.log(t) + (b - 1) * Math.log1p(-t) - logB) * rest(t), BETA_SPLIT, 1, right);
  return {
    probability: clamp01(leftPiece.probability + rightPiece.probability),
    converged: leftPiece.converged && rightPiece.converged,
  };
}

function normalIntegral(
  own: Extract<ScoreDistribution, { kind: 'normal' }>,
  others: readonly ScoreDistribution[],
  weight: Weight,
  needsSurvival: boolean,
): SelectionProbability {
  const normals = others.map((o) => {
    if (o.kind !== 'normal') throw new RangeError('all arms must share one prior type');
    return o;
  });
  if (own.sd === 0 || normals.some((o) => o.sd === 0)) return { probability: Number.NaN, converged: false };
  // t = m + s·z: integrate the standard normal density of z against the other arms' CDFs at t.
  const integrand = (z: number): number => {
    const t = own.mean + own.sd * z;
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    return density * weight(normals.map((o) => normalCdf(t, o.mean, o.sd)), needsSurvival ? normals.map((o) => normalSf(t, o.mean, o.sd)) : []);
  };
  const toZ = (t: number): number => (t - own.mean) / own.sd;
  const breaks = [
    ...OWN_BREAKS_SD,
    ...normals.flatMap((o) => breakPoints(o.mean, o.sd, OTHER_BREAKS_SD).map(toZ)),
  ];
  const result = integrateOver(integrand, -NORMAL_RANGE_SD, NORMAL_RANGE_SD, breaks);
  return { probability: clamp01(result.probability), converged: result.converged };
}

/**
 * Integrates over [lo, hi] split at the break points. Small results are integrated a second time with a
 * tolerance relative to their size (SMALL_RELATIVE_TOLERANCE), because a propensity of 1e-9 needs relative,
 * not absolute, accuracy once it is inverted into a weight.
 */
function integrateOver(f: (x: number) => number, lo: number, hi: number, breaks: readonly number[]): SelectionProbability {
  const points = [...new Set([lo, hi, ...breaks.filter((b) => b > lo && b < hi)])].sort((a, b) => a - b);
  const pass = (tolerance: number): SelectionProbability & { errorEstimate: number } => {
    let probability = 0;
    let errorEstimate = 0;
    let converged = true;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i] as number;
      const b = points[i + 1] as number;
      const piece = integrate(f, a, b, tolerance / (points.length - 1));
      probability += piece.value;
      errorEstimate += piece.errorEstimate;
      converged &&= piece.converged;
    }
    return { probability, errorEstimate, converged };
  };
  const first = pass(SELECTION_ABS_TOLERANCE);
  const relativeTarget = Math.abs(first.probability) * SMALL_RELATIVE_TOLERANCE;
  if (first.errorEstimate <= relativeTarget || first.probability === 0) return first;
  return pass(relativeTarget);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function breakPoints(mean: number, sd: number, multiples: readonly number[]): number[] {
  return multiples.map((c) => mean + c * sd);
}

function betaMean(b: { alpha: number; beta: number }): number {
  return b.alpha / (b.alpha + b.beta);
}

function betaSd(b: { alpha: number; beta: number }): number {
  const n = b.alpha + b.beta;
  return Math.sqrt((b.alpha * b.beta) / (n * n * (n + 1)));
}
