/**
 * Snapshot routes (reference §1.6): `/v1/m/organizations/{org}/datasources/{ds}/experiments/{exp}/snapshots`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createSnapshotNow, getSnapshot, listSnapshots, removeSnapshot } from '../../services/snapshots/snapshots.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';
import { AnyAnalysisResponseSchema } from './analysis.ts';

const TAG = 'Admin: experiments';
const security = [{ BearerAuth: [] }];
const BASE = '/organizations/{organization_id}/datasources/{datasource_id}/experiments/{experiment_id}/snapshots';
const Params = z.object({ organization_id: z.string(), datasource_id: z.string(), experiment_id: z.string() });
const StatusSchema = z.enum(['success', 'running', 'failed']);

const SnapshotSchema = z
  .object({
    experiment_id: z.string(),
    id: z.string(),
    status: StatusSchema.openapi({ description: '`running` until a worker has computed it' }),
    details: z.object({ message: z.string() }).nullable().openapi({ description: 'Why it failed' }),
    created_at: z.string(),
    updated_at: z.string(),
    data: AnyAnalysisResponseSchema.nullable().openapi({ description: 'The analysis, as GET …/analyze returned it then' }),
  })
  .openapi('Snapshot');

export function snapshotRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: BASE,
      operationId: 'create_snapshot',
      tags: [TAG],
      security,
      summary: 'Snapshot the analysis now (committed experiments until a day after their end); computed in the background',
      request: { params: Params },
      responses: { 200: okJson(z.object({ id: z.string() }), 'The new snapshot, status running'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await createSnapshotNow(userContext(c), p.organization_id, p.datasource_id, p.experiment_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: BASE,
      operationId: 'list_snapshots',
      tags: [TAG],
      security,
      summary: "The experiment's snapshots, most recently updated first",
      request: {
        params: Params,
        query: z.object({
          status: z.union([StatusSchema, z.array(StatusSchema)]).optional().openapi({ description: 'Repeatable; default every status' }),
          page_size: z.coerce.number().int().min(1).default(20).openapi({ description: 'No upper bound, as the reference' }),
          page_token: z.string().optional(),
          skip: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: okJson(
          z.object({ items: z.array(SnapshotSchema), latest_failure: z.string().nullable(), next_page_token: z.string() }),
          'One page; next_page_token is empty on the last. latest_failure: when the latest failed snapshot failed',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      const statuses = q.status === undefined ? [] : Array.isArray(q.status) ? q.status : [q.status];
      const page = await listSnapshots(userContext(c), p.organization_id, p.datasource_id, p.experiment_id, {
        statuses,
        pageSize: q.page_size,
        pageToken: q.page_token,
        skip: q.skip,
      });
      return c.json(page as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${BASE}/{snapshot_id}`,
      operationId: 'get_snapshot',
      tags: [TAG],
      security,
      request: { params: Params.extend({ snapshot_id: z.string() }) },
      responses: { 200: okJson(z.object({ snapshot: SnapshotSchema }), 'The snapshot'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json((await getSnapshot(userContext(c), p.organization_id, p.datasource_id, p.experiment_id, p.snapshot_id)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${BASE}/{snapshot_id}`,
      operationId: 'delete_snapshot',
      tags: [TAG],
      security,
      request: { params: Params.extend({ snapshot_id: z.string() }), query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await removeSnapshot(userContext(c), p.organization_id, p.datasource_id, p.experiment_id, p.snapshot_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
