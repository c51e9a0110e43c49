/**
 * Plain input and output shapes of the power analysis. Field names are the reference API's
 * (`DesignSpecMetric`, `MetricPowerAnalysis`, evidential-spec.md §2.8) so the API layer can return the
 * results as they are.
 */

export type MetricType = 'numeric' | 'binary';

/** One metric as the design spec and the warehouse describe it (reference: `DesignSpecMetric`). */
export interface PowerMetric {
  readonly field_name: string;
  readonly metric_type: MetricType | null;
  /** Mean of the non-null values (a proportion for binary metrics). */
  readonly metric_baseline: number | null;
  /** Population standard deviation (divisor n); numeric metrics only. */
  readonly metric_stddev?: number | null;
  /** Exactly one of target and relative change is set by the request. */
  readonly metric_target?: number | null;
  readonly metric_pct_change?: number | null;
  /** Rows passing the audience filters, with or without a value. */
  readonly available_n: number | null;
  /** Rows with a non-null value; power is judged on these. */
  readonly available_nonnull_n?: number | null;
  /** Cluster designs: all three or none. */
  readonly icc?: number | null;
  readonly avg_cluster_size?: number | null;
  readonly cv?: number | null;
}

export type PowerMessageType =
  | 'sufficient'
  | 'insufficient'
  | 'no baseline'
  | 'no available n'
  | 'zero effect size'
  | 'zero variation';

export interface PowerMessage {
  readonly type: PowerMessageType;
  /** `source_msg` with `values` filled in. */
  readonly msg: string;
  /** Template with `{placeholders}` naming keys of `values`. */
  readonly source_msg: string;
  readonly values: Readonly<Record<string, number>> | null;
  /** Cluster designs: true when the cluster sizes' CV exceeds 1; null for individual designs. */
  readonly high_cluster_variation: boolean | null;
}

/** Result for one metric (reference: `MetricPowerAnalysis`). */
export interface MetricPowerAnalysis {
  /** The input metric; `metric_target` is filled in when it was derived from `metric_pct_change`. */
  readonly metric_spec: PowerMetric;
  readonly target_n: number | null;
  readonly sufficient_n: boolean | null;
  readonly target_possible: number | null;
  readonly pct_change_possible: number | null;
  readonly pct_change_with_desired_n: number | null;
  readonly msg: PowerMessage | null;
  readonly num_clusters_total: number | null;
  readonly clusters_per_arm: readonly number[] | null;
  readonly n_per_arm: readonly number[] | null;
  readonly design_effect: number | null;
  readonly effective_sample_size: number | null;
}

/** The design-level settings shared by every metric. */
export interface PowerDesign {
  /** Number of arms, control (arm 0) included; at least 2. */
  readonly nArms: number;
  /** Relative arm weights (any positive scale; the reference's sum to 100). Arm 0 is the control. */
  readonly armWeights?: readonly number[] | null;
  /** Total units across all arms; adds the MDE at this n as `pct_change_with_desired_n`. */
  readonly desiredN?: number | null;
  /** Target power, default 0.8. */
  readonly power?: number;
  /** Two-sided significance level, default 0.05. */
  readonly alpha?: number;
  /**
   * 'evidential' reproduces the reference's binary MDE exactly (z-test, always reported as a decrease);
   * by default the binary MDE uses the same t-test as the sample size and follows the target's direction.
   * Neither mode reports a proportion that wrapped past 0 or 1.
   */
  readonly compat?: 'evidential' | null;
}

export const DEFAULT_POWER = 0.8;
export const DEFAULT_ALPHA = 0.05;

export function emptyAnalysis(metric: PowerMetric): MetricPowerAnalysis {
  return {
    metric_spec: metric,
    target_n: null,
    sufficient_n: null,
    target_possible: null,
    pct_change_possible: null,
    pct_change_with_desired_n: null,
    msg: null,
    num_clusters_total: null,
    clusters_per_arm: null,
    n_per_arm: null,
    design_effect: null,
    effective_sample_size: null,
  };
}
