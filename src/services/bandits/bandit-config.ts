/**
 * The reference's `ExperimentConfig` for a bandit experiment: the design as submitted (arms with their priors
 * and current posteriors, prior and reward types, contexts with their ids, autofail settings, and for
 * MAB-DWH the bound table, key and target column), and the number of draws per arm. A bandit has no balance
 * check and no assignment progress.
 */
import type { ExperimentState } from '../../domain/experiment-state.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import { armBanditView, banditDesignOf } from './bandit-design.ts';

export function banditExperimentConfig(loaded: LoadedExperiment) {
  const { experiment: e, arms } = loaded;
  const design = banditDesignOf(loaded);
  const dwh = e.experiment_type === 'mab_online_dwh';
  return {
    experiment_id: e.id,
    datasource_id: e.datasource_id,
    state: e.state as ExperimentState,
    stopped_assignments_at: e.stopped_assignments_at?.toISOString() ?? null,
    stopped_assignments_reason: e.stopped_assignments_reason,
    design_spec: {
      experiment_type: e.experiment_type,
      experiment_name: e.name,
      description: e.description,
      design_url: e.design_url,
      start_date: e.start_date.toISOString(),
      end_date: e.end_date.toISOString(),
      arms: arms.map(armBanditView),
      prior_type: design.prior_type,
      reward_type: design.reward_type,
      contexts: design.contexts,
      enable_autofail: e.enable_autofail,
      autofail_window: e.autofail_window_hours ?? 24,
      autofail_outcome_value: e.autofail_outcome_value ?? 0,
      ...(dwh ? { table_name: e.table_name, primary_key: e.primary_key, target_field_name: design.target_field_name } : {}),
    },
    power_analyses: e.power_analyses ?? null,
    assign_summary: {
      balance_check: null,
      sample_size: arms.reduce((n, a) => n + Number(a.population), 0),
      arm_sizes: arms.map((a) => ({ arm: { arm_id: a.id, arm_name: a.name }, size: Number(a.population), cluster_count: null })),
    },
    assignment_progress: null,
    assignment_hash: null,
    webhooks: [...loaded.webhookIds],
    decision: e.decision,
    impact: e.impact,
  };
}
