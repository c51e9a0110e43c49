/** Admin routes for designing, committing, abandoning and exporting experiments. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CreateExperimentRequestSchema, DesignSpecSchema } from '../../domain/design-spec.ts';
import { MAX_SEED } from '../../stats/random.ts';
import { assignmentsCsv, loadForExport } from '../../services/assignments/export-assignments.ts';
import { requireExperimentForUser } from '../../services/access.ts';
import { createExperiment } from '../../services/experiments/create-experiment.ts';
import { analysePower } from '../../services/power.ts';
import { abandonExperiment, commitExperiment, deleteExperiment } from '../../services/experiments/lifecycle.ts';
import { getExperimentForUser, listDatasourceExperimentsPage } from '../../services/experiments/read-experiments.ts';
import { resumeAssignments, stopAssignments } from '../../services/experiments/assignment-stops.ts';
import { deleteExperimentData } from '../../services/experiments/delete-experiment-data.ts';
import { patchArm, patchExperiment } from '../../services/experiments/patch-experiment.ts';
import { setRunTimeSettings } from '../../services/experiments/run-time-settings.ts';
import { sampleCalls } from '../../services/experiments/sample-calls.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { csvResponse } from '../public/experiments.ts';
import { allowMissingQuery, booleanQuery, errorResponses, experimentListOptions, experimentListQueryFields, ExperimentConfigSchema, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });
const ExpParam = DsParam.extend({ experiment_id: z.string() });

const PowerMessageSchema = z.object({
  type: z.enum(['sufficient', 'insufficient', 'no baseline', 'no available n', 'zero effect size', 'zero variation']),
  msg: z.string(),
  source_msg: z.string(),
  values: z.record(z.string(), z.number()).nullable(),
  high_cluster_variation: z.boolean().nullable(),
});
const PowerResponseSchema = z
  .object({
    analyses: z.array(
      z.object({
        metric_spec: z.record(z.string(), z.unknown()).openapi({ description: 'The metric with metric_type, metric_baseline, metric_stddev, available_n, available_nonnull_n (and icc, avg_cluster_size, cv)' }),
        target_n: z.number().nullable(),
        sufficient_n: z.boolean().nullable(),
        target_possible: z.number().nullable(),
        pct_change_possible: z.number().nullable(),
        pct_change_with_desired_n: z.number().nullable(),
        msg: PowerMessageSchema.nullable(),
        num_clusters_total: z.number().nullable(),
        clusters_per_arm: z.array(z.number()).nullable(),
        n_per_arm: z.array(z.number()).nullable(),
        design_effect: z.number().nullable(),
        effective_sample_size: z.number().nullable(),
      }),
    ),
  })
  .openapi('PowerResponse');

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
          stratify_on_metrics: booleanQuery(true).openapi({ description: 'Preassigned: stratify on the metric columns as well as the strata' }),
        }),
        body: { content: { 'application/json': { schema: CreateExperimentRequestSchema } }, required: true },
      },
      responses: { 200: okJson(ExperimentConfigSchema, 'The experiment, with arm ids and assignment summary'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const config = await createExperiment(userContext(c), c.req.valid('param').datasource_id, c.req.valid('json'), {
        randomState: query.random_state,
        stratifyOnMetrics: query.stratify_on_metrics,
      });
      return c.json(config, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/power',
      operationId: 'power_check',
      tags: [TAG],
      security,
      summary: 'Per-metric power analysis of a design from warehouse baselines (individual and cluster designs)',
      request: {
        params: DsParam,
        body: { content: { 'application/json': { schema: z.object({ design_spec: DesignSpecSchema }).strict() } }, required: true },
      },
      responses: {
        200: okJson(PowerResponseSchema, 'One MetricPowerAnalysis per metric'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await analysePower(userContext(c), c.req.valid('param').datasource_id, c.req.valid('json').design_spec), 200),
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

  // Bodiless state changes: each is one service call answered with 204.
  const actions = [
    { action: 'commit', operationId: 'commit_experiment', run: commitExperiment, summary: 'Commit a draft: notifies linked webhooks' },
    { action: 'abandon', operationId: 'abandon_experiment', run: abandonExperiment, summary: 'Abandon a draft' },
    { action: 'stop', operationId: 'stop_assignments', run: stopAssignments, summary: 'Stop new online assignments (reason manual)' },
    { action: 'resume', operationId: 'resume_assignments', run: resumeAssignments, summary: 'Lift a manual stop (other stops stay)' },
  ] as const;
  for (const { action, operationId, run, summary } of actions) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/datasources/{datasource_id}/experiments/{experiment_id}/${action}`,
        operationId,
        tags: [TAG],
        security,
        summary,
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

  // Run time and housekeeping (issue 7): list, edit, stop/resume, delete data, assignment settings, sample calls.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments',
      operationId: 'list_datasource_experiments',
      tags: [TAG],
      security,
      summary: "The datasource's experiments, newest first, one page at a time",
      request: {
        params: DsParam,
        query: z.object({
          page_size: z.coerce.number().int().min(1).max(100).default(20),
          ...experimentListQueryFields,
        }),
      },
      responses: {
        200: okJson(z.object({ items: z.array(ExperimentConfigSchema), next_page_token: z.string() }), 'One page; next_page_token is empty on the last'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listDatasourceExperimentsPage(userContext(c), c.req.valid('param').datasource_id, { ...experimentListOptions(q), pageSize: q.page_size });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}',
      operationId: 'update_experiment',
      tags: [TAG],
      security,
      summary: "Edit a committed experiment's name, description, design URL, dates, decision or impact",
      request: {
        params: ExpParam,
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  name: z.string().min(1).max(100).optional(),
                  description: z.string().max(2000).optional(),
                  design_url: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]).optional(),
                  start_date: z.iso.datetime({ offset: true }).optional(),
                  end_date: z.iso.datetime({ offset: true }).optional(),
                  decision: z.string().max(2000).optional(),
                  impact: z.enum(['high', 'medium', 'low', 'negative', 'unclear', '']).optional(),
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      await patchExperiment(userContext(c), datasource_id, experiment_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/arms/{arm_id}',
      operationId: 'update_arm',
      tags: [TAG],
      security,
      summary: "Rename or re-describe a committed experiment's arm",
      request: {
        params: ExpParam.extend({ arm_id: z.string() }),
        body: {
          content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(100).optional(), description: z.string().max(2000).optional() }).strict() } },
          required: true,
        },
      },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id, arm_id } = c.req.valid('param');
      await patchArm(userContext(c), datasource_id, experiment_id, arm_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );


  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/data',
      operationId: 'delete_experiment_data',
      tags: [TAG],
      security,
      summary: "Delete an experiment's assignments and/or snapshots, keeping its design",
      request: {
        params: ExpParam,
        body: {
          content: { 'application/json': { schema: z.object({ assignments: z.boolean().default(false), snapshots: z.boolean().default(false) }).strict() } },
          required: true,
        },
      },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      await deleteExperimentData(userContext(c), datasource_id, experiment_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/assignment-settings',
      operationId: 'set_assignment_settings',
      tags: [TAG],
      security,
      summary: 'Online drafts: choose random or hash assignment and whether to stop at desired_n',
      request: {
        params: ExpParam,
        body: {
          content: { 'application/json': { schema: z.object({ assignment_mode: z.enum(['random', 'hash']), stop_at_desired_n: z.boolean().default(false) }).strict() } },
          required: true,
        },
      },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      await setRunTimeSettings(userContext(c), datasource_id, experiment_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/experiments/{experiment_id}/sample-calls',
      operationId: 'get_sample_calls',
      tags: [TAG],
      security,
      summary: 'Sample API calls for the integration guide (null for contextual bandits)',
      request: { params: ExpParam },
      responses: {
        200: okJson(
          z
            .object({
              calls: z.array(
                z.object({
                  label: z.string(),
                  method: z.enum(['GET', 'POST']),
                  path: z.string(),
                  headers: z.record(z.string(), z.string()),
                  body: z.unknown().optional(),
                  example_response: z.unknown().optional(),
                }),
              ),
            })
            .nullable(),
          'The calls',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasource_id, experiment_id } = c.req.valid('param');
      return c.json(await sampleCalls(userContext(c), datasource_id, experiment_id), 200);
    },
  );

  return app;
}
