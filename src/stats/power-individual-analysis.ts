/**
 * Per-metric power analysis for individually randomised designs (stats.md §1.1): the sample size needed
 * for the metric's target (sample-size mode) and the minimum detectable effect for a given n (MDE mode),
 * with the reference's messages. Inputs are never modified; a target derived from `metric_pct_change` is
 * returned on a copy in `metric_spec`.
 */
import { cohensD, cohensH, proportionAtCohensH } from './effect-size.ts';
import { armAllocation, solveControlN, solveEffectSize } from './individual-power.ts';
import { PowerCalcError, SAMPLE_TOO_SMALL } from './power-error.ts';
import {
  NO_AVAILABLE_N, NO_BASELINE, NO_NONNULL_UNITS, ZERO_EFFECT_SIZE, ZERO_VARIATION, plainMessage,
  sampleSizeMessage,
} from './power-message.ts';
import {
  DEFAULT_ALPHA, DEFAULT_POWER, emptyAnalysis, type MetricPowerAnalysis, type PowerDesign, type PowerMetric,
} from './power-types.ts';

export interface MinimumDetectableEffect {
  /** The metric value detectable with the requested power; null when none is (see effect-size.ts). */
  readonly target_possible: number | null;
  /** target_possible / baseline − 1; null when either is unavailable or the baseline is 0. */
  readonly pct_change_possible: number | null;
}

/** The metric with `metric_target` filled from the relative change when only that was given. */
export function withTarget(metric: PowerMetric): PowerMetric {
  if (metric.metric_target == null && metric.metric_baseline != null && metric.metric_pct_change != null) {
    return { ...metric, metric_target: metric.metric_baseline * (1 + metric.metric_pct_change) };
  }
  return metric;
}

/** Units that count for power: the non-null count when known (reference behaviour). */
export function effectiveAvailableN(metric: PowerMetric): number | null {
  return metric.available_nonnull_n ?? metric.available_n;
}

function requireType(metric: PowerMetric): asserts metric is PowerMetric & { metric_type: 'numeric' | 'binary' } {
  if (metric.metric_type !== 'numeric' && metric.metric_type !== 'binary') {
    throw new PowerCalcError('Unknown metric_type.', metric.field_name);
  }
}

/**
 * Sample-size mode: total units needed so the control-vs-smallest-arm t-test reaches the power, whether
 * that many are available, and if not the MDE at the available non-null n.
 * @example sampleSizeAnalysis(metric, { nArms: 2 }).target_n // 128 for 100 → 110, σ 20
 */
export function sampleSizeAnalysis(input: PowerMetric, design: PowerDesign): MetricPowerAnalysis {
  requireType(input);
  const metric = withTarget(input);
  const empty = emptyAnalysis(metric);
  const power = design.power ?? DEFAULT_POWER;
  const alpha = design.alpha ?? DEFAULT_ALPHA;
  if (metric.available_n == null || metric.available_n <= 0) {
    return { ...empty, msg: plainMessage('no available n', NO_AVAILABLE_N) };
  }
  const effectiveN = effectiveAvailableN(metric) as number;
  if (effectiveN <= 0) return { ...empty, msg: plainMessage('insufficient', NO_NONNULL_UNITS) };
  const baseline = metric.metric_baseline;
  const target = metric.metric_target;
  if (baseline == null || target == null) return { ...empty, msg: plainMessage('no baseline', NO_BASELINE) };
  let effect: number;
  if (metric.metric_type === 'numeric') {
    const sd = metric.metric_stddev;
    if (sd == null || !(sd > 0)) return { ...empty, msg: plainMessage('zero variation', ZERO_VARIATION) };
    effect = cohensD(baseline, target, sd);
  } else {
    effect = cohensH(baseline, target);
  }
  if (effect === 0) return { ...empty, msg: plainMessage('zero effect size', ZERO_EFFECT_SIZE) };

  const allocation = armAllocation(design.nArms, design.armWeights);
  const controlN = Math.ceil(solveControlN(effect, power, { ratio: allocation.ratio, alpha }));
  // Division by the control share (not multiplication by K), as the reference does, so ceilings agree.
  const targetN = Math.ceil(controlN / allocation.controlShare);
  const sufficient = targetN <= effectiveN;
  const mde = sufficient ? null : minimumDetectableEffect(metric, effectiveN, design);
  return {
    ...empty,
    target_n: targetN,
    sufficient_n: sufficient,
    target_possible: mde?.target_possible ?? null,
    pct_change_possible: mde?.pct_change_possible ?? null,
    msg: sampleSizeMessage({
      availableN: metric.available_n,
      effectiveN,
      hasNulls: metric.available_nonnull_n != null && metric.available_nonnull_n !== metric.available_n,
      targetN,
      sufficient,
      baseline,
      target,
      targetPossible: mde?.target_possible ?? null,
    }),
  };
}

