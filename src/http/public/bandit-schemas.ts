/**
 * Schemas of the bandit bodies, shared by the public routes (assignment answers, outcomes, `assign_cmab`)
 * and the admin analysis route. Field names are the reference's; additions are described as such.
 */
import { z } from '@hono/zod-openapi';
import { MAX_CONTEXTS } from '../../domain/bandit-design-spec.ts';
import { StratumSchema } from '../schemas.ts';

const MAX_INPUTS = 10 * MAX_CONTEXTS;

/** A bandit draw as the single-participant answers give it (reference `Assignment`, bandit fields). */
export const BanditAssignmentSchema = z
  .object({
    participant_id: z.string(),
    arm_id: z.string(),
    arm_name: z.string(),
    created_at: z.string(),
    strata: z.array(StratumSchema),
    observed_at: z.string().nullable(),
    outcome: z.number().nullable(),
    autofailed_outcome: z.boolean().nullable(),
    context_values: z.array(z.number()).nullable().openapi({ description: 'Contextual bandits: the context values in context-id order' }),
    propensity: z.number().openapi({ description: 'Probability the arm had of being drawn for this participant (beyond the reference)' }),
  })
  .openapi('BanditAssignment');

export const ArmBanditSchema = z
  .object({
    arm_id: z.string(),
    arm_name: z.string(),
    arm_description: z.string(),
    arm_weight: z.number().nullable(),
    alpha_init: z.number().nullable(),
    beta_init: z.number().nullable(),
    mu_init: z.number().nullable(),
    sigma_init: z.number().nullable().openapi({ description: 'Standard deviation of the Normal prior of every coefficient' }),
    alpha: z.number().nullable(),
    beta: z.number().nullable(),
    mu: z.array(z.number()).nullable(),
    covariance: z.array(z.array(z.number())).nullable(),
    n_outcomes: z.number().int().openapi({ description: 'Outcomes folded into the posterior' }),
  })
  .openapi('ArmBandit');

export const ContextInputSchema = z
  .object({ context_id: z.string().min(1).max(64), context_value: z.number().refine(Number.isFinite, 'must be finite') })
  .strict();

/**
 * `CMABContextInputRequest`: one value per context; may be null when the participant already has a draw. The
 * list is capped well above MAX_CONTEXTS only to bound the body: a wrong count gets the reference's message.
 */
export const CmabContextInputRequestSchema = z
  .object({
    type: z.literal('cmab_assignment').optional(),
    context_inputs: z.array(ContextInputSchema).max(MAX_INPUTS).nullish(),
  })
  .strict()
  .openapi('CMABContextInputRequest');
