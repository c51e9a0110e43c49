/** Admin routes about the caller's own session: who am I, sign out everywhere, set my password. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { setPassword } from '../../services/login.ts';
import { logout } from '../../services/sessions.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: account';
const security = [{ BearerAuth: [] }];

export function accountRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/caller-identity',
      operationId: 'caller_identity',
      tags: [TAG],
      security,
      responses: {
        200: okJson(z.object({ id: z.string(), email: z.string(), is_privileged: z.boolean() }).openapi('CallerIdentity'), 'Who the token belongs to'),
        ...errorResponses,
      },
    }),
    (c) => c.json({ id: c.var.user.userId, email: c.var.user.email, is_privileged: c.var.user.isPrivileged }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      operationId: 'logout',
      tags: [TAG],
      security,
      summary: 'Ends every session of the caller issued until now (on every device)',
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await logout(userContext(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/password',
      operationId: 'set_password',
      tags: [TAG],
      security,
      summary: 'Set the password for local sign-in; the current one is required once there is one',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ current_password: z.string().max(1024).optional(), new_password: z.string().min(1).max(1024) }).strict() } },
          required: true,
        },
      },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await setPassword(userContext(c), c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  return app;
}
