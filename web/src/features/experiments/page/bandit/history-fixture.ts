/** A small bandit history and an older stored analysis of it, as the server answers them, for the component tests (imported only by tests). */
import type { BanditAnalysis, BanditArmAnalysis, BanditHistory, HistoryArm } from './bandit-types.ts';

const arm = (id: string, name: string, o: Partial<HistoryArm>): HistoryArm => ({
  arm_id: id,
  arm_name: name,
  arm_description: '',
  alpha_init: 1,
  beta_init: 1,
  mu_init: null,
  sigma_init: null,
  alpha: 1,
  beta: 1,
  mu: null,
  covariance: null,
  n_draws: 0,
  n_outcomes: 0,
  mean_reward: null,
  prior: { mean: 0.5, ci_lower: 0.025, ci_upper: 0.975 },
  posterior: { mean: 0.5, ci_lower: 0.025, ci_upper: 0.975 },
  prob_best: 1 / 3,
  selection_probability: 1 / 3,
  ...o,
});

export const T0 = Date.parse('2026-06-01T12:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** sms leads: 3 periods of a minute; the middle one has no draws. */
export const historyFixture: BanditHistory = {
  experiment_id: 'exp_1',
  experiment_type: 'mab_online',
  prior_type: 'beta',
  reward_type: 'binary',
  credible_level: 0.95,
  contexts: null,
  bucket_seconds: 60,
  created_at: iso(3),
  arms: [
    arm('arm_a', 'letter', { alpha: 2, beta: 5, n_draws: 10, n_outcomes: 5, mean_reward: 0.2, posterior: { mean: 2 / 7, ci_lower: 0.0433, ci_upper: 0.6412 }, prob_best: 0.02, selection_probability: 0.02 }),
    arm('arm_b', 'sms', { alpha: 9, beta: 3, n_draws: 25, n_outcomes: 10, mean_reward: 0.8, posterior: { mean: 0.75, ci_lower: 0.4822, ci_upper: 0.9398 }, prob_best: 0.91, selection_probability: 0.91 }),
    arm('arm_c', 'call', { alpha: 2, beta: 3, n_draws: 5, n_outcomes: 3, mean_reward: 1 / 3, posterior: { mean: 0.4, ci_lower: 0.0676, ci_upper: 0.8059 }, prob_best: 0.07, selection_probability: 0.07 }),
  ],
  buckets: [
    {
      start: iso(0),
      end: iso(1),
      draws: 20,
      outcomes: 8,
      arms: [
        { arm_id: 'arm_a', draws: 8, draw_share: 0.4, outcomes: 4, mean_reward: 0.25, post_mean: 0.3333, post_ci_lower: 0.05, post_ci_upper: 0.7, cumulative_outcomes: 4 },
        { arm_id: 'arm_b', draws: 8, draw_share: 0.4, outcomes: 3, mean_reward: 1, post_mean: 0.8, post_ci_lower: 0.4, post_ci_upper: 0.99, cumulative_outcomes: 3 },
        { arm_id: 'arm_c', draws: 4, draw_share: 0.2, outcomes: 1, mean_reward: 0, post_mean: 0.3333, post_ci_lower: 0.01, post_ci_upper: 0.8, cumulative_outcomes: 1 },
      ],
    },
    {
      start: iso(1),
      end: iso(2),
      draws: 0,
      outcomes: 0,
      arms: [
        { arm_id: 'arm_a', draws: 0, draw_share: null, outcomes: 0, mean_reward: null, post_mean: 0.3333, post_ci_lower: 0.05, post_ci_upper: 0.7, cumulative_outcomes: 4 },
        { arm_id: 'arm_b', draws: 0, draw_share: null, outcomes: 0, mean_reward: null, post_mean: 0.8, post_ci_lower: 0.4, post_ci_upper: 0.99, cumulative_outcomes: 3 },
        { arm_id: 'arm_c', draws: 0, draw_share: null, outcomes: 0, mean_reward: null, post_mean: 0.3333, post_ci_lower: 0.01, post_ci_upper: 0.8, cumulative_outcomes: 1 },
      ],
    },
    {
      start: iso(2),
      end: iso(3),
      draws: 20,
      outcomes: 10,
      arms: [
        { arm_id: 'arm_a', draws: 2, draw_share: 0.1, outcomes: 1, mean_reward: 0, post_mean: 2 / 7, post_ci_lower: 0.0433, post_ci_upper: 0.6412, cumulative_outcomes: 5 },
        { arm_id: 'arm_b', draws: 17, draw_share: 0.85, outcomes: 7, mean_reward: 5 / 7, post_mean: 0.75, post_ci_lower: 0.4822, post_ci_upper: 0.9398, cumulative_outcomes: 10 },
        { arm_id: 'arm_c', draws: 1, draw_share: 0.05, outcomes: 2, mean_reward: 0.5, post_mean: 0.4, post_ci_lower: 0.0676, post_ci_upper: 0.8059, cumulative_outcomes: 3 },
      ],
    },
  ],
};

const analysed = (id: string, name: string, o: Partial<BanditArmAnalysis>): BanditArmAnalysis => ({
  arm_id: id,
  arm_name: name,
  arm_description: '',
  alpha_init: 1,
  beta_init: 1,
  mu_init: null,
  sigma_init: null,
  alpha: 1,
  beta: 1,
  mu: null,
  covariance: null,
  n_draws: 0,
  n_outcomes: 0,
  prior_pred_mean: 0.5,
  prior_pred_ci_lower: 0.025,
  prior_pred_ci_upper: 0.975,
  post_pred_mean: 0.5,
  post_pred_stdev: 0.5,
  post_pred_ci_lower: 0.025,
  post_pred_ci_upper: 0.975,
  ...o,
});

/** The same bandit after its first period, as a snapshot stored it (`GET …/analyze` then): sms already ahead. */
export const snapshotAnalysisFixture: BanditAnalysis = {
  type: 'bandit',
  experiment_id: 'exp_1',
  n_outcomes: 8,
  fraction_automatically_failed: 0,
  created_at: iso(1),
  contexts: null,
  arm_analyses: [
    analysed('arm_a', 'letter', { alpha: 2, beta: 4, n_draws: 8, n_outcomes: 4, post_pred_mean: 1 / 3, post_pred_ci_lower: 0.0433, post_pred_ci_upper: 0.7772 }),
    analysed('arm_b', 'sms', { alpha: 4, beta: 1, n_draws: 8, n_outcomes: 3, post_pred_mean: 0.8, post_pred_ci_lower: 0.3981, post_pred_ci_upper: 0.9937 }),
    analysed('arm_c', 'call', { alpha: 1, beta: 2, n_draws: 4, n_outcomes: 1, post_pred_mean: 1 / 3, post_pred_ci_lower: 0.0126, post_pred_ci_upper: 0.8419 }),
  ],
};
