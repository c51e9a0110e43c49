/**
 * Shapes of the analysis the results section reads: `GET …/analyze` (`src/http/admin/analysis.ts`,
 * `AnalysisResponseSchema`) and the snapshots that store it (`src/http/admin/snapshots.ts`). Numbers the
 * server could not compute are null. Declared in full, so a fixture shaped like a real response type-checks.
 */
export type AdjustSource = 'covariates' | 'strata' | 'all' | 'none';

export interface AdjustedArmAnalysis {
  readonly estimate: number | null;
  readonly std_error: number | null;
  readonly t_stat: number | null;
  readonly p_value: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
  readonly mean: number | null;
  readonly mean_ci_lower: number | null;
  readonly mean_ci_upper: number | null;
  readonly p_value_holm: number | null;
  readonly p_value_bh: number | null;
}

export interface ArmAnalysis {
  readonly arm_id: string;
  readonly arm_name: string;
  readonly arm_description: string;
  readonly is_baseline: boolean;
  /** Baseline: its mean; other arms: mean − baseline mean. */
  readonly estimate: number | null;
  readonly p_value: number | null;
  readonly t_stat: number | null;
  readonly std_error: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
  readonly mean: number | null;
  readonly mean_std_error: number | null;
  readonly mean_ci_lower: number | null;
  readonly mean_ci_upper: number | null;
  readonly num_missing_values: number;
  readonly num_observations: number;
  readonly p_value_holm: number | null;
  readonly p_value_bh: number | null;
  readonly adjusted: AdjustedArmAnalysis | null;
}

export interface MetricAnalysis {
  readonly metric_name: string;
  /** The design's metric plus `metric_type` (`binary` or `numeric`). */
  readonly metric: Readonly<Record<string, unknown>>;
  readonly arm_analyses: readonly ArmAnalysis[];
  readonly covariance: 'HC1' | 'CR1';
  readonly inference: 't' | 'z';
  readonly df: number | null;
  readonly alpha: number;
  readonly num_observations: number;
  readonly num_clusters: number | null;
  readonly adjustment: { readonly columns: readonly string[]; readonly num_observations: number; readonly df: number | null; readonly error: string | null } | null;
  readonly error: string | null;
}

export interface AnalysisWarning {
  /** `sample_ratio_mismatch`, `imbalance`, `underpowered`, or a code newer than this screen. */
  readonly warning: string;
  readonly message: string;
}

export interface SampleRatioCheck {
  readonly unit: 'participants' | 'clusters';
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  readonly chi_square: number | null;
  readonly df: number;
  readonly p_value: number | null;
  readonly mismatch: boolean;
}

export interface BalanceCheck {
  readonly f_statistic: number | null;
  readonly numerator_df: number;
  readonly denominator_df: number;
  readonly p_value: number | null;
  readonly balance_ok: boolean;
  readonly imbalance: boolean;
  readonly fields: readonly string[];
  readonly columns: readonly string[];
  readonly num_participants: number;
}

export interface FreqAnalysis {
  readonly type: 'freq';
  readonly experiment_id: string;
  readonly metric_analyses: readonly MetricAnalysis[];
  readonly num_participants: number;
  readonly num_missing_participants: number;
  readonly created_at: string;
  readonly baseline_arm_id: string;
  readonly alpha: number;
  readonly inference: 't' | 'z';
  readonly adjustment: {
    readonly source: AdjustSource;
    readonly fields: readonly string[];
    readonly columns: readonly string[];
    readonly dropped: readonly { readonly field: string; readonly reason: string }[];
    readonly error: string | null;
  };
  readonly multiple_testing: { readonly family: string; readonly num_tests: number; readonly num_adjusted_tests: number };
  readonly sample_ratio_mismatch: SampleRatioCheck;
  readonly balance_check: BalanceCheck | null;
  readonly warnings: readonly AnalysisWarning[];
  readonly notes: readonly string[];
}

import type { SnapshotStatus } from '../snapshot-words.ts';

export type { SnapshotStatus };

export interface Snapshot {
  readonly id: string;
  readonly experiment_id: string;
  readonly status: SnapshotStatus;
  readonly details: { readonly message: string } | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** The analysis as it was then; a bandit's has `type: 'bandit'` (not shown here). */
  readonly data: FreqAnalysis | { readonly type: 'bandit' } | null;
}

export interface SnapshotPage {
  readonly items: readonly Snapshot[];
  readonly latest_failure: string | null;
  readonly next_page_token: string;
}

/** The live analysis's options; absent means the server's default. */
export type Inference = 't' | 'z';

export interface LiveOptions {
  readonly baselineArmId?: string | undefined;
  readonly adjust?: AdjustSource | undefined;
  readonly inference?: Inference | undefined;
}

export function isFreqAnalysis(data: Snapshot['data']): data is FreqAnalysis {
  return data !== null && data.type === 'freq';
}
