/**
 * Shapes of the admin API answers the bandit part of the experiment page reads: the history
 * (`GET …/bandit_history`, `src/http/admin/bandits.ts` `BanditHistorySchema`), the analysis at given
 * context values (`POST …/analyze_cmab`) and a bandit snapshot (the analysis as `GET …/analyze` gave it).
 * The design comes with the experiment's config (`StoredBanditDesign` in `api-types.ts`).
 */
import type { BanditKind, PriorType, RewardType } from '../../api-types.ts';

export type BucketChoice = 'auto' | 'minute' | 'hour' | 'day';

export interface Interval {
  readonly mean: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
}

export interface ArmParameters {
  readonly alpha_init: number | null;
  readonly beta_init: number | null;
  readonly mu_init: number | null;
  readonly sigma_init: number | null;
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly mu: readonly number[] | null;
  readonly covariance: readonly (readonly number[])[] | null;
}

export interface HistoryArm extends ArmParameters {
  readonly arm_id: string;
  readonly arm_name: string;
  readonly arm_description: string;
  readonly n_draws: number;
  readonly n_outcomes: number;
  readonly mean_reward: number | null;
  readonly prior: Interval;
  readonly posterior: Interval;
  readonly prob_best: number | null;
  readonly selection_probability: number | null;
}

export interface BucketArm {
  readonly arm_id: string;
  readonly draws: number;
  readonly draw_share: number | null;
  readonly outcomes: number;
  readonly mean_reward: number | null;
  readonly post_mean: number | null;
  readonly post_ci_lower: number | null;
  readonly post_ci_upper: number | null;
  readonly cumulative_outcomes: number;
}

export interface HistoryBucket {
  readonly start: string;
  readonly end: string;
  readonly draws: number;
  readonly outcomes: number;
  readonly arms: readonly BucketArm[];
}

export interface BanditHistory {
  readonly experiment_id: string;
  readonly experiment_type: BanditKind;
  readonly prior_type: PriorType;
  readonly reward_type: RewardType;
  readonly credible_level: number;
  readonly contexts: readonly number[] | null;
  readonly bucket_seconds: number | null;
  readonly created_at: string;
  readonly arms: readonly HistoryArm[];
  readonly buckets: readonly HistoryBucket[];
}

export interface BanditArmAnalysis extends ArmParameters {
  readonly arm_id: string;
  readonly arm_name: string;
  readonly n_outcomes: number;
  readonly n_draws: number;
  readonly prior_pred_mean: number | null;
  readonly prior_pred_ci_lower: number | null;
  readonly prior_pred_ci_upper: number | null;
  readonly post_pred_mean: number | null;
  readonly post_pred_stdev: number | null;
  readonly post_pred_ci_lower: number | null;
  readonly post_pred_ci_upper: number | null;
}

export interface BanditAnalysis {
  readonly type: 'bandit';
  readonly experiment_id: string;
  readonly arm_analyses: readonly BanditArmAnalysis[];
  readonly n_outcomes: number;
  readonly fraction_automatically_failed: number;
  readonly created_at: string;
  readonly contexts: readonly number[] | null;
}

import type { SnapshotStatus } from '../snapshot-words.ts';

export type { SnapshotStatus };

export interface BanditSnapshot {
  readonly id: string;
  readonly status: SnapshotStatus;
  readonly details: { readonly message: string } | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly data: BanditAnalysis | Record<string, unknown> | null;
}

export function isBanditAnalysis(data: BanditSnapshot['data']): data is BanditAnalysis {
  return data !== null && (data as { type?: unknown }).type === 'bandit';
}
