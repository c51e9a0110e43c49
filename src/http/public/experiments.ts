/**
 * The public integration API (`/v1/experiments…`, `X-API-Key`), with the reference's paths, fields and
 * error bodies so clients written for it work unchanged.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { ApiKeyError, ValidationError } from '../../domain/errors.ts';
import { assignmentsCsv, assignmentsJson, csvFilename, loadForExport } from '../../services/assignments/export-assignments.ts';
import { assignParticipant, type AssignRequest } from '../../services/assignments/participant-assignment.ts';
import { authenticateKeyForDatasource, authenticateKeyForExperiment, type ApiKeyScope } from '../../services/authentication.ts';
import { getExperimentForKey, listDatasourceExperiments } from '../../services/experiments/read-experiments.ts';
import { keyContext, type AppEnv } from '../app-env.ts';
import { validationHook } from '../validation-hook.ts';
import { AssignmentSchema, ExperimentConfigSchema, booleanQuery, errorResponses, okJson } from '../schemas.ts';
import type { Context, MiddlewareHandler } from 'hono';
import { MAX_SEED } from '../../stats/random.ts';
import { BanditAssignmentSchema } from './bandit-schemas.ts';

const TAG = 'Experiment Integration';
const security = [{ APIKeyHeader: [] }];

const ExperimentParam = z.object({ experiment_id: z.string().openapi({ param: { name: 'experiment_id', in: 'path' } }) });
const ParticipantParams = ExperimentParam.extend({ participant_id: z.string().min(1).max(255) });

/** The reference's Assignment plus how it was made: `random` or `hash`, and the hash bucket (0–9,999). */
const OnlineAssignmentSchema = AssignmentSchema.extend({
  assignment_method: z.enum(['random', 'hash']),
  hash_bucket: z.number().int().nullable(),
});

const ParticipantAssignmentResponse = z
  .object({
    experiment_id: z.string(),
    participant_id: z.string(),
    assignment: z.union([OnlineAssignmentSchema, BanditAssignmentSchema]).nullable().openapi({ description: 'An A/B assignment, or a bandit draw' }),
    reason: z
      .object({ code: z.enum(['stopped', 'before_start_date', 'filters_not_met']), message: z.string() })
      .optional()
      .openapi({ description: 'Why an online experiment assigned no one (only when assignment is null and creation was asked for)' }),
  })
  .openapi('GetParticipantAssignmentResponse');

const createIfNoneQuery = booleanQuery(true).openapi({ description: 'Assign an unseen participant (online experiments). Ignored for preassigned.' });
const randomStateQuery = z.coerce.number().int().min(0).max(MAX_SEED).optional().openapi({ description: 'Fixes the random draw (tests only)' });

const PropertySchema = z
  .object({ field_name: z.string().min(1).max(100), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) })
  .strict();

/**
 * The reference's public API accepts POST bodies without a Content-Type (its clients send them that way);
 * they are read as JSON.
 */
export function jsonWithoutContentType(): MiddlewareHandler<AppEnv> {
  return async function jsonWithoutContentType(c, next) {
    if (c.req.method === 'POST' && !c.req.header('Content-Type') && c.req.raw.body !== null) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('Content-Type', 'application/json');
      c.req.raw = new Request(c.req.raw.url, { method: 'POST', headers, body: await c.req.raw.clone().arrayBuffer() });
    }
    await next();
  };
}

function assignRequest(c: Context<AppEnv>, experimentId: string, participantId: string, rest: Pick<AssignRequest, 'createIfNone' | 'properties' | 'randomState'>): AssignRequest {
  return { apiKey: c.req.header('X-API-Key'), datasourceHeader: c.req.header('Datasource-ID'), experimentId, participantId, ...rest };
}

/** `read` for metadata and exports; `assign` for get-or-create assignment and outcomes. */
async function keyFor(c: Context<AppEnv>, experimentId: string, scope: ApiKeyScope = 'read') {
  return authenticateKeyForExperiment(c.var.deps, c.req.header('X-API-Key'), experimentId, c.req.header('Datasource-ID'), scope);
}

