/**
 * Which experiments are bandits, and a bandit's design read out of its config. `ExperimentConfig.design_spec`
 * is typed for A/B tests, so the wizard's review, the experiment page and the design facts all read the
 * bandit fields through `banditDesignOf`, the one place that casts.
 */
import type { BanditKind, ExperimentConfig, ExperimentType, StoredBanditDesign } from './api-types.ts';

export const BANDIT_KINDS = ['mab_online', 'mab_online_dwh', 'cmab_online'] as const satisfies readonly BanditKind[];

export function isBanditKind(kind: ExperimentType | null): kind is BanditKind {
  return (BANDIT_KINDS as readonly (ExperimentType | null)[]).includes(kind);
}

/** The bandit design of a config, or null for an A/B test. */
export function banditDesignOf(config: Pick<ExperimentConfig, 'design_spec'>): StoredBanditDesign | null {
  return isBanditKind(config.design_spec.experiment_type) ? (config.design_spec as unknown as StoredBanditDesign) : null;
}
