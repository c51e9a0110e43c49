/**
 * The analysis as the API returns and snapshots store it: the reference's `FreqExperimentAnalysisResponse`
 * (§2.7) with every field it has, plus what Equipoise adds (arm means, adjusted p-values, Lin-adjusted
 * estimates, sample-ratio mismatch, balance, warnings). Numbers that cannot be computed are null, never
 * NaN, so the JSON is the same whether it is served live or read back from a snapshot.
 */
import type { EXPERIMENT_WARNINGS } from '../../domain/event-catalogue.ts';

export type ExperimentWarning = (typeof EXPERIMENT_WARNINGS)[number];

/** NaN and ±Infinity become null (JSON has neither). */
export function finite(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

export interface AdjustedArmAnalysis {
  readonly estimate: number | null;
  readonly std_error: number | null;
  readonly t_stat: number | null;
  readonly p_value: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
  /** The arm's covariate-adjusted mean (its mean had it the covariates of the whole sample). */
  readonly mean: number | null;
  readonly mean_ci_lower: number | null;
  readonly mean_ci_upper: number | null;
  readonly p_value_holm: number | null;
  readonly p_value_bh: number | null;
}

export interface ArmAnalysisRow {
  readonly arm_id: string;
  readonly arm_name: string;
  readonly arm_description: string;
  readonly is_baseline: boolean;
  /** Baseline: its mean. Other arms: mean − baseline mean. */
  readonly estimate: number | null;
  readonly p_value: number | null;
  readonly t_stat: number | null;
  readonly std_error: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
  readonly mean_ci_lower: number | null;
  readonly mean_ci_upper: number | null;
  /** Assigned to the arm but without a value: absent from the warehouse, or NULL there. */
  readonly num_missing_values: number;
  // Added by Equipoise.
  readonly mean: number | null;
  readonly mean_std_error: number | null;
  readonly num_observations: number;
  /** Holm / Benjamini–Hochberg over every non-baseline comparison of every metric; null on the baseline. */
  readonly p_value_holm: number | null;
  readonly p_value_bh: number | null;
  readonly adjusted: AdjustedArmAnalysis | null;
}

export interface MetricAdjustment {
  /** Encoded covariate columns used (see covariate-design.ts). */
  readonly columns: string[];
  readonly num_observations: number;
  readonly df: number | null;
  readonly error: string | null;
}

export interface MetricAnalysisRow {
  readonly metric_name: string;
  readonly metric: Readonly<Record<string, unknown>>;
  readonly arm_analyses: ArmAnalysisRow[];
  // Added by Equipoise.
  readonly covariance: 'HC1' | 'CR1';
  readonly inference: 't' | 'z';
  /** Degrees of freedom of the t distribution used (N − arms with data, or clusters − 1); null for z. */
  readonly df: number | null;
  readonly alpha: number;
  readonly num_observations: number;
  readonly num_clusters: number | null;
  readonly adjustment: MetricAdjustment | null;
  /** Why no effect could be estimated (e.g. the baseline arm has no values), else null. */
  readonly error: string | null;
}

export interface SampleRatioCheck {
  /** `participants`, or `clusters` for cluster-randomised designs (the unit the weights apply to). */
  readonly unit: 'participants' | 'clusters';
  readonly observed: number[];
  readonly expected: number[];
  readonly chi_square: number | null;
  readonly df: number;
  readonly p_value: number | null;
  /** p_value < 0.001. */
  readonly mismatch: boolean;
}

export interface AnalysisBalanceCheck {
  readonly f_statistic: number | null;
  readonly numerator_df: number;
  readonly denominator_df: number;
  readonly p_value: number | null;
  /** p_value > the design's fstat_thresh (the reference's rule, shown for comparison with the design-time check). */
  readonly balance_ok: boolean;
  /** p_value < 0.001: what raises an `imbalance` warning. */
  readonly imbalance: boolean;
  /** The pre-treatment columns checked, and their encoded columns. */
  readonly fields: string[];
  readonly columns: string[];
  readonly num_participants: number;
}

export interface AnalysisWarning {
  readonly warning: ExperimentWarning;
  readonly message: string;
  /** The numbers behind the message, for programs (`underpowered`: each metric's detectable effect). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface FreqAnalysisResponse {
  readonly type: 'freq';
  readonly experiment_id: string;
  readonly metric_analyses: MetricAnalysisRow[];
  /** Participants assigned. */
  readonly num_participants: number;
  /** Assigned participants the warehouse table has no row for. */
  readonly num_missing_participants: number;
  readonly created_at: string;
  // Added by Equipoise.
  readonly baseline_arm_id: string;
  readonly alpha: number;
  readonly inference: 't' | 'z';
  readonly adjustment: {
    readonly source: AdjustSource;
    readonly fields: string[];
    readonly columns: string[];
    readonly dropped: { readonly field: string; readonly reason: string }[];
    readonly error: string | null;
  };
  readonly multiple_testing: { readonly family: string; readonly num_tests: number; readonly num_adjusted_tests: number };
  readonly sample_ratio_mismatch: SampleRatioCheck;
  readonly balance_check: AnalysisBalanceCheck | null;
  readonly warnings: AnalysisWarning[];
  readonly notes: string[];
}

/** Which pre-treatment columns Lin's adjustment uses: the design's covariates, its strata, both, or none. */
export type AdjustSource = 'covariates' | 'strata' | 'all' | 'none';

export type ExperimentAnalysisResponse = FreqAnalysisResponse;
