/**
 * Admin bandit routes: the contextual bandit's analysis at given context values (reference §1.6
 * `POST …/analyze_cmab`). MAB and MAB-DWH analyses are served by `GET …/analyze` through its dispatch to
 * `services/bandits/analysis.ts`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { analyzeBanditExperiment } from '../../services/bandits/analysis.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { ArmBanditSchema, CmabContextInputRequestSchema } from '../public/bandit-schemas.ts';
import { errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];

const nullableNumber = z.number().nullable();

export const IpwEstimateSchema = z
  .object({
    mean: nullableNumber.openapi({ description: 'Horvitz–Thompson estimate of the mean outcome had every participant got this arm' }),
    std_error: nullableNumber,
    ci_lower: nullableNumber,
    ci_upper: nullableNumber,
    self_normalized_mean: nullableNumber.openapi({ description: 'Hájek (self-normalized) estimate; lower variance' }),
    self_normalized_std_error: nullableNumber,
    min_propensity: nullableNumber.openapi({ description: "Smallest logged probability among this arm's outcomes" }),
    n: z.number().int(),
  })
  .openapi('IpwEstimate');

export const BanditArmAnalysisSchema = ArmBanditSchema.extend({
  prior_pred_mean: nullableNumber,
  prior_pred_stdev: nullableNumber,
  prior_pred_ci_upper: nullableNumber,
  prior_pred_ci_lower: nullableNumber,
  post_pred_mean: nullableNumber,
  post_pred_stdev: nullableNumber,
  post_pred_ci_upper: nullableNumber,
  post_pred_ci_lower: nullableNumber,
  n_draws: z.number().int().openapi({ description: 'Participants drawn to this arm (beyond the reference)' }),
  ipw: IpwEstimateSchema.nullable().openapi({ description: 'Inverse-propensity estimate of the arm’s value (beyond the reference); null before its first outcome' }),
}).openapi('BanditArmAnalysis');

export const BanditExperimentAnalysisSchema = z
  .object({
    type: z.literal('bandit'),
    experiment_id: z.string(),
    arm_analyses: z.array(BanditArmAnalysisSchema),
    n_outcomes: z.number().int(),
    fraction_automatically_failed: z.number(),
    created_at: z.string(),
    contexts: z.array(z.number()).nullable().openapi({ description: 'The context values the analysis is evaluated at (contextual bandits), in context-id order' }),
  })
  .openapi('BanditExperimentAnalysisResponse');

export function banditAdminRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/analyze_cmab',
      operationId: 'analyze_cmab_experiment',
      tags: [TAG],
      security,
      summary: "A contextual bandit's arms (prior and posterior predictive means, SDs, 95% intervals) at the given context values",
      request: {
        params: z.object({ datasource_id: z.string(), experiment_id: z.string() }),
        body: { content: { 'application/json': { schema: CmabContextInputRequestSchema } }, required: true },
      },
      responses: { 200: okJson(BanditExperimentAnalysisSchema, 'The analysis'), ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      const analysis = await analyzeBanditExperiment(userContext(c), datasource_id, experiment_id, c.req.valid('json').context_inputs ?? null);
      return c.json(analysis as z.infer<typeof BanditExperimentAnalysisSchema>, 200);
    },
  );

  return app;
}
