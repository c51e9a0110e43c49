/** Admin routes for designing, committing, abandoning and exporting experiments. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CreateExperimentRequestSchema } from '../../domain/design-spec.ts';
import { MAX_SEED } from '../../stats/random.ts';
import { assignmentsCsv, loadForExport } from '../../services/assignments/export-assignments.ts';
import { requireExperimentForUser } from '../../services/access.ts';
import { createExperiment } from '../../services/experiments/create-experiment.ts';
import { abandonExperiment, commitExperiment, deleteExperiment } from '../../services/experiments/lifecycle.ts';
import { getExperimentForUser } from '../../services/experiments/read-experiments.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { csvResponse } from '../public/experiments.ts';
import { allowMissingQuery, errorResponses, ExperimentConfigSchema, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });
const ExpParam = DsParam.extend({ experiment_id: z.string() });

export function experimentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/experiments',
      operationId: 'create_experiment',
      tags: [TAG],
      security,
      summary: 'Create an experiment in the draft state; preassigned designs are sampled and assigned now',
      request: {
        params: DsParam,
        query: z.object({
          random_state: z.coerce.number().int().min(0).max(MAX_SEED).optional().openapi({ description: 'Seed for reproducible sampling and assignment' }),
        }),
        body: { content: { 'application/json': { schema: CreateExperimentRequestSchema } }, required: true },
      },
      responses: { 200: okJson(ExperimentConfigSchema, 'The experiment, with arm ids and assignment summary'), ...errorResponses },
    }),
    async (c) => {
      const config = await createExperiment(userContext(c), c.req.valid('param').datasource_id, c.req.valid('json'), {
        randomState: c.req.valid('query').random_state,
      });
      return c.json(config, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}',
      operationId: 'get_experiment_for_ui',
      tags: [TAG],
      security,
      request: { params: ExpParam },
      responses: {
        200: okJson(z.object({ config: ExperimentConfigSchema, experiment_schema: z.record(z.string(), z.unknown()).nullable() }), 'The experiment'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      return c.json(await getExperimentForUser(userContext(c), datasource_id, experiment_id), 200);
    },
  );

  for (const [action, run] of [
    ['commit', commitExperiment],
    ['abandon', abandonExperiment],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/datasources/{datasource_id}/experiments/{experiment_id}/${action}`,
        operationId: `${action}_experiment`,
        tags: [TAG],
        security,
        summary: action === 'commit' ? 'Commit a draft: notifies linked webhooks' : 'Abandon a draft',
        request: { params: ExpParam },
        responses: { ...noContent, ...errorResponses },
      }),
      async (c) => {
        const { datasource_id, experiment_id } = c.req.valid('param');
        await run(userContext(c), datasource_id, experiment_id);
        return c.body(null, 204);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}',
      operationId: 'delete_experiment',
      tags: [TAG],
      security,
      request: { params: ExpParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      await deleteExperiment(userContext(c), datasource_id, experiment_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/assignments/csv',
      operationId: 'get_experiment_assignments_as_csv_for_ui',
      tags: [TAG],
      security,
      request: { params: ExpParam },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV with a header row' }, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      const ctx = userContext(c);
      await requireExperimentForUser(ctx, datasource_id, experiment_id);
      const loaded = await loadForExport(ctx, experiment_id, datasource_id);
      return csvResponse(c, experiment_id, assignmentsCsv(ctx, loaded));
    },
  );

  return app;
}
