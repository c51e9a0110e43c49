/**
 * A stored bandit analysis (a snapshot's data, as `GET …/analyze` answered then) as the posterior view draws
 * it. The analysis has each arm's draws, outcomes, prior and posterior with their predictive means and
 * intervals, but not what only the live history computes (observed means, the chance of being best or of
 * getting the next participant, traffic per period): those are left out, not zeroed, and the view drops
 * their columns and sentences.
 */
import type { StoredBanditDesign } from '../../api-types.ts';
import type { ArmsView, BanditAnalysis } from './bandit-types.ts';

/** The analysis's intervals are 95% credible intervals (the server's `DEFAULT_CREDIBLE_LEVEL`). */
export const ANALYSIS_CREDIBLE_LEVEL = 0.95;

/**
 * @example snapshotArms(snapshot.data, design, snapshot.created_at).arms[0].posterior // { mean: 0.75, ci_lower: 0.48, ci_upper: 0.94 }
 */
export function snapshotArms(analysis: BanditAnalysis, design: Pick<StoredBanditDesign, 'experiment_type' | 'prior_type' | 'reward_type'>, takenAt: string): ArmsView {
  return {
    experiment_type: design.experiment_type,
    prior_type: design.prior_type,
    reward_type: design.reward_type,
    credible_level: ANALYSIS_CREDIBLE_LEVEL,
    contexts: analysis.contexts,
    as_of: takenAt,
    arms: analysis.arm_analyses.map((a) => ({
      arm_id: a.arm_id,
      arm_name: a.arm_name,
      arm_description: a.arm_description,
      alpha_init: a.alpha_init,
      beta_init: a.beta_init,
      mu_init: a.mu_init,
      sigma_init: a.sigma_init,
      alpha: a.alpha,
      beta: a.beta,
      mu: a.mu,
      covariance: a.covariance,
      n_draws: a.n_draws,
      n_outcomes: a.n_outcomes,
      prior: { mean: a.prior_pred_mean, ci_lower: a.prior_pred_ci_lower, ci_upper: a.prior_pred_ci_upper },
      posterior: { mean: a.post_pred_mean, ci_lower: a.post_pred_ci_lower, ci_upper: a.post_pred_ci_upper },
    })),
  };
}
