/**
 * The designs of adaptive ("bandit") experiments, as the reference API shapes them (spec §2.4): `mab_online`
 * (a multi-armed bandit whose outcomes the client posts), `mab_online_dwh` (the same, with the outcome bound
 * to a warehouse column whose type is checked at design time) and `cmab_online` (a contextual bandit: each
 * draw carries one value per declared context). Each arm starts from a prior, given per arm or derived from
 * arm weights; the server keeps the posterior. Rules that need the warehouse (the MAB-DWH columns) are
 * checked by the service against the live table.
 */
import { z } from 'zod';
import { registryFields } from './registry-fields.ts';
import type { RewardModel } from '../stats/bandits/posterior.ts';

export const BANDIT_EXPERIMENT_TYPES = ['mab_online', 'mab_online_dwh', 'cmab_online'] as const;
export type BanditExperimentType = (typeof BANDIT_EXPERIMENT_TYPES)[number];

export function isBanditType(experimentType: string): experimentType is BanditExperimentType {
  return (BANDIT_EXPERIMENT_TYPES as readonly string[]).includes(experimentType);
}

/**
 * Draws answer `context_values` with at most this many values (the reference's MAX_NUMBER_OF_CONTEXTS), so a
 * design may declare no more: a design the API could not answer for is refused up front.
 */
export const MAX_CONTEXTS = 10;

export const PRIOR_TYPES = ['beta', 'normal'] as const;
export const REWARD_TYPES = ['binary', 'real-valued'] as const;
export const CONTEXT_VALUE_TYPES = ['binary', 'real-valued'] as const;
export type PriorType = (typeof PRIOR_TYPES)[number];
export type RewardType = (typeof REWARD_TYPES)[number];
export type ContextValueType = (typeof CONTEXT_VALUE_TYPES)[number];

/** Context ids are `ctx_<16 alphanumerics>`, like the reference's. */
export const CONTEXT_ID_PREFIX = 'ctx';

const fieldName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must start with a letter or underscore and contain only letters, digits and underscores');

const finite = z.number().refine(Number.isFinite, 'must be finite');
const positive = z.number().gt(0).refine(Number.isFinite, 'must be finite');

/** What the server sets on an arm (ids, current posterior); a request may echo them only as null. */
const SERVER_ARM_FIELDS = ['arm_id', 'alpha', 'beta', 'mu', 'covariance', 'n_outcomes'] as const;

export const BanditArmSpecSchema = z
  .object({
    arm_id: z.string().nullish(),
    arm_name: z.string().min(1).max(100),
    arm_description: z.string().max(2000).default(''),
    arm_weight: z.number().gt(0).lt(100).nullish(),
    /** Beta prior: prior successes + 1 and failures + 1, both > 0. */
    alpha_init: positive.nullish(),
    beta_init: positive.nullish(),
    /** Normal prior: mean of every coefficient, and its standard deviation (> 0). */
    mu_init: finite.nullish(),
    sigma_init: positive.nullish(),
    // Response-only (the current posterior); accepted as null so a design read back can be posted again.
    alpha: z.number().nullish(),
    beta: z.number().nullish(),
    mu: z.array(z.number()).nullish(),
    covariance: z.array(z.array(z.number())).nullish(),
    n_outcomes: z.number().nullish(),
  })
  .strict();

export const ContextSpecSchema = z
  .object({
    context_id: z.string().nullish(),
    context_name: z.string().min(1).max(100),
    context_description: z.string().max(2000).default(''),
    value_type: z.enum(CONTEXT_VALUE_TYPES).default('binary'),
  })
  .strict();

const banditCommon = {
  ...registryFields,
  arms: z.array(BanditArmSpecSchema).min(2).max(20),
  prior_type: z.enum(PRIOR_TYPES).default('beta'),
  reward_type: z.enum(REWARD_TYPES).default('binary'),
  /** Draws still without an outcome `autofail_window` hours after they were made get `autofail_outcome_value`. */
  enable_autofail: z.boolean().default(false),
  // A year at most: longer is not a bandit any more, and the stored column is a 32-bit integer.
  autofail_window: z.number().int().min(1).max(8760, 'at most 8760 hours (one year)').default(24),
  autofail_outcome_value: finite.default(0),
};

/** `contexts` belongs to contextual bandits; other bandits may send it only empty or null. */
const noContexts = { contexts: z.array(ContextSpecSchema).max(0, 'contexts are only allowed for cmab_online experiments').nullish() };

type Issue = { path: (string | number)[]; message: string };

interface BanditSpecShape {
  experiment_type: BanditExperimentType;
  start_date: string;
  end_date: string;
  prior_type: PriorType;
  reward_type: RewardType;
  autofail_outcome_value: number;
  arms: z.output<typeof BanditArmSpecSchema>[];
}

