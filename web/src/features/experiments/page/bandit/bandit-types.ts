/**
 * Shapes of the admin API answers the bandit part of the experiment page reads: the history
 * (`GET …/bandit_history`, `src/http/admin/bandits.ts` `BanditHistorySchema`), the analysis at given
 * context values (`POST …/analyze_cmab`) and a bandit snapshot (the analysis as `GET …/analyze` gave it).
 * The design comes with the experiment's config (`StoredBanditDesign` in `api-types.ts`). `ArmsView` is what
 * the posterior view draws: the live history as it comes, or a snapshot's analysis adapted to it.
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

/** Numbers only the live history has: a snapshot stores the analysis, which has none of them. */
type HistoryOnly = 'mean_reward' | 'prob_best' | 'selection_probability';

/** One arm as the posterior view draws it; a snapshot's arms lack the history-only numbers. */
export type ArmView = Omit<HistoryArm, HistoryOnly> & Partial<Pick<HistoryArm, HistoryOnly>>;

/** The arms at one moment, for the posterior view: a `BanditHistory` is one as it is. */
export interface ArmsView {
  readonly experiment_type: BanditKind;
  readonly prior_type: PriorType;
  readonly reward_type: RewardType;
  readonly credible_level: number;
  readonly contexts: readonly number[] | null;
  readonly arms: readonly ArmView[];
  /** Live only: the periods the "recent traffic" sentence sums. */
  readonly buckets?: readonly HistoryBucket[];
  /** A snapshot only: when it was taken; the words then speak of that moment instead of now. */
  readonly as_of?: string;
}

export interface BanditArmAnalysis extends ArmParameters {
  readonly arm_id: string;
  readonly arm_name: string;
  readonly arm_description: string;
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

/** Whether a snapshot's data is a bandit analysis (the A/B snapshot type reads it too, hence `unknown`). */
export function isBanditAnalysis(data: unknown): data is BanditAnalysis {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'bandit';
}
