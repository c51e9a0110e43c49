/**
 * Results export on the public API (`X-API-Key` with the `read` scope, like the assignment exports):
 * `GET /v1/experiments/{id}/results` (JSON, the admin analysis response) and `…/results/csv`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authenticateKeyForExperiment } from '../../services/authentication.ts';
import { experimentResults, resultsCsv, resultsFilename } from '../../services/analysis/results-export.ts';
import { keyContext, type AppEnv } from '../app-env.ts';
import { AnyAnalysisResponseSchema, resultsRequestOf, ResultsQuerySchema } from '../admin/analysis.ts';
import { errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Experiment Integration';
const security = [{ APIKeyHeader: [] }];
const Params = z.object({ experiment_id: z.string().openapi({ param: { name: 'experiment_id', in: 'path' } }) });
const Query = ResultsQuerySchema;

async function results(c: Context<AppEnv>, experimentId: string, q: z.output<typeof Query>) {
  const actor = await authenticateKeyForExperiment(c.var.deps, c.req.header('X-API-Key'), experimentId, c.req.header('Datasource-ID'), 'read');
  return experimentResults(keyContext(c, actor), experimentId, resultsRequestOf(q));
}

export function publicResultsRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}/results',
      operationId: 'get_experiment_results',
      tags: [TAG],
      security,
      summary: 'The analysis as JSON: per metric and arm, effects with robust errors, adjusted p-values, SRM and balance checks',
      description:
        'Frequentist experiments get effects per metric and arm; bandits their posteriors and IPW estimates (a contextual ' +
        'bandit at the mean context of its draws). Analyses now unless `snapshot_id` names a stored snapshot (`latest` for the most recent ' +
        'successful one). A live analysis reads every assigned participant from the warehouse, so prefer snapshots for dashboards.',
      request: { params: Params, query: Query },
      responses: { 200: okJson(AnyAnalysisResponseSchema, 'The analysis'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id } = c.req.valid('param');
      return c.json((await results(c, experiment_id, c.req.valid('query'))) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}/results/csv',
      operationId: 'get_experiment_results_as_csv',
      tags: [TAG],
      security,
      summary: 'The analysis as CSV: one row per metric and arm (estimate, errors, p-values raw/Holm/BH, CIs, means, adjusted estimate, the warnings that concern the row), or per arm for bandits',
      request: { params: Params, query: Query },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV with a header row' }, ...errorResponses },
    }),
    async (c) => {
      const { experiment_id } = c.req.valid('param');
      const body = resultsCsv(await results(c, experiment_id, c.req.valid('query')));
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${resultsFilename(experiment_id)}"`);
      return c.body(body, 200) as never;
    },
  );

  return app;
}
