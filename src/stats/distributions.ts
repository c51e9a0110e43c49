/**
 * Probability distributions used across the statistics engine. CDFs and quantiles come from @stdlib (which
 * matches scipy to ~1e-16); right tails are computed directly from the regularized incomplete beta/gamma
 * functions or by symmetry, never as `1 - cdf`, so tiny p-values keep their precision.
 */
import betaCdfImpl from '@stdlib/stats-base-dists-beta-cdf';
import betaQuantileImpl from '@stdlib/stats-base-dists-beta-quantile';
import chiSquareCdfImpl from '@stdlib/stats-base-dists-chisquare-cdf';
import chiSquareQuantileImpl from '@stdlib/stats-base-dists-chisquare-quantile';
import fQuantileImpl from '@stdlib/stats-base-dists-f-quantile';
import gammaCdfImpl from '@stdlib/stats-base-dists-gamma-cdf';
import gammaQuantileImpl from '@stdlib/stats-base-dists-gamma-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalPdfImpl from '@stdlib/stats-base-dists-normal-pdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tPdfImpl from '@stdlib/stats-base-dists-t-pdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';

// Standard normal -------------------------------------------------------------------------------------

export function normalCdf(x: number, mean = 0, sd = 1): number {
  return normalCdfImpl(x, mean, sd);
}

/** P(X > x), by symmetry. */
export function normalSf(x: number, mean = 0, sd = 1): number {
  return normalCdfImpl(2 * mean - x, mean, sd);
}

export function normalPdf(x: number, mean = 0, sd = 1): number {
  return normalPdfImpl(x, mean, sd);
}

export function normalQuantile(p: number, mean = 0, sd = 1): number {
  return normalQuantileImpl(p, mean, sd);
}

// Student t ---------------------------------------------------------------------------------------------

export function tCdf(x: number, df: number): number {
  return tCdfImpl(x, df);
}

/** P(T > x), by symmetry. */
export function tSf(x: number, df: number): number {
  return tCdfImpl(-x, df);
}

export function tPdf(x: number, df: number): number {
  return tPdfImpl(x, df);
}

export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** Two-sided p-value of a t statistic (df = Infinity gives the normal). */
export function tTwoSidedP(t: number, df: number): number {
  const a = Math.abs(t);
  return Math.min(1, 2 * (Number.isFinite(df) ? tSf(a, df) : normalSf(a)));
}

// F -------------------------------------------------------------------------------------------------------

/** P(F > x) = I_{d2/(d2 + d1 x)}(d2/2, d1/2), exact in the far tail. */
export function fSf(x: number, d1: number, d2: number): number {
  if (x <= 0) return 1;
  return betainc(d2 / (d2 + d1 * x), d2 / 2, d1 / 2, true, false);
}

export function fCdf(x: number, d1: number, d2: number): number {
  if (x <= 0) return 0;
  return betainc((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2, true, false);
}

export function fQuantile(p: number, d1: number, d2: number): number {
  return fQuantileImpl(p, d1, d2);
}

// Chi-square ----------------------------------------------------------------------------------------------

export function chiSquareCdf(x: number, k: number): number {
  return chiSquareCdfImpl(x, k);
}

/** P(X > x) = Q(k/2, x/2), the upper regularized incomplete gamma function. */
export function chiSquareSf(x: number, k: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, k / 2, true, true);
}

export function chiSquareQuantile(p: number, k: number): number {
  return chiSquareQuantileImpl(p, k);
}

// Beta and gamma --------------------------------------------------------------------------------------------

export function betaCdf(x: number, a: number, b: number): number {
  return betaCdfImpl(x, a, b);
}

export function betaSf(x: number, a: number, b: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  return betainc(x, a, b, true, true);
}

export function betaQuantile(p: number, a: number, b: number): number {
  return betaQuantileImpl(p, a, b);
}

/** Gamma with shape k and scale θ (scipy's parametrization; @stdlib's is shape and rate). */
export function gammaCdf(x: number, shape: number, scale = 1): number {
  return gammaCdfImpl(x, shape, 1 / scale);
}

export function gammaSf(x: number, shape: number, scale = 1): number {
  if (x <= 0) return 1;
  return gammainc(x / scale, shape, true, true);
}

export function gammaQuantile(p: number, shape: number, scale = 1): number {
  return gammaQuantileImpl(p, shape, 1 / scale);
}
