/**
 * Power for cluster-randomised designs (stats.md §1.2): the individual calculation inflated by the design
 * effect of Eldridge et al. (2006) for clusters of unequal size,
 *
 *   DEFF = 1 + ICC·[(m − 1) + m·CV²],
 *
 * with m the mean cluster size and CV the coefficient of variation of cluster sizes. Clusters needed per
 * arm J_j = ⌈(n_j/m)·DEFF⌉ for the n_j units arm j would need if randomised individually.
 */
import { armAllocation } from './individual-power.ts';
import { CLUSTERING_INFLATES, PowerCalcError } from './power-error.ts';
import {
  effectiveAvailableN, minimumDetectableEffect, sampleSizeAnalysis, withTarget,
  type MinimumDetectableEffect,
} from './power-individual-analysis.ts';
import { sampleSizeMessage } from './power-message.ts';
import type { MetricPowerAnalysis, PowerDesign, PowerMetric, PowerMessage } from './power-types.ts';

/** Above this CV of cluster sizes the cluster counts are flagged as approximate (reference threshold). */
export const HIGH_CLUSTER_CV = 1;

export interface ClusterShape {
  /** Intra-cluster correlation, in [0, 1]. */
  readonly icc: number;
  /** Mean units per cluster, ≥ 1. */
  readonly avgClusterSize: number;
  /** Coefficient of variation of cluster sizes, ≥ 0. */
  readonly cv: number;
}

/**
 * DEFF = 1 + ICC·[(m − 1) + m·CV²].
 * @example designEffect({ icc: 0.15, avgClusterSize: 30, cv: 0 }) // 5.35
 */
export function designEffect(shape: ClusterShape): number {
  const { icc, avgClusterSize: m, cv } = shape;
  if (!(icc >= 0 && icc <= 1)) throw new PowerCalcError(`ICC must be between 0 and 1, got ${icc}`);
  if (!(m >= 1)) throw new PowerCalcError(`Cluster size must be >= 1, got ${m}`);
  if (!(cv >= 0)) throw new PowerCalcError(`CV must be >= 0, got ${cv}`);
  return 1 + icc * (m - 1 + m * cv ** 2);
}

/**
 * ⌊n / DEFF⌋: how many independent units the clustered sample is worth.
 * @example effectiveSampleSize(720, 5.35) // 134
 */
export function effectiveSampleSize(totalN: number, deff: number): number {
  return Math.trunc(totalN / deff);
}

/**
 * ⌈(n/m)·DEFF⌉ clusters for n individually-randomised units' worth of power.
 * @example clustersNeeded(63, 30, 5.35) // 12
 */
export function clustersNeeded(nIndividual: number, avgClusterSize: number, deff: number): number {
  return Math.ceil((nIndividual / avgClusterSize) * deff);
}

/** The metric's cluster shape, or null for an individually randomised metric. */
export function clusterShapeOf(metric: PowerMetric): ClusterShape | null {
  if (metric.icc == null || metric.avg_cluster_size == null || metric.cv == null) return null;
  return { icc: metric.icc, avgClusterSize: metric.avg_cluster_size, cv: metric.cv };
}

export interface ClusterMde extends MinimumDetectableEffect {
  readonly design_effect: number;
  readonly effective_sample_size: number;
  readonly n_per_arm: readonly number[];
  readonly clusters_per_arm: readonly number[];
}

/**
 * MDE with `desiredN` clustered units: the individual MDE at the effective n ⌊desiredN/DEFF⌋. Per arm,
 * n_j = round(desiredN·p_j) and clusters_j = ⌈n_j/m⌉ (units in clusters of m: DEFF does not change how many
 * clusters hold them, only what they are worth).
 * @example clusterMde(metric, 600, { nArms: 2 }, shape).target_possible // ≈ 110.6826
 */
export function clusterMde(
  metric: PowerMetric,
  desiredN: number,
  design: PowerDesign,
  shape: ClusterShape,
): ClusterMde {
  const deff = designEffect(shape);
  const effectiveN = effectiveSampleSize(desiredN, deff);
  const { shares } = armAllocation(design.nArms, design.armWeights);
  if (Math.min(...shares.map((p) => Math.trunc(effectiveN * p))) < 2) {
    throw new PowerCalcError(CLUSTERING_INFLATES, metric.field_name);
  }
  return {
    ...minimumDetectableEffect(metric, effectiveN, design),
    design_effect: deff,
    effective_sample_size: effectiveN,
    n_per_arm: shares.map((p) => roundHalfEvenInteger(desiredN * p)),
    clusters_per_arm: shares.map((p) => Math.ceil((desiredN * p) / shape.avgClusterSize)),
  };
}

/**
 * Sample-size mode for a cluster design: the individual total N, split by arm shares, turned into whole
 * clusters per arm and back into units; sufficiency against the non-null count; the cluster MDE when short.
 * @example clusterSampleSizeAnalysis(metric, { nArms: 2 }, shape).clusters_per_arm // [12, 12]
 */
export function clusterSampleSizeAnalysis(
  input: PowerMetric,
  design: PowerDesign,
  shape: ClusterShape,
): MetricPowerAnalysis {
  const individual = sampleSizeAnalysis(input, design);
  const metric = withTarget({
    ...input, icc: shape.icc, avg_cluster_size: shape.avgClusterSize, cv: shape.cv,
  });
  if (individual.target_n === null) return { ...individual, metric_spec: metric };
  const deff = designEffect(shape);
  const { shares } = armAllocation(design.nArms, design.armWeights);
  const clustersPerArm = shares.map((p) => clustersNeeded(individual.target_n! * p, shape.avgClusterSize, deff));
  const nPerArm = clustersPerArm.map((j) => Math.ceil(j * shape.avgClusterSize));
  const targetN = nPerArm.reduce((a, b) => a + b, 0);
  const availableN = effectiveAvailableN(metric) as number;
  const sufficient = targetN <= availableN;
  const mde = sufficient ? null : clusterMde(metric, availableN, design, shape);
  const message = sampleSizeMessage({
    availableN: metric.available_n as number,
    effectiveN: availableN,
    hasNulls: metric.available_nonnull_n != null && metric.available_nonnull_n !== metric.available_n,
    targetN,
    sufficient,
    baseline: metric.metric_baseline as number,
    target: metric.metric_target as number,
    targetPossible: mde?.target_possible ?? null,
  });
  return {
    ...individual,
    metric_spec: metric,
    target_n: targetN,
    sufficient_n: sufficient,
    target_possible: mde?.target_possible ?? null,
    pct_change_possible: mde?.pct_change_possible ?? null,
    msg: withClusterVariation(message, shape.cv),
    num_clusters_total: clustersPerArm.reduce((a, b) => a + b, 0),
    clusters_per_arm: clustersPerArm,
    n_per_arm: nPerArm,
    design_effect: deff,
    effective_sample_size: effectiveSampleSize(targetN, deff),
  };
}

function withClusterVariation(message: PowerMessage, cv: number): PowerMessage {
  const high = cv > HIGH_CLUSTER_CV;
  if (!high) return { ...message, high_cluster_variation: false };
  const warning = `\n\nWarning: High cluster size variation (CV=${cv.toFixed(2)}). Number of clusters estimates are approximate.`;
  return { ...message, msg: message.msg + warning, high_cluster_variation: true };
}

/** Python's round(x) for the per-arm unit counts: nearest integer, halves to even. */
function roundHalfEvenInteger(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
