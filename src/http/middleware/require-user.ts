/** Admin-API authentication: `Authorization: Bearer <token>` → the user actor in `c.var.user`. */
import type { MiddlewareHandler } from 'hono';
import { UnauthenticatedError } from '../../domain/errors.ts';
import { authenticateBearer } from '../../services/authentication.ts';
import type { AppEnv } from '../app-env.ts';

export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    const header = c.req.header('Authorization');
    if (!header) throw new UnauthenticatedError('Authorization header is required.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthenticatedError('Authorization header must be "Bearer <token>".');
    c.set('user', await authenticateBearer(c.var.deps, match[1] as string));
    await next();
  };
}
