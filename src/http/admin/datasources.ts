/**
 * Admin routes for datasources: create/update/delete with hidden credentials, details, a connection test
 * that saves nothing (for new settings and for saved or changed ones), warehouse inspection (cached;
 * `?refresh=true` re-reads) and participant-type exemplars (API keys: `api-keys.ts`).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createDatasource, deleteDatasource, updateDatasource } from '../../services/datasource-admin.ts';
import { CONNECTION_PROBLEM_CODES } from '../../services/datasource-connection-problems.ts';
import { testDatasourceConnection, testNewDatasourceConnection } from '../../services/datasource-connection-test.ts';
import { DsnSchema } from '../../services/datasource-dsn.ts';
import { getDatasource, inspectParticipantType, inspectTable, inspectTables, listParticipantTypes } from '../../services/datasources.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { emptyBodyAsNone } from '../middleware/empty-body.ts';
import { allowMissingQuery, booleanQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: datasources';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });
const RefreshQuery = z.object({ refresh: booleanQuery(false) });
/** 502/504 are the warehouse's: unreachable or failing, and too slow. */
const warehouseErrors = {
  502: okJson(z.object({ message: z.string() }), 'The warehouse could not be reached or failed'),
  504: okJson(z.object({ message: z.string() }), 'The warehouse timed out'),
} as const;
const CreateDatasource = z
  .object({ organization_id: z.string(), name: z.string().min(1).max(255), dsn: DsnSchema })
  .strict()
  .openapi('CreateDatasourceRequest');
const UpdateDatasource = z.object({ name: z.string().min(1).max(255).optional(), dsn: DsnSchema.optional() }).strict().openapi('UpdateDatasourceRequest');
/** A failed test is an answer (200, `ok: false`), not an error: the problem says what failed and what to do. */
const ConnectionTest = z
  .discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), driver: z.string(), table_count: z.number().int(), tables: z.array(z.string()).openapi({ description: 'The first 50 tables, sorted' }), elapsed_ms: z.number().int() }),
    z.object({
      ok: z.literal(false),
      driver: z.string(),
      problem: z.object({
        code: z.enum(CONNECTION_PROBLEM_CODES),
        message: z.string().openapi({ description: "What failed, in the warehouse's or the guard's words; never contains the credential" }),
        hint: z.string().openapi({ description: 'What to do about it' }),
        field: z.string().nullable().openapi({ description: 'The dsn field most likely at fault' }),
      }),
      elapsed_ms: z.number().int(),
    }),
  ])
  .openapi('ConnectionTestResult');

