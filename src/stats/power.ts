/**
 * Power check for a whole design (reference `check_power`): for every metric the sample-size analysis
 * (individual or cluster, by whether the metric carries icc/avg_cluster_size/cv), plus, when the design
 * has a `desiredN`, the relative MDE at that n as `pct_change_with_desired_n`.
 */
import { clusterMde, clusterSampleSizeAnalysis, clusterShapeOf } from './cluster-power.ts';
import { PowerCalcError, SAMPLE_TOO_SMALL, UNABLE_TO_SOLVE } from './power-error.ts';
import { minimumDetectableEffect, sampleSizeAnalysis } from './power-individual-analysis.ts';
import type { MetricPowerAnalysis, PowerDesign, PowerMetric } from './power-types.ts';

export type { MetricPowerAnalysis, PowerDesign, PowerMessage, PowerMetric } from './power-types.ts';
export { PowerCalcError } from './power-error.ts';

/**
 * One `MetricPowerAnalysis` per metric, in order. Throws `PowerCalcError` (message prefixed with the metric)
 * for inputs the calculation cannot run on.
 * @example checkPower([metric], { nArms: 2, desiredN: 1000 })[0].target_n
 */
export function checkPower(metrics: readonly PowerMetric[], design: PowerDesign): MetricPowerAnalysis[] {
  return metrics.map((metric) => {
    try {
      return analyseMetric(metric, design);
    } catch (error) {
      // The reference prefixes the metric's name except on its two friendly degenerate-input messages.
      if (error instanceof PowerCalcError && error.message !== SAMPLE_TOO_SMALL && error.message !== UNABLE_TO_SOLVE) {
        throw new PowerCalcError(`Power calc error for metric ${metric.field_name}: ${error.message}`, metric.field_name);
      }
      throw error;
    }
  });
}

function analyseMetric(metric: PowerMetric, design: PowerDesign): MetricPowerAnalysis {
  const shape = clusterShapeOf(metric);
  const analysis = shape ? clusterSampleSizeAnalysis(metric, design, shape) : sampleSizeAnalysis(metric, design);
  if (design.desiredN == null) return analysis;
  const mde = shape
    ? clusterMde(metric, design.desiredN, design, shape)
    : minimumDetectableEffect(metric, design.desiredN, design);
  return { ...analysis, pct_change_with_desired_n: mde.pct_change_possible };
}
