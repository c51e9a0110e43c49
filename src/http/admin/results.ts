/**
 * `GET /v1/m/datasources/{ds}/experiments/{exp}/results?format=json|csv`: the results download of the admin
 * UI. The same analysis and CSV as the public export (`public/results.ts`), but signed in with the session's
 * bearer token instead of an API key, and always as an attachment named for the experiment (and snapshot).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { experimentResultsForUser, resultsCsv, resultsFilename } from '../../services/analysis/results-export.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { errorResponses } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';
import { AnyAnalysisResponseSchema, resultsRequestOf, ResultsQuerySchema } from './analysis.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];

const Query = ResultsQuerySchema.extend({
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'json (default): the analysis response; csv: one row per metric and arm (per arm for bandits)' }),
});

export function adminResultsRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/results',
      operationId: 'download_experiment_results',
      tags: [TAG],
      security,
      summary: 'Download the results as JSON or CSV: analysed now, or a stored snapshot (`snapshot_id`, or `latest`)',
      description:
        'What the public `GET /v1/experiments/{id}/results[/csv]` serves, for a signed-in user. Content-Disposition names the file ' +
        '`experiment_<id>_results.<format>`, with `_<snapshot id>` before the extension when a snapshot is served. ' +
        'baseline_arm_id, inference and adjust apply to live analyses only (422 with snapshot_id).',
      request: { params: z.object({ datasource_id: z.string(), experiment_id: z.string() }), query: Query },
      responses: {
        200: {
          content: { 'application/json': { schema: AnyAnalysisResponseSchema }, 'text/csv': { schema: z.string() } },
          description: 'The analysis as an attachment',
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      const q = c.req.valid('query');
      const { analysis, snapshotId } = await experimentResultsForUser(userContext(c), datasource_id, experiment_id, resultsRequestOf(q));
      c.header('Content-Disposition', `attachment; filename="${resultsFilename(experiment_id, q.format, snapshotId)}"`);
      if (q.format === 'json') return c.json(analysis as never, 200);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(resultsCsv(analysis), 200) as never;
    },
  );
  return app;
}