export function publicExperimentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments',
      operationId: 'list_experiments',
      tags: [TAG],
      security,
      summary: "List the datasource's draft and committed experiments, newest first",
      request: { headers: z.object({ 'datasource-id': z.string().optional().openapi({ description: 'The datasource the API key belongs to' }) }) },
      responses: { 200: okJson(z.object({ items: z.array(ExperimentConfigSchema) }), 'Experiments'), ...errorResponses },
    }),
    async (c) => {
      const datasourceId = c.req.header('Datasource-ID');
      if (!c.req.header('X-API-Key')) throw new ApiKeyError('api_key_missing', 'X-API-Key request header is required.');
      if (!datasourceId) {
        throw new ValidationError([{ loc: ['header', 'Datasource-ID'], msg: 'Field required', type: 'missing' }]);
      }
      const actor = await authenticateKeyForDatasource(c.var.deps, c.req.header('X-API-Key'), datasourceId);
      return c.json(await listDatasourceExperiments(keyContext(c, actor), datasourceId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}',
      operationId: 'get_experiment',
      tags: [TAG],
      security,
      summary: "An experiment's design: dates, arms, filters, state",
      request: { params: ExperimentParam },
      responses: { 200: okJson(ExperimentConfigSchema, 'The experiment'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id } = c.req.valid('param');
      const actor = await keyFor(c, experiment_id);
      return c.json(await getExperimentForKey(keyContext(c, actor), experiment_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}/assignments',
      operationId: 'get_experiment_assignments',
      tags: [TAG],
      security,
      summary: 'All assignments, streamed as JSON',
      request: { params: ExperimentParam },
      responses: {
        200: okJson(
          z.object({ balance_check: z.unknown().nullable(), experiment_id: z.string(), assignments: z.array(OnlineAssignmentSchema), sample_size: z.number().int() }),
          'Every assignment of the experiment',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { experiment_id } = c.req.valid('param');
      const actor = await keyFor(c, experiment_id);
      const ctx = keyContext(c, actor);
      const loaded = await loadForExport(ctx, experiment_id, actor.datasourceId);
      c.header('Content-Type', 'application/json');
      return stream(c, async (s) => {
        for await (const chunk of assignmentsJson(ctx, loaded)) await s.write(chunk);
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}/assignments/csv',
      operationId: 'get_experiment_assignments_as_csv',
      tags: [TAG],
      security,
      summary: 'All assignments as CSV: participant_id, arm_id, arm_name, created_at, then strata columns sorted by name',
      request: { params: ExperimentParam },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV with a header row' }, ...errorResponses },
    }),
    async (c) => {
      const { experiment_id } = c.req.valid('param');
      const actor = await keyFor(c, experiment_id);
      const ctx = keyContext(c, actor);
      const loaded = await loadForExport(ctx, experiment_id, actor.datasourceId);
      return csvResponse(c, experiment_id, assignmentsCsv(ctx, loaded));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/experiments/{experiment_id}/assignments/{participant_id}',
      operationId: 'get_assignment',
      tags: [TAG],
      security,
      summary: "One participant's assignment; online experiments assign an unseen participant on the spot",
      description:
        'Online experiments assign every caller here, filters or not (apply the filters from the experiment metadata first, ' +
        'or use assign_with_filters). No new assignment is made before start_date, after end_date or once stopped; ' +
        'the body then says why in `reason`.',
      request: {
        params: ParticipantParams,
        query: z.object({
          create_if_none: createIfNoneQuery,
          max_age: z.coerce.number().int().min(0).max(86400).default(3600).openapi({ description: 'Seconds a client may cache a returned assignment' }),
        }),
      },
      responses: { 200: okJson(ParticipantAssignmentResponse, 'The assignment, or null'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id, participant_id } = c.req.valid('param');
      const { create_if_none, max_age } = c.req.valid('query');
      const { body, cacheable } = await assignParticipant(c.var.deps, assignRequest(c, experiment_id, participant_id, { createIfNone: create_if_none }));
      if (cacheable && max_age > 0) c.header('Cache-Control', `private, max-age=${max_age}`);
      return c.json(body, 200);
    },
  );

  app.use('/experiments/:experiment_id/assignments/:participant_id/assign_with_filters', jsonWithoutContentType());
  app.openapi(
    createRoute({
      method: 'post',
      path: '/experiments/{experiment_id}/assignments/{participant_id}/assign_with_filters',
      operationId: 'assign_with_filters',
      tags: [TAG],
      security,
      summary: "Online experiments: get or create an assignment, checking the experiment's filters on the supplied properties",
      description:
        'A missing property counts as null, so an empty `properties` list means "nothing known": filters that need a value ' +
        'fail. A participant who fails gets `assignment: null` and nothing is stored. An existing assignment is returned as is.',
      request: {
        params: ParticipantParams,
        query: z.object({ create_if_none: createIfNoneQuery, random_state: randomStateQuery }),
        body: { content: { 'application/json': { schema: z.object({ properties: z.array(PropertySchema).max(500) }).strict() } }, required: true },
      },
      responses: { 200: okJson(ParticipantAssignmentResponse, 'The assignment, or null'), ...errorResponses },
    }),
    async (c) => {
      const { experiment_id, participant_id } = c.req.valid('param');
      const { create_if_none, random_state } = c.req.valid('query');
      const { properties } = c.req.valid('json');
      const { body } = await assignParticipant(
        c.var.deps,
        assignRequest(c, experiment_id, participant_id, { createIfNone: create_if_none, properties, randomState: random_state }),
      );
      return c.json(body, 200);
    },
  );

  return app;
}

export function csvResponse(c: Context, experimentId: string, chunks: AsyncIterable<string>) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${csvFilename(experimentId)}"`);
  return stream(c, async (s) => {
    for await (const chunk of chunks) await s.write(chunk);
  }) as never;
}
