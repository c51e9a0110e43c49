/**
 * Standardised effect sizes for power: Cohen's d for numeric metrics and Cohen's h (the arcsine
 * transform) for proportions, and the inverse of h that turns a detectable h back into a proportion.
 */

/**
 * d = (target − baseline) / σ, with σ the metric's standard deviation.
 * @example cohensD(100, 110, 20) // 0.5
 */
export function cohensD(baseline: number, target: number, sd: number): number {
  return (target - baseline) / sd;
}

/**
 * h = 2·asin(√baseline) − 2·asin(√target), statsmodels' `proportion_effectsize` sign (negative for an
 * increase; two-sided power ignores the sign).
 * @example cohensH(0.5, 0.55) // ≈ −0.100167421162
 */
export function cohensH(baseline: number, target: number): number {
  return 2 * Math.asin(Math.sqrt(baseline)) - 2 * Math.asin(Math.sqrt(target));
}

/**
 * The proportion whose arcsine distance from `baseline` is |h| in the given direction:
 * sin²(asin√baseline ± |h|/2). Null when that angle leaves [0, π/2], i.e. no proportion is that far away
 * (the reference instead lets sin² wrap around and reports a meaningless value).
 * @example proportionAtCohensH(0.05, 0.1771876949, -1) // ≈ 0.0186301
 */
export function proportionAtCohensH(baseline: number, h: number, direction: 1 | -1): number | null {
  const angle = Math.asin(Math.sqrt(baseline)) + (direction * Math.abs(h)) / 2;
  if (angle < 0 || angle > Math.PI / 2) return null;
  return Math.sin(angle) ** 2;
}
