/** Admin routes for instance administration of users ([P]: privileged callers only, 403 for others). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../../services/users.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { requirePrivilegedUser } from '../middleware/require-privileged.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: users';
const security = [{ BearerAuth: [] }];
const UserParam = z.object({ user_id: z.string() });

const UserSummary = z
  .object({
    id: z.string(),
    email: z.string(),
    is_privileged: z.boolean(),
    organizations: z.array(z.object({ id: z.string(), name: z.string() })),
    last_logout: z.string(),
    has_logged_in: z.boolean(),
    created_at: z.string(),
  })
  .openapi('UserSummary');

export function userRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/users', requirePrivilegedUser());
  app.use('/users/*', requirePrivilegedUser());

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users',
      operationId: 'create_user',
      tags: [TAG],
      security,
      summary: 'Add a user by email (idempotent); unprivileged and in no organization',
      request: { body: { content: { 'application/json': { schema: z.object({ email: z.email().max(64) }) } }, required: true } },
      responses: { 200: okJson(z.object({ id: z.string() }), 'The user'), ...errorResponses },
    }),
    async (c) => c.json(await createUser(userContext(c), c.req.valid('json').email), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      operationId: 'list_users',
      tags: [TAG],
      security,
      summary: 'Users by email, cursor-paginated',
      request: {
        query: z.object({
          scope: z.enum(['mine', 'all']).default('all').openapi({ description: '`mine`: users sharing an organization with the caller' }),
          email_contains: z.string().max(64).optional().openapi({ description: 'Case-insensitive; % and _ match themselves' }),
          page_size: z.coerce.number().int().min(1).max(100).default(50),
          page_token: z.string().optional(),
        }),
      },
      responses: { 200: okJson(z.object({ items: z.array(UserSummary), next_page_token: z.string() }), 'A page of users'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listUsers(userContext(c), { scope: q.scope, emailContains: q.email_contains, pageSize: q.page_size, pageToken: q.page_token }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/{user_id}',
      operationId: 'get_user',
      tags: [TAG],
      security,
      request: { params: UserParam },
      responses: {
        200: okJson(
          UserSummary.extend({
            organizations: z.array(
              z.object({ id: z.string(), name: z.string(), created_at: z.string(), user_count: z.number(), experiment_count: z.number(), joined_at: z.string() }),
            ),
          }),
          'The user',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getUser(userContext(c), c.req.valid('param').user_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/users/{user_id}',
      operationId: 'update_user',
      tags: [TAG],
      security,
      summary: 'Grant or revoke the privileged flag; the last privileged user keeps it',
      request: { params: UserParam, body: { content: { 'application/json': { schema: z.object({ is_privileged: z.boolean().optional() }).strict() } }, required: true } },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await updateUser(userContext(c), c.req.valid('param').user_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/users/{user_id}',
      operationId: 'delete_user',
      tags: [TAG],
      security,
      summary: 'Delete a user and their memberships; not yourself, not the last privileged user',
      request: { params: UserParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await deleteUser(userContext(c), c.req.valid('param').user_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