/**
 * MDE mode: the smallest change of the metric detectable with `desiredN` total units. Null fields when
 * the metric has no baseline or (numeric) no positive standard deviation, as the reference's messages.
 *
 * Direction: toward the metric's target when it has one, upward otherwise. With `compat: 'evidential'`,
 * numeric MDEs are always upward and binary ones downward with the z-test, as the reference reports them.
 * A binary MDE that would need a proportion below 0 or above 1 is reported in the other direction, or as
 * null when neither direction is possible.
 * @example minimumDetectableEffect(metric, 500, { nArms: 2 }) // { target_possible: ≈105.0213, … }
 */
export function minimumDetectableEffect(
  input: PowerMetric,
  desiredN: number,
  design: PowerDesign,
): MinimumDetectableEffect {
  requireType(input);
  if (!(desiredN > 0)) throw new PowerCalcError('Chosen sample size must be positive.', input.field_name);
  if (input.metric_baseline == null) return { target_possible: null, pct_change_possible: null };
  const allocation = armAllocation(design.nArms, design.armWeights);
  const controlN = Math.trunc(desiredN * allocation.controlShare);
  return minimumDetectableEffectForComparison(input, { controlN, ratio: allocation.ratio }, design);
}

/** One control-vs-treatment comparison: `controlN` control units and `ratio`·controlN treatment units. */
export interface PoweredComparison {
  readonly controlN: number;
  readonly ratio: number;
}

/**
 * The MDE of one comparison whose group sizes are known (e.g. observed), rather than derived from a total
 * and the arm weights; `minimumDetectableEffect` is this after `armAllocation`. Same directions and nulls.
 * @example minimumDetectableEffectForComparison(metric, { controlN: 250, ratio: 1 }, {}) // { target_possible: ≈105.0213, … }
 */
export function minimumDetectableEffectForComparison(
  input: PowerMetric,
  comparison: PoweredComparison,
  design: Pick<PowerDesign, 'power' | 'alpha' | 'compat'>,
): MinimumDetectableEffect {
  requireType(input);
  const metric = withTarget(input);
  const none = { target_possible: null, pct_change_possible: null };
  const baseline = metric.metric_baseline;
  if (baseline == null) return none;
  const power = design.power ?? DEFAULT_POWER;
  const alpha = design.alpha ?? DEFAULT_ALPHA;
  const compat = design.compat === 'evidential';
  const { controlN, ratio } = comparison;
  if (controlN < 1) throw new PowerCalcError(SAMPLE_TOO_SMALL, metric.field_name);
  const twoSample = { ratio, alpha };
  const target = metric.metric_target;
  const towardTarget: 1 | -1 = target != null && target < baseline ? -1 : 1;

  let targetPossible: number | null;
  if (metric.metric_type === 'numeric') {
    const sd = metric.metric_stddev;
    if (sd == null || !(sd > 0)) return none;
    const d = solveEffectSize(controlN, power, twoSample, 't');
    targetPossible = baseline + (compat ? 1 : towardTarget) * d * sd;
  } else {
    const h = solveEffectSize(controlN, power, twoSample, compat ? 'z' : 't');
    const first: 1 | -1 = compat ? -1 : towardTarget;
    targetPossible = proportionAtCohensH(baseline, h, first) ?? proportionAtCohensH(baseline, h, first === 1 ? -1 : 1);
  }
  const pct = targetPossible !== null && baseline !== 0 ? targetPossible / baseline - 1 : null;
  return { target_possible: targetPossible, pct_change_possible: pct };
}
