/**
 * Power after the fact: the minimum detectable effect (MDE) at the sample an experiment actually has, and
 * whether it is larger than the effect the design was built to detect (the `underpowered` warning). The
 * MDE is the one of `power-individual-analysis.ts` — same test, directions and nulls — for the baseline arm
 * against the smallest other arm, with the observed numbers of participants with a value in place of a
 * planned total split by the arm weights (the observed split reflects the weights, and also any arm that
 * lost more values than another). Cluster designs deflate each arm by the design effect of
 * `cluster-power.ts`, as the design-time check does.
 */
import { designEffect, effectiveSampleSize, type ClusterShape } from './cluster-power.ts';
import { PowerCalcError } from './power-error.ts';
import { minimumDetectableEffectForComparison, withTarget, type MinimumDetectableEffect } from './power-individual-analysis.ts';
import { DEFAULT_ALPHA, DEFAULT_POWER, type PowerMetric } from './power-types.ts';

export interface ObservedPowerInput {
  /**
   * The metric as observed in the baseline arm (`metric_baseline` its mean, `metric_stddev` its population
   * standard deviation) with the design's `metric_pct_change` or `metric_target`.
   */
  readonly metric: PowerMetric;
  /** Participants with a value of the metric, per arm. */
  readonly nPerArm: readonly number[];
  /** Index of the baseline arm in `nPerArm`. */
  readonly baseline: number;
  readonly power?: number;
  readonly alpha?: number;
  /** Cluster designs: the shape whose design effect deflates each arm; null or absent otherwise. */
  readonly cluster?: ClusterShape | null;
}

export interface ObservedPower {
  /** The metric value the design wants to detect (its target, or the observed baseline moved by its change). */
  readonly designed_target: number;
  /** designed_target / baseline − 1; null for a zero baseline. */
  readonly designed_pct_change: number | null;
  /** The MDE at the observed n, toward the target; both fields null when no change of any size is detectable. */
  readonly detectable: MinimumDetectableEffect;
  /** Units in the compared arms after the design effect: [baseline arm, smallest other arm]. */
  readonly effective_n: readonly [number, number];
  /** 1 for individually randomised designs. */
  readonly design_effect: number;
  /** True when the MDE is larger than the designed change, or no change is detectable at all. */
  readonly underpowered: boolean;
}

/**
 * Null when there is nothing to judge: the design states no minimum effect, the metric has no baseline
 * (or, numeric, no spread), the designed target equals the baseline, or no other arm has values.
 * @example observedPower({ metric: { field_name: 'y', metric_type: 'numeric', metric_baseline: 100, metric_stddev: 20, metric_pct_change: 0.05, available_n: 500 }, nPerArm: [250, 250], baseline: 0 }).underpowered // true (MDE ≈ 5.02%)
 */
export function observedPower(input: ObservedPowerInput): ObservedPower | null {
  const metric = withTarget(input.metric);
  const base = metric.metric_baseline;
  const target = metric.metric_target;
  if (base == null || target == null || target === base || !Number.isFinite(target)) return null;
  if (metric.metric_type === 'numeric' && !(metric.metric_stddev != null && metric.metric_stddev > 0)) return null;
  const control = input.nPerArm[input.baseline] ?? 0;
  const others = input.nPerArm.filter((n, j) => j !== input.baseline && n > 0);
  if (!(control > 0) || others.length === 0) return null;
  const smallest = Math.min(...others);
  const deff = input.cluster ? designEffect(input.cluster) : 1;
  const effectiveN: [number, number] = deff === 1 ? [control, smallest] : [effectiveSampleSize(control, deff), effectiveSampleSize(smallest, deff)];
  const designed = { designed_target: target, designed_pct_change: base !== 0 ? target / base - 1 : null };
  const none: MinimumDetectableEffect = { target_possible: null, pct_change_possible: null };

  let detectable: MinimumDetectableEffect;
  try {
    detectable =
      effectiveN[0] < 1 || effectiveN[1] < 1
        ? none
        : minimumDetectableEffectForComparison(
            metric,
            { controlN: effectiveN[0], ratio: effectiveN[1] / effectiveN[0] },
            { power: input.power ?? DEFAULT_POWER, alpha: input.alpha ?? DEFAULT_ALPHA },
          );
  } catch (error) {
    // Too few units for the test to have a degree of freedom, or no effect reaches the power: nothing is detectable.
    if (!(error instanceof PowerCalcError)) throw error;
    detectable = none;
  }
  const possible = detectable.target_possible;
  // A binary MDE reported on the far side of the baseline means no proportion toward the target is detectable.
  const underpowered =
    possible === null || Math.sign(possible - base) !== Math.sign(target - base) || Math.abs(possible - base) > Math.abs(target - base);
  return { ...designed, detectable, effective_n: effectiveN, design_effect: deff, underpowered };
}
