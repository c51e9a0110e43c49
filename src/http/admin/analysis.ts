/**
 * `GET /v1/m/datasources/{ds}/experiments/{exp}/analyze` (reference §1.6, §2.7): the live analysis of an
 * experiment against its warehouse. Also the response schema the snapshot and results-export routes share.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { analyzeExperimentForUser } from '../../services/analysis/analyze-experiment.ts';
import type { ResultsRequest } from '../../services/analysis/results-export.ts';
import { BanditExperimentAnalysisSchema } from './bandits.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];
const num = z.number().nullable();

const AdjustedArmSchema = z.object({
  estimate: num,
  std_error: num,
  t_stat: num,
  p_value: num,
  ci_lower: num,
  ci_upper: num,
  mean: num.openapi({ description: 'Covariate-adjusted arm mean' }),
  mean_ci_lower: num,
  mean_ci_upper: num,
  p_value_holm: num,
  p_value_bh: num,
});

const ArmAnalysisSchema = z.object({
  arm_id: z.string(),
  arm_name: z.string(),
  arm_description: z.string(),
  is_baseline: z.boolean(),
  estimate: num.openapi({ description: 'Baseline: its mean; other arms: mean − baseline mean' }),
  p_value: num,
  t_stat: num.openapi({ description: 'estimate / std_error (a z statistic with inference=z)' }),
  std_error: num,
  ci_lower: num,
  ci_upper: num,
  mean_ci_lower: num,
  mean_ci_upper: num,
  num_missing_values: z.number().int().openapi({ description: 'Assigned to the arm without a value: absent from the warehouse, or NULL there' }),
  mean: num,
  mean_std_error: num,
  num_observations: z.number().int(),
  p_value_holm: num.openapi({ description: 'Holm-adjusted over every non-baseline comparison of every metric' }),
  p_value_bh: num.openapi({ description: 'Benjamini–Hochberg (FDR) over the same family' }),
  adjusted: AdjustedArmSchema.nullable().openapi({ description: "Lin's covariate-adjusted estimate (HC1 or CR1), when the analysis adjusts" }),
});

export const AnalysisResponseSchema = z
  .object({
    type: z.literal('freq'),
    experiment_id: z.string(),
    metric_analyses: z.array(
      z.object({
        metric_name: z.string(),
        metric: z.record(z.string(), z.unknown()),
        arm_analyses: z.array(ArmAnalysisSchema),
        covariance: z.enum(['HC1', 'CR1']),
        inference: z.enum(['t', 'z']),
        df: num,
        alpha: z.number(),
        num_observations: z.number().int(),
        num_clusters: z.number().int().nullable(),
        adjustment: z
          .object({ columns: z.array(z.string()), num_observations: z.number().int(), df: num, error: z.string().nullable() })
          .nullable(),
        error: z.string().nullable(),
      }),
    ),
    num_participants: z.number().int(),
    num_missing_participants: z.number().int(),
    created_at: z.string(),
    baseline_arm_id: z.string(),
    alpha: z.number(),
    inference: z.enum(['t', 'z']),
    adjustment: z.object({
      source: z.enum(['covariates', 'strata', 'all', 'none']),
      fields: z.array(z.string()),
      columns: z.array(z.string()),
      dropped: z.array(z.object({ field: z.string(), reason: z.string() })),
      error: z.string().nullable(),
    }),
    multiple_testing: z.object({ family: z.string(), num_tests: z.number().int(), num_adjusted_tests: z.number().int() }),
    sample_ratio_mismatch: z.object({
      unit: z.enum(['participants', 'clusters']),
      observed: z.array(z.number()),
      expected: z.array(z.number()),
      chi_square: num,
      df: z.number().int(),
      p_value: num,
      mismatch: z.boolean(),
    }),
    balance_check: z
      .object({
        f_statistic: num,
        numerator_df: z.number(),
        denominator_df: z.number(),
        p_value: num,
        balance_ok: z.boolean(),
        imbalance: z.boolean(),
        fields: z.array(z.string()),
        columns: z.array(z.string()),
        num_participants: z.number().int(),
      })
      .nullable(),
    warnings: z.array(
      z.object({
        warning: z.enum(['sample_ratio_mismatch', 'imbalance', 'underpowered']),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).optional().openapi({ description: 'underpowered: reason, power, alpha and per metric the detectable and designed effect' }),
      }),
    ),
    notes: z.array(z.string()),
  })
  .openapi('FreqExperimentAnalysisResponse');

/** Either analysis, told apart by `type` (`freq` or `bandit`): what analyze returns and snapshots store. */
export const AnyAnalysisResponseSchema = z.union([AnalysisResponseSchema, BanditExperimentAnalysisSchema]).openapi('ExperimentAnalysisResponse');

