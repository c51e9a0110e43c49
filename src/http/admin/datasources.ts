/** Admin routes for datasources: details, warehouse inspection, participant types and API keys. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createApiKey, deleteApiKey, listApiKeys } from '../../services/api-keys.ts';
import { getDatasource, inspectTable, inspectTables, listParticipantTypes } from '../../services/datasources.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: datasources';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });

export function datasourceRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

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
          z.object({ id: z.string(), name: z.string(), driver: z.string(), organization_id: z.string(), organization_name: z.string(), dsn: z.record(z.string(), z.unknown()) }),
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
      request: { params: DsParam },
      responses: { 200: okJson(z.object({ tables: z.array(z.string()) }), 'Tables, sorted'), ...errorResponses },
    }),
    async (c) => c.json(await inspectTables(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/inspect/{table_name}',
      operationId: 'inspect_table_in_datasource',
      tags: [TAG],
      security,
      summary: "A table's columns with normalized types and unique-id candidates",
      request: { params: DsParam.extend({ table_name: z.string() }) },
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
      },
    }),
    async (c) => {
      const { datasource_id, table_name } = c.req.valid('param');
      return c.json(await inspectTable(userContext(c), datasource_id, table_name), 200);
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

  const ApiKeySummary = z.object({ id: z.string(), datasource_id: z.string(), organization_id: z.string(), organization_name: z.string(), created_at: z.string() });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/apikeys',
      operationId: 'list_api_keys',
      tags: [TAG],
      security,
      request: { params: DsParam },
      responses: { 200: okJson(z.object({ items: z.array(ApiKeySummary) }), 'Keys; the secret is never returned'), ...errorResponses },
    }),
    async (c) => c.json(await listApiKeys(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/apikeys',
      operationId: 'create_api_key',
      tags: [TAG],
      security,
      summary: 'Create a key; the only time its plaintext is shown',
      request: { params: DsParam },
      responses: { 200: okJson(z.object({ id: z.string(), datasource_id: z.string(), key: z.string() }), 'The new key'), ...errorResponses },
    }),
    async (c) => c.json(await createApiKey(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}/apikeys/{api_key_id}',
      operationId: 'delete_api_key',
      tags: [TAG],
      security,
      summary: 'Revoke a key',
      request: { params: DsParam.extend({ api_key_id: z.string() }), query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, api_key_id } = c.req.valid('param');
      await deleteApiKey(userContext(c), datasource_id, api_key_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
