/**
 * Admin bandit routes: the contextual bandit's analysis at given context values (reference §1.6
 * `POST …/analyze_cmab`), and the history of any bandit over time (`GET …/bandit_history`, beyond the
 * reference). MAB and MAB-DWH analyses are served by `GET …/analyze` through its dispatch to
 * `services/bandits/analysis.ts`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { analyzeBanditExperiment } from '../../services/bandits/analysis.ts';
import { BUCKET_CHOICES } from '../../services/bandits/history-buckets.ts';
import { banditHistoryForUser } from '../../services/bandits/history.ts';
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

const IntervalSchema = z.object({ mean: nullableNumber, ci_lower: nullableNumber, ci_upper: nullableNumber });

export const BanditHistorySchema = z
  .object({
    experiment_id: z.string(),
    experiment_type: z.enum(['mab_online', 'mab_online_dwh', 'cmab_online']),
    prior_type: z.enum(['beta', 'normal']),
    reward_type: z.enum(['binary', 'real-valued']),
    credible_level: z.number().openapi({ description: 'Level of every credible interval (0.95)' }),
    contexts: z.array(z.number()).nullable().openapi({ description: 'Contextual bandits: the context values (mean of the draws, binary ones rounded) the rewards are evaluated at, in context-id order' }),
    bucket_seconds: z.number().nullable().openapi({ description: 'Length of one bucket; null when there is no draw yet' }),
    created_at: z.string(),
    arms: z.array(
      ArmBanditSchema.omit({ arm_weight: true }).extend({
        n_draws: z.number().int(),
        mean_reward: nullableNumber.openapi({ description: 'Mean of the outcomes observed so far' }),
        prior: IntervalSchema.openapi({ description: 'Expected reward under the prior, with its credible interval' }),
        posterior: IntervalSchema.openapi({ description: 'Expected reward under the current posterior (as GET …/analyze reports it)' }),
        prob_best: nullableNumber.openapi({ description: 'Posterior probability that this arm has the highest expected reward' }),
        selection_probability: nullableNumber.openapi({ description: 'Chance the next participant is drawn to this arm (top-two sampling from five arms on)' }),
      }),
    ),
    buckets: z.array(
      z.object({
        start: z.string(),
        end: z.string(),
        draws: z.number().int(),
        outcomes: z.number().int(),
        arms: z.array(
          z.object({
            arm_id: z.string(),
            draws: z.number().int(),
            draw_share: nullableNumber.openapi({ description: "The arm's share of the bucket's draws; null when the bucket has none" }),
            outcomes: z.number().int().openapi({ description: 'Outcomes observed in the bucket' }),
            mean_reward: nullableNumber.openapi({ description: "Mean of the bucket's outcomes" }),
            post_mean: nullableNumber.openapi({ description: 'Posterior expected reward at the end of the bucket' }),
            post_ci_lower: nullableNumber,
            post_ci_upper: nullableNumber,
            cumulative_outcomes: z.number().int().openapi({ description: 'Outcomes in the posterior at the end of the bucket' }),
          }),
        ),
      }),
    ),
  })
  .openapi('BanditHistory');

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

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/bandit_history',
      operationId: 'bandit_history',
      tags: [TAG],
      security,
      summary: "A bandit's traffic, outcomes and posteriors over time, in UTC-aligned buckets, and its arms now",
      description:
        'Per bucket and arm: draws (count, share), outcomes (count, mean reward) and the posterior at the end of the bucket ' +
        '(mean, 95% credible interval). `auto` picks the shortest of 1 s … 7 days giving at most 60 buckets; ' +
        'minute, hour and day are refused past 1,500 buckets.',
      request: {
        params: z.object({ datasource_id: z.string(), experiment_id: z.string() }),
        query: z.object({ bucket: z.enum(BUCKET_CHOICES).default('auto').openapi({ description: 'Bucket length' }) }),
      },
      responses: { 200: okJson(BanditHistorySchema, 'The history'), ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      const history = await banditHistoryForUser(userContext(c), datasource_id, experiment_id, c.req.valid('query').bucket);
      return c.json(history as z.infer<typeof BanditHistorySchema>, 200);
    },
  );

  return app;
}