export function datasourceRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/datasources/:datasource_id/test-connection', emptyBodyAsNone());

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources',
      operationId: 'create_datasource',
      tags: [TAG],
      security,
      summary: 'Create a datasource; the password must be revealed and is stored encrypted',
      request: {
        query: z.object({ connectivity_check: booleanQuery(false) }),
        body: { content: { 'application/json': { schema: CreateDatasource } }, required: true },
      },
      responses: { 200: okJson(z.object({ id: z.string() }), 'The new datasource'), ...errorResponses, ...warehouseErrors },
    }),
    async (c) => c.json(await createDatasource(userContext(c), c.req.valid('json'), c.req.valid('query').connectivity_check), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/datasources/test-connection',
      operationId: 'test_new_datasource_connection',
      tags: [TAG],
      security,
      summary: 'Test the settings of a datasource before creating it: lists its tables or explains the failure; saves nothing',
      request: {
        params: z.object({ organization_id: z.string() }),
        body: { content: { 'application/json': { schema: z.object({ dsn: DsnSchema }).strict().openapi('TestNewConnectionRequest') } }, required: true },
      },
      responses: { 200: okJson(ConnectionTest, 'The tables found, or what failed and what to do'), ...errorResponses },
    }),
    async (c) => c.json(await testNewDatasourceConnection(userContext(c), c.req.valid('param').organization_id, c.req.valid('json').dsn), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/test-connection',
      operationId: 'test_datasource_connection',
      tags: [TAG],
      security,
      summary: 'Test the saved settings, or proposed ones (a hidden credential stands for the saved one); saves nothing',
      request: {
        params: DsParam,
        body: { content: { 'application/json': { schema: z.object({ dsn: DsnSchema.optional() }).strict().openapi('TestConnectionRequest') } }, required: false },
      },
      responses: { 200: okJson(ConnectionTest, 'The tables found, or what failed and what to do'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json') as { dsn?: z.infer<typeof DsnSchema> } | undefined;
      return c.json(await testDatasourceConnection(userContext(c), c.req.valid('param').datasource_id, body?.dsn), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/datasources/{datasource_id}',
      operationId: 'update_datasource',
      tags: [TAG],
      security,
      summary: 'Rename or reconfigure; a hidden password keeps the stored one. Clears inspection caches.',
      request: { params: DsParam, body: { content: { 'application/json': { schema: UpdateDatasource } }, required: true } },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await updateDatasource(userContext(c), c.req.valid('param').datasource_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}',
      operationId: 'delete_datasource',
      tags: [TAG],
      security,
      request: { params: DsParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await deleteDatasource(userContext(c), c.req.valid('param').datasource_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}',
      operationId: 'get_datasource',
      tags: [TAG],
      security,
      request: { params: DsParam },
      responses: {
        200: okJson(
          z.object({
            id: z.string(),
            name: z.string(),
            driver: z.string(),
            organization_id: z.string(),
            organization_name: z.string(),
            dsn: z.record(z.string(), z.unknown()),
            experiment_count: z.number().int().openapi({ description: 'Experiments a delete would remove with it' }),
            api_key_count: z.number().int().openapi({ description: 'API keys a delete would revoke' }),
          }),
          'The datasource; credentials are never returned',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getDatasource(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/inspect',
      operationId: 'inspect_datasource',
      tags: [TAG],
      security,
      summary: "The warehouse's tables and views",
      request: { params: DsParam, query: RefreshQuery },
      responses: { 200: okJson(z.object({ tables: z.array(z.string()) }), 'Tables, sorted'), ...errorResponses, ...warehouseErrors },
    }),
    async (c) => c.json(await inspectTables(userContext(c), c.req.valid('param').datasource_id, c.req.valid('query').refresh), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/inspect/{table_name}',
      operationId: 'inspect_table_in_datasource',
      tags: [TAG],
      security,
      summary: "A table's columns with normalized types and unique-id candidates",
      request: { params: DsParam.extend({ table_name: z.string() }), query: RefreshQuery },
      responses: {
        200: okJson(
          z.object({
            table_name: z.string(),
            primary_key_fields: z.array(z.string()),
            detected_unique_id_fields: z.array(z.string()),
            fields: z.array(z.object({ field_name: z.string(), data_type: z.string(), description: z.string() })),
            unsupported_fields: z.array(z.object({ field_name: z.string(), native_type: z.string() })),
          }),
          'Columns, sorted by name',
        ),
        ...errorResponses,
        ...warehouseErrors,
      },
    }),
    async (c) => {
      const { datasource_id, table_name } = c.req.valid('param');
      return c.json(await inspectTable(userContext(c), datasource_id, table_name, c.req.valid('query').refresh), 200);
    },
  );

  const FieldSummary = z.object({ field_name: z.string(), data_type: z.string(), description: z.string() });
  const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/participants/{participant_type}/inspect',
      operationId: 'inspect_participant_types',
      tags: [TAG],
      security,
      summary: 'Filter, metric and strata fields; with expensive=true, distinct values (≤1,000) or min/max for filters',
      request: {
        params: DsParam.extend({ participant_type: z.string() }),
        query: z.object({ refresh: booleanQuery(false), expensive: booleanQuery(false) }),
      },
      responses: {
        200: okJson(
          z.object({
            filters: z.array(
              FieldSummary.extend({
                relations: z.array(z.string()),
                distinct_values: z.array(Scalar).optional(),
                distinct_values_truncated: z.boolean().optional(),
                min: Scalar.optional(),
                max: Scalar.optional(),
              }),
            ),
            metrics: z.array(FieldSummary),
            strata: z.array(FieldSummary),
          }),
          'Fields of the participant type',
        ),
        ...errorResponses,
        ...warehouseErrors,
      },
    }),
    async (c) => {
      const { datasource_id, participant_type } = c.req.valid('param');
      const { refresh, expensive } = c.req.valid('query');
      return c.json(await inspectParticipantType(userContext(c), datasource_id, participant_type, refresh, expensive), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/participants',
      operationId: 'list_participant_types',
      tags: [TAG],
      security,
      request: { params: DsParam },
      responses: {
        200: okJson(
          z.object({ items: z.array(z.object({ type: z.literal('schema'), participant_type: z.string(), table_name: z.string(), fields: z.array(z.unknown()) })) }),
          'Participant types, by name',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listParticipantTypes(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  return app;
}