/** Query parameters of every route that runs an analysis. */
export const AnalysisQuerySchema = z.object({
  baseline_arm_id: z.string().max(64).optional().openapi({ description: 'The arm every other arm is compared with; default the first arm' }),
  inference: z
    .enum(['t', 'z'])
    .default('t')
    .openapi({ description: 't (default): Student t with N − arms (or clusters − 1) df; z: normal, as the reference' }),
  adjust: z
    .enum(['covariates', 'strata', 'all', 'none'])
    .default('covariates')
    .openapi({ description: "Lin's adjustment for the design's covariates (default), its strata, both, or none" }),
});

export type AnalysisQuery = z.output<typeof AnalysisQuerySchema>;

export function analyzeOptionsOf(q: AnalysisQuery) {
  return { baselineArmId: q.baseline_arm_id, inference: q.inference, adjust: q.adjust };
}

/**
 * Query parameters of the results exports (public and admin): a snapshot, or the live options. The live
 * options have no defaults here, so giving one together with `snapshot_id` can be refused by name.
 */
export const ResultsQuerySchema = z.object({
  snapshot_id: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'Serve a stored snapshot instead of analysing now: a snapshot id, or `latest` for the latest successful one' }),
  baseline_arm_id: z.string().max(64).optional().openapi({ description: 'Live only: the arm compared against; default the first arm' }),
  inference: z.enum(['t', 'z']).optional().openapi({ description: 'Live only: t (default) or z (the reference)' }),
  adjust: z.enum(['covariates', 'strata', 'all', 'none']).optional().openapi({ description: "Live only: what Lin's adjustment uses; default the design's covariates" }),
});

export function resultsRequestOf(q: z.output<typeof ResultsQuerySchema>): ResultsRequest {
  return { snapshotId: q.snapshot_id, options: { baselineArmId: q.baseline_arm_id, inference: q.inference, adjust: q.adjust } };
}

export function analysisRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/analyze',
      operationId: 'analyze_experiment',
      tags: [TAG],
      security,
      summary: 'Analyse an experiment now: per metric and arm, the effect against the baseline with robust errors',
      description:
        'Reads the metrics of every assigned participant from the warehouse (in batches) and fits metric ~ arm with HC1 ' +
        '(CR1 by cluster for cluster designs). Adds arm means, Holm/BH-adjusted p-values, Lin covariate-adjusted ' +
        'estimates, a sample-ratio-mismatch check and a balance check; a new mismatch or imbalance raises an ' +
        '`experiment.warning` webhook. Participants absent from the warehouse and NULL values count as missing values. ' +
        'MAB experiments get the bandit analysis (posteriors, IPW estimates); contextual bandits use POST …/analyze_cmab.',
      request: { params: z.object({ datasource_id: z.string(), experiment_id: z.string() }), query: AnalysisQuerySchema },
      responses: { 200: okJson(AnyAnalysisResponseSchema, 'The analysis'), ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      const result = await analyzeExperimentForUser(userContext(c), datasource_id, experiment_id, analyzeOptionsOf(c.req.valid('query')));
      // finiteOrNull widens the IPW count to nullable although it is always a number; the schema states the truth.
      return c.json(result as never, 200);
    },
  );
  return app;
}
