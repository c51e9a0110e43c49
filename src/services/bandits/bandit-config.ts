/**
 * The reference's `ExperimentConfig` for a bandit experiment: the design as submitted (arms with their priors
 * and current posteriors, prior and reward types, contexts with their ids, autofail settings, and for
 * MAB-DWH the bound table, key and target column), and the number of draws per arm. A bandit has no balance
 * check and no assignment progress.
 */
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import { configHeader, specRegistry } from '../experiments/stored-design.ts';
import { armBanditView, banditDesignOf } from './bandit-design.ts';

export function banditExperimentConfig(loaded: LoadedExperiment) {
  const { experiment: e, arms } = loaded;
  const design = banditDesignOf(loaded);
  const dwh = e.experiment_type === 'mab_online_dwh';
  return {
    ...configHeader(e),
    design_spec: {
      ...specRegistry(e),
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
