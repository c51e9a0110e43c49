/**
 * Power of the two-sided two-sample t-test and its two inversions, for individually randomised designs
 * (stats.md §1.1, statsmodels `TTestIndPower` semantics).
 *
 * With n₁ control units, n₂ = r·n₁ treatment units, ν = n₁ + n₂ − 2, ñ = n₁n₂/(n₁ + n₂) and
 * noncentrality λ = d·√ñ:
 *
 *   power(d, n₁) = P(T > t_{ν,1−α/2}) + P(T < −t_{ν,1−α/2}),  T ~ noncentral t(ν, λ).
 *
 * The z-test variant (statsmodels `NormalIndPower`, used only by the reference's binary MDE) replaces T by
 * N(λ, 1) and the critical value by z_{1−α/2}. Roots are solved exactly (Brent, to rounding) rather than
 * to statsmodels' xtol of 1e-5, so sample sizes agree with statsmodels to ~1e-6 and effect sizes to ~5e-6.
 */
import { normalCdf, normalQuantile, normalSf, tQuantile } from './distributions.ts';
import { nctCdf, nctSf } from './noncentral-t.ts';
import { PowerCalcError, SAMPLE_TOO_SMALL, UNABLE_TO_SOLVE } from './power-error.ts';
import { RootFindError, brentRoot, expandBracketUp } from './root-find.ts';

export type PowerTest = 't' | 'z';

export interface TwoSampleDesign {
  /** Treatment units per control unit (n₂ = ratio·n₁). */
  readonly ratio: number;
  /** Two-sided significance level. */
  readonly alpha: number;
}

/** statsmodels starts its sample-size search at n₁ = 2 and its first upper guess at 50. */
const MIN_CONTROL_N = 2;
const FIRST_UPPER_CONTROL_N = 50;
/** Beyond this many control units (a trillion) we report the power as unreachable. */
const MAX_CONTROL_N = 1e12;
/** Above this |effect| (in standard deviations) we report the power as unreachable. */
const MAX_EFFECT_SIZE = 1e6;

/**
 * Two-sided power of the two-sample test at standardised effect `effectSize` with `nControl` control units.
 * @example twoSamplePower(0.5, 63.76561058785, { ratio: 1, alpha: 0.05 }) // ≈ 0.8
 */
export function twoSamplePower(
  effectSize: number,
  nControl: number,
  design: TwoSampleDesign,
  test: PowerTest = 't',
): number {
  const nTreatment = design.ratio * nControl;
  const effectiveN = (nControl * nTreatment) / (nControl + nTreatment);
  const nc = effectSize * Math.sqrt(effectiveN);
  if (test === 'z') {
    const crit = -normalQuantile(design.alpha / 2);
    return normalSf(crit - nc) + normalCdf(-crit - nc);
  }
  const df = nControl + nTreatment - 2;
  if (!(df >= 1)) throw new PowerCalcError(SAMPLE_TOO_SMALL);
  // The lower quantile is exact for small α; the upper critical value is its mirror image.
  const crit = -tQuantile(design.alpha / 2, df);
  return nctSf(crit, df, nc) + nctCdf(-crit, df, nc);
}

function checkLevels(power: number, alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new PowerCalcError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(power > alpha && power < 1)) {
    throw new PowerCalcError(`power must be between alpha (${alpha}) and 1, got ${power}`);
  }
}

/**
 * The (fractional) number of control units at which the t-test reaches `power` — statsmodels
 * `TTestIndPower().solve_power(effect_size, alpha=, power=, ratio=)`. Callers round up.
 * @example solveControlN(0.5, 0.8, { ratio: 1, alpha: 0.05 }) // ≈ 63.76561058785
 */
export function solveControlN(effectSize: number, power: number, design: TwoSampleDesign): number {
  checkLevels(power, design.alpha);
  if (!(design.ratio > 0)) throw new PowerCalcError(`allocation ratio must be positive, got ${design.ratio}`);
  const d = Math.abs(effectSize);
  if (!(d > 0) || !Number.isFinite(d)) throw new PowerCalcError(UNABLE_TO_SOLVE);
  // At least one degree of freedom: n₁(1 + r) − 2 ≥ 1.
  const low = Math.max(MIN_CONTROL_N, (3 + 1e-9) / (1 + design.ratio));
  const gap = (n: number) => twoSamplePower(d, n, design) - power;
  if (gap(low) >= 0) return low;
  try {
    const [a, b] = expandBracketUp(gap, low, FIRST_UPPER_CONTROL_N, { limit: MAX_CONTROL_N });
    return brentRoot(gap, a, b, { rtol: 1e-15 });
  } catch (error) {
    if (error instanceof RootFindError) throw new PowerCalcError(UNABLE_TO_SOLVE);
    throw error;
  }
}

/**
 * The smallest |effect| (standardised) that the test detects with `power` given `nControl` control units
 * — statsmodels `solve_power(nobs1=, effect_size=None, …)`. Always positive.
 * @example solveEffectSize(250, 0.8, { ratio: 1, alpha: 0.05 }) // ≈ 0.251065612657
 */
export function solveEffectSize(
  nControl: number,
  power: number,
  design: TwoSampleDesign,
  test: PowerTest = 't',
): number {
  checkLevels(power, design.alpha);
  if (!(design.ratio > 0)) throw new PowerCalcError(`allocation ratio must be positive, got ${design.ratio}`);
  if (!(nControl > 0) || (test === 't' && nControl * (1 + design.ratio) - 2 < 1)) {
    throw new PowerCalcError(SAMPLE_TOO_SMALL);
  }
  // power(0) = α < target power, and power grows with |d|.
  const gap = (d: number) => twoSamplePower(d, nControl, design, test) - power;
  try {
    const [a, b] = expandBracketUp(gap, 0, 1, { limit: MAX_EFFECT_SIZE });
    return brentRoot(gap, a, b, { rtol: 1e-15 });
  } catch (error) {
    if (error instanceof RootFindError) throw new PowerCalcError(UNABLE_TO_SOLVE);
    throw error;
  }
}

export interface ArmAllocation {
  /** Share of all units in the control arm (arm 0). */
  readonly controlShare: number;
  /** Smallest treatment arm's size relative to control: the comparison that is powered. */
  readonly ratio: number;
  /** Every arm's share, arm 0 first. */
  readonly shares: readonly number[];
}

/**
 * Reduces a K-arm design to one control-vs-treatment comparison: control = arm 0, treatment = the
 * smallest other arm (the conservative choice; stats.md §1.1).
 * @example armAllocation(2, [20, 80]) // { controlShare: 0.2, ratio: 4, shares: [0.2, 0.8] }
 */
export function armAllocation(nArms: number, armWeights?: readonly number[] | null): ArmAllocation {
  if (!Number.isInteger(nArms) || nArms < 2) throw new PowerCalcError(`need at least 2 arms, got ${nArms}`);
  if (armWeights == null) {
    const share = 1 / nArms;
    return { controlShare: share, ratio: 1, shares: Array.from({ length: nArms }, () => share) };
  }
  if (armWeights.length !== nArms || armWeights.some((w) => !(w > 0) || !Number.isFinite(w))) {
    throw new PowerCalcError(`arm weights must be ${nArms} positive numbers`);
  }
  const total = armWeights.reduce((a, b) => a + b, 0);
  const shares = armWeights.map((w) => w / total);
  const controlShare = shares[0] as number;
  const smallestTreatment = Math.min(...shares.slice(1));
  return { controlShare, ratio: smallestTreatment / controlShare, shares };
}
