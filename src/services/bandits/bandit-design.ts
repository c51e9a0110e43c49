/**
 * What a bandit experiment keeps of its design, and how its arms read as statistics: the prior each arm was
 * given, the posterior it holds now, and the reference's `ArmBandit` view of both. The design document (the
 * experiment row's `design` JSON) holds the prior and reward types, the contexts (ids assigned at creation)
 * and, for MAB-DWH, the bound target column with its warehouse type; the arms' prior and posterior
 * parameters live in their own columns (migration 0008).
 */
import type { ContextDefinition } from '../../domain/bandit-context.ts';
import { rewardModelOf, type PriorType, type RewardType } from '../../domain/bandit-design-spec.ts';
import { betaPrior, normalPrior, type ArmPosterior, type RewardModel } from '../../stats/bandits/posterior.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { Arm } from '../../store/schema.ts';
import type { ColumnType } from '../../warehouse/warehouse.ts';

export interface StoredBanditDesign {
  readonly prior_type: PriorType;
  readonly reward_type: RewardType;
  /** Contextual bandits: the contexts in design order (vectors follow id order, `contextsInVectorOrder`). */
  readonly contexts: ContextDefinition[] | null;
  /** MAB-DWH: the warehouse column the outcome stands for, and the types of it and of the primary key. */
  readonly target_field_name: string | null;
  readonly field_types: Readonly<Record<string, ColumnType>>;
  /** Whether the priors were derived from arm weights (reported back as given). */
  readonly priors_from_weights: boolean;
}

export function banditDesignOf(loaded: LoadedExperiment): StoredBanditDesign {
  return loaded.experiment.design as unknown as StoredBanditDesign;
}

export function modelOf(design: StoredBanditDesign): RewardModel {
  return rewardModelOf(design.prior_type, design.reward_type);
}

/** Coefficients per Normal arm: one per context, or one (the constant) for a plain bandit. */
export function dimensionOf(design: StoredBanditDesign): number {
  return design.contexts?.length ?? 1;
}

/** The arm parameters as the database hands them back (a row, or a JSON aggregate of rows). */
export type ArmParameters = Pick<Arm, 'alpha_init' | 'beta_init' | 'mu_init' | 'sigma_init' | 'alpha' | 'beta' | 'mu' | 'covariance'>;

/** The prior the arm started from (`sigma_init` is a standard deviation; see docs/statistics.md). */
export function priorOf(arm: ArmParameters, design: StoredBanditDesign): ArmPosterior {
  if (design.prior_type === 'beta') return betaPrior(arm.alpha_init as number, arm.beta_init as number);
  return normalPrior(arm.mu_init as number, arm.sigma_init as number, dimensionOf(design));
}

/** The arm's current posterior. */
export function posteriorOf(arm: ArmParameters, design: StoredBanditDesign): ArmPosterior {
  if (design.prior_type === 'beta') return { kind: 'beta', alpha: arm.alpha as number, beta: arm.beta as number };
  return { kind: 'normal', mean: arm.mu as number[], covariance: arm.covariance as number[][] };
}

/** Arms in the order Thompson sampling sees them: by id, as the reference sorts them. */
export function armsInDrawOrder<T extends { id: string }>(arms: readonly T[]): T[] {
  return [...arms].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The reference's `ArmBandit` (arm, prior, current posterior), plus `n_outcomes`. `arm_weight` is what the
 * design gave (null when it gave priors).
 */
export function armBanditView(arm: Arm) {
  return {
    arm_id: arm.id,
    arm_name: arm.name,
    arm_description: arm.description,
    arm_weight: arm.weight,
    alpha_init: arm.alpha_init,
    beta_init: arm.beta_init,
    mu_init: arm.mu_init,
    sigma_init: arm.sigma_init,
    alpha: arm.alpha,
    beta: arm.beta,
    mu: arm.mu,
    covariance: arm.covariance,
    n_outcomes: Number(arm.n_outcomes),
  };
}

export type ArmBanditView = ReturnType<typeof armBanditView>;
