/**
 * Admin routes for participant types (spec §1.6): create, read with schema drift, update, delete. The
 * listing and the inspect route (filters with exemplars) live with the datasource routes.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CreateParticipantTypeSchema, UpdateParticipantTypeSchema } from '../../services/participant-types-schema.ts';
import { createParticipantType, deleteParticipantType, getParticipantType, updateParticipantType } from '../../services/participant-types.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: datasources';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });
const TypeParam = DsParam.extend({ participant_type: z.string() });

const Field = z
  .object({
    field_name: z.string(),
    data_type: z.string(),
    description: z.string(),
    is_unique_id: z.boolean(),
    is_strata: z.boolean(),
    is_filter: z.boolean(),
    is_metric: z.boolean(),
    extra: z.record(z.string(), z.unknown()).nullish(),
  })
  .openapi('FieldDescriptor');
const Definition = z
  .object({ type: z.literal('schema'), participant_type: z.string(), table_name: z.string(), fields: z.array(Field), hidden: z.boolean() })
  .openapi('ParticipantsDef');
const SchemaDiff = z.object({
  type: z.enum(['table_deleted', 'column_deleted', 'column_changed_type']),
  table_name: z.string(),
  column_name: z.string().optional(),
  old_type: z.string().optional(),
  new_type: z.string().optional(),
});

export function participantTypeRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/participants',
      operationId: 'create_participant_type',
      tags: [TAG],
      security,
      summary: 'Annotate a warehouse table as a participant type; names are unique per datasource (case-insensitive)',
      request: { params: DsParam, body: { content: { 'application/json': { schema: CreateParticipantTypeSchema } }, required: true } },
      responses: {
        200: okJson(z.object({ participant_type: z.string(), schema_def: z.object({ table_name: z.string(), fields: z.array(Field) }) }), 'The new type, echoed'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await createParticipantType(userContext(c), c.req.valid('param').datasource_id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/participants/{participant_type}',
      operationId: 'get_participant_type',
      tags: [TAG],
      security,
      summary: 'The saved type, the live table merged with its annotations, and the schema drift between them',
      request: { params: TypeParam },
      responses: {
        200: okJson(z.object({ current: Definition, proposed: Definition, drift: z.object({ schema_diff: z.array(SchemaDiff) }) }), 'The type and its drift'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasource_id, participant_type } = c.req.valid('param');
      return c.json(await getParticipantType(userContext(c), datasource_id, participant_type), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/datasources/{datasource_id}/participants/{participant_type}',
      operationId: 'update_participant_type',
      tags: [TAG],
      security,
      summary: 'Rename, repoint or re-annotate; only described or flagged fields are kept',
      request: { params: TypeParam, body: { content: { 'application/json': { schema: UpdateParticipantTypeSchema } }, required: true } },
      responses: {
        200: okJson(z.object({ participant_type: z.string(), table_name: z.string(), fields: z.array(Field) }), 'The type as saved'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasource_id, participant_type } = c.req.valid('param');
      return c.json(await updateParticipantType(userContext(c), datasource_id, participant_type, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}/participants/{participant_type}',
      operationId: 'delete_participant_type',
      tags: [TAG],
      security,
      request: { params: TypeParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, participant_type } = c.req.valid('param');
      await deleteParticipantType(userContext(c), datasource_id, participant_type, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