/** The cross-field rules every bandit design obeys (reference §2.4), as issues at their JSON paths. */
function banditIssues(spec: BanditSpecShape): Issue[] {
  const issues: Issue[] = [];
  if (spec.prior_type === 'beta' && spec.reward_type !== 'binary') {
    issues.push({ path: ['reward_type'], message: 'a beta prior needs reward_type binary (use prior_type normal for real-valued rewards)' });
  }
  if (spec.experiment_type === 'cmab_online' && spec.prior_type !== 'normal') {
    issues.push({ path: ['prior_type'], message: 'contextual bandits need prior_type normal' });
  }
  if (spec.reward_type === 'binary' && spec.autofail_outcome_value !== 0 && spec.autofail_outcome_value !== 1) {
    issues.push({ path: ['autofail_outcome_value'], message: 'must be 0 or 1 when reward_type is binary' });
  }
  if (Date.parse(spec.start_date) >= Date.parse(spec.end_date)) {
    issues.push({ path: ['end_date'], message: 'end_date must be after start_date' });
  }
  const weighted = spec.arms.filter((a) => a.arm_weight != null).length;
  if (weighted > 0 && weighted < spec.arms.length) {
    issues.push({ path: ['arms'], message: 'if any arm has arm_weight, every arm must have one' });
  } else if (weighted > 0) {
    const sum = spec.arms.reduce((a, b) => a + (b.arm_weight ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-9 * 100) issues.push({ path: ['arms'], message: `arm weights must sum to 100, got ${sum}` });
  }
  const [own, other] = spec.prior_type === 'beta' ? (['alpha_init', 'beta_init'] as const) : (['mu_init', 'sigma_init'] as const);
  const foreign = spec.prior_type === 'beta' ? (['mu_init', 'sigma_init'] as const) : (['alpha_init', 'beta_init'] as const);
  spec.arms.forEach((arm, i) => {
    for (const f of SERVER_ARM_FIELDS) {
      if (arm[f] != null) issues.push({ path: ['arms', i, f], message: `${f} is set by the server; leave it out` });
    }
    for (const f of foreign) {
      if (arm[f] != null) issues.push({ path: ['arms', i, f], message: `${f} belongs to the other prior type; this design has prior_type ${spec.prior_type}` });
    }
    for (const f of [own, other]) {
      if (weighted > 0 && arm[f] != null) {
        issues.push({ path: ['arms', i, f], message: `priors are derived from arm_weight when weights are given; leave ${f} out` });
      } else if (weighted === 0 && arm[f] == null) {
        issues.push({ path: ['arms', i, f], message: `required for prior_type ${spec.prior_type} (or give arm_weight on every arm)` });
      }
    }
  });
  return issues;
}

function refineBandit(spec: BanditSpecShape, ctx: z.RefinementCtx): void {
  for (const issue of banditIssues(spec)) ctx.addIssue({ code: 'custom', ...issue });
}

export const MabOnlineSpecSchema = z
  .object({ experiment_type: z.literal('mab_online'), ...banditCommon, ...noContexts })
  .strict()
  .superRefine(refineBandit);

export const MabOnlineDwhSpecSchema = z
  .object({
    experiment_type: z.literal('mab_online_dwh'),
    ...banditCommon,
    ...noContexts,
    table_name: z.string().min(1).max(100),
    primary_key: fieldName,
    /** The warehouse column the outcome stands for: boolean (binary rewards) or numeric (real-valued). */
    target_field_name: fieldName,
  })
  .strict()
  .superRefine((spec, ctx) => {
    refineBandit(spec, ctx);
    if (spec.primary_key === spec.target_field_name) {
      ctx.addIssue({ code: 'custom', path: ['target_field_name'], message: 'the target column cannot be the primary key' });
    }
  });

export const CmabOnlineSpecSchema = z
  .object({
    experiment_type: z.literal('cmab_online'),
    ...banditCommon,
    prior_type: z.enum(PRIOR_TYPES).default('normal'),
    contexts: z.array(ContextSpecSchema).min(1).max(MAX_CONTEXTS),
  })
  .strict()
  .superRefine((spec, ctx) => {
    refineBandit(spec, ctx);
    spec.contexts.forEach((c, i) => {
      if (c.context_id != null) ctx.addIssue({ code: 'custom', path: ['contexts', i, 'context_id'], message: 'context_id is assigned by the server; leave it out' });
    });
    const names = spec.contexts.map((c) => c.context_name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['contexts', i, 'context_name'], message: `context name '${n}' is used twice` });
    });
  });

export type MabOnlineSpec = z.output<typeof MabOnlineSpecSchema>;
export type MabOnlineDwhSpec = z.output<typeof MabOnlineDwhSpecSchema>;
export type CmabOnlineSpec = z.output<typeof CmabOnlineSpecSchema>;
export type BanditDesignSpec = MabOnlineSpec | MabOnlineDwhSpec | CmabOnlineSpec;

/**
 * Which update and score link a design uses: Beta–Bernoulli, Normal linear (real-valued rewards) or Normal
 * logistic (binary rewards with a Normal prior, updated by a Laplace approximation).
 */
export function rewardModelOf(priorType: PriorType, rewardType: RewardType): RewardModel {
  if (priorType === 'beta') return 'beta-bernoulli';
  return rewardType === 'real-valued' ? 'normal-linear' : 'normal-logistic';
}
