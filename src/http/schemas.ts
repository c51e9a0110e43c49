/**
 * Response and parameter schemas shared by routes, for validation and the OpenAPI document. Field names
 * are the reference API's.
 */
import { z } from '@hono/zod-openapi';
import { BANDIT_EXPERIMENT_TYPES } from '../domain/bandit-design-spec.ts';

export const DetailError = z.object({ detail: z.string() }).openapi('DetailError');
export const MessageError = z.object({ message: z.string() }).openapi('MessageError');
export const ValidationErrorBody = z
  .object({ detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })) })
  .openapi('HTTPValidationError');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** The error bodies every route may return, so the OpenAPI document lists them. */
export const errorResponses = {
  400: json(z.union([MessageError, DetailError]), 'Bad request, or a missing/malformed API key'),
  401: json(DetailError, 'Missing or invalid credentials'),
  403: json(z.union([MessageError, DetailError]), 'Not allowed'),
  404: json(z.union([DetailError, MessageError]), 'Not found, or not visible to the caller'),
  409: json(DetailError, 'Not allowed in the current state'),
  422: json(ValidationErrorBody, 'Invalid request; every problem is listed with its location'),
} as const;

export const okJson = json;

export const noContent = { 204: { description: 'Done; no body' } } as const;

export const ArmSize = z.object({
  arm: z.object({ arm_id: z.string(), arm_name: z.string() }),
  size: z.number().int(),
  cluster_count: z.number().int().nullable().optional(),
});

export const ExperimentConfigSchema = z
  .object({
    experiment_id: z.string(),
    datasource_id: z.string(),
    state: z.enum(['assigned', 'committed', 'abandoned']),
    stopped_assignments_at: z.string().nullable(),
    stopped_assignments_reason: z.string().nullable(),
    design_spec: z.record(z.string(), z.unknown()),
    power_analyses: z.unknown().nullable(),
    assign_summary: z.object({ balance_check: z.unknown().nullable(), sample_size: z.number().int(), arm_sizes: z.array(ArmSize) }),
    webhooks: z.array(z.string()),
    decision: z.string(),
    impact: z.string(),
    assignment_progress: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: 'Progress of a preassignment: `running` while participants are written, then `done`' }),
    assignment_hash: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: 'Hash mode only: the GrowthBook parameters (seed, hash version, buckets, weights) that reproduce every assignment' }),
  })
  .openapi('ExperimentConfig');

export const StratumSchema = z.object({ field_name: z.string(), strata_value: z.string().nullable() });

export const AssignmentSchema = z
  .object({
    participant_id: z.string(),
    arm_id: z.string(),
    arm_name: z.string(),
    created_at: z.string(),
    strata: z.array(StratumSchema).nullable(),
    observed_at: z.string().nullable(),
    outcome: z.number().nullable(),
    context_values: z.array(z.number()).nullable(),
  })
  .openapi('Assignment');

export const allowMissingQuery = z.object({
  allow_missing: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const booleanQuery = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const EXPERIMENT_STATES = ['assigned', 'committed', 'abandoned'] as const;
export const EXPERIMENT_TYPES = ['freq_preassigned', 'freq_online', ...BANDIT_EXPERIMENT_TYPES] as const;

/**
 * A query parameter that may be given once or repeated; either way the handler gets a list. Made a list
 * before validating, so a bad value is reported with the allowed ones (a union would only say "invalid").
 */
export const repeatable = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).optional());

/** The paging and filter fields both experiment lists take; each route adds its own `page_size` (and more). */
export const experimentListQueryFields = {
  page_token: z.string().optional(),
  skip: z.coerce.number().int().min(0).default(0),
  state: repeatable(z.enum(EXPERIMENT_STATES)).openapi({ description: 'Repeatable; default: assigned (drafts) and committed' }),
  experiment_type: repeatable(z.enum(EXPERIMENT_TYPES)).openapi({ description: 'Repeatable; default: every type' }),
  name_contains: z.string().max(100).optional().openapi({ description: 'In the name; case-insensitive; % and _ match themselves' }),
};

/** Those fields as the list services take them. */
export function experimentListOptions(q: {
  page_size?: number | undefined;
  page_token?: string | undefined;
  skip: number;
  state?: (typeof EXPERIMENT_STATES)[number][] | undefined;
  experiment_type?: (typeof EXPERIMENT_TYPES)[number][] | undefined;
  name_contains?: string | undefined;
}) {
  return { pageSize: q.page_size, pageToken: q.page_token, skip: q.skip, states: q.state, experimentTypes: q.experiment_type, nameContains: q.name_contains };
}
