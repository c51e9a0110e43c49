/**
 * Seeded random variates for the bandits: standard normal, gamma, beta and multivariate normal. Every draw
 * takes its uniforms from a `Random` passed in, so a run is reproducible from its seed and two callers never
 * share hidden state. The methods are textbook ones chosen for exactness over speed:
 * - normal: Box–Muller (one of the pair is discarded, so a draw consumes exactly two uniforms);
 * - gamma: Marsaglia & Tsang (2000) squeeze/rejection, with the shape < 1 boost G(a) = G(a+1)·U^(1/a);
 * - beta: X/(X+Y) of two gammas, formed in log space so tiny shapes (α ≪ 1) do not give 0/0;
 * - multivariate normal: μ + L z with L the Cholesky factor of Σ (jitter fallback, see `normalFactor`).
 */
import type { Random } from './random.ts';
import { choleskyLower, type Matrix, type Vector } from './bandits/spd-matrix.ts';

/**
 * Relative jitter added to the diagonal when a covariance is not numerically positive definite (e.g. a
 * posterior after many identical contexts). It starts at one part in 10¹² of the mean variance (below the
 * rounding noise of a 64-bit covariance) and grows tenfold until the factorisation succeeds; past one part
 * in 10⁶ the covariance is considered broken rather than near-singular and we throw.
 */
export const JITTER_START_RELATIVE = 1e-12;
export const JITTER_MAX_RELATIVE = 1e-6;

/**
 * One N(0, 1) draw.
 * @example standardNormal(seededRandom(1)) // a number, the same for seed 1 every time
 */
export function standardNormal(random: Random): number {
  const u1 = 1 - random.next(); // (0, 1]: log(0) impossible
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * One Gamma(shape, scale) draw (mean shape·scale).
 * @example sampleGamma(2.5, seededRandom(7))
 */
export function sampleGamma(shape: number, random: Random, scale = 1): number {
  return Math.exp(sampleLogGamma(shape, random)) * scale;
}

/**
 * One Beta(α, β) draw.
 * @example sampleBeta(3, 7, seededRandom(7)) // near 0.3 on average
 */
export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const logX = sampleLogGamma(alpha, random);
  const logY = sampleLogGamma(beta, random);
  // X/(X+Y) = 1/(1 + e^(log Y − log X)): finite even when both gammas underflow to 0.
  return 1 / (1 + Math.exp(logY - logX));
}

/** log of a Gamma(shape, 1) draw; exact in log space for very small shapes. */
export function sampleLogGamma(shape: number, random: Random): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const u = 1 - random.next(); // (0, 1]
    return sampleLogGamma(shape + 1, random) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (u < 1 - 0.0331 * x ** 4) return Math.log(d * v); // cheap squeeze, accepts ~98%
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/** A Cholesky factor ready for repeated multivariate-normal draws, with the jitter that was needed. */
export interface NormalFactor {
  readonly mean: Vector;
  readonly lower: Matrix;
  /** Absolute amount added to the diagonal of Σ (0 when Σ factorised as given). */
  readonly jitter: number;
}

/**
 * Factorises Σ once for many draws. A covariance that is positive semi-definite up to rounding (a
 * near-singular posterior) gets diagonal jitter, JITTER_START_RELATIVE × mean variance, growing tenfold up
 * to JITTER_MAX_RELATIVE; the jitter used is reported so callers can log it.
 * @example normalFactor([0, 0], [[1, 1], [1, 1]]).jitter // > 0: the matrix is singular
 */
export function normalFactor(mean: Vector, covariance: Matrix): NormalFactor {
  if (covariance.length !== mean.length || covariance.some((row) => row.length !== mean.length)) {
    throw new RangeError('covariance must be a d×d matrix for a mean of length d');
  }
  const exact = choleskyLower(covariance);
  if (exact !== undefined) return { mean, lower: exact, jitter: 0 };
  const meanVariance = covariance.reduce((s, row, i) => s + Math.abs(row[i] as number), 0) / mean.length || 1;
  for (let relative = JITTER_START_RELATIVE; relative <= JITTER_MAX_RELATIVE * 1.000001; relative *= 10) {
    const jitter = relative * meanVariance;
    const lower = choleskyLower(covariance.map((row, i) => row.map((v, j) => (i === j ? v + jitter : v))));
    if (lower !== undefined) return { mean, lower, jitter };
  }
  throw new RangeError('covariance is not positive semi-definite (Cholesky failed even with jitter)');
}

/**
 * One draw of N(μ, Σ) from a prepared factor: μ + L z with z standard normal (d uniforms pairs consumed).
 * @example sampleMultivariateNormal(normalFactor([0, 0], [[1, 0.5], [0.5, 1]]), seededRandom(3))
 */
export function sampleMultivariateNormal(factor: NormalFactor, random: Random): number[] {
  const z = factor.mean.map(() => standardNormal(random));
  return factor.mean.map((m, i) => {
    const row = factor.lower[i] as readonly number[];
    let s = m;
    for (let k = 0; k <= i; k++) s += (row[k] as number) * (z[k] as number);
    return s;
  });
}
