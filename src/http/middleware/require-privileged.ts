/**
 * Gate for instance-administration routes ([P]): non-privileged callers get 403 before the request is
 * validated, so they learn nothing about the route's inputs. The services check again.
 *
 * @example app.use('/users/*', requirePrivilegedUser());
 */
import type { MiddlewareHandler } from 'hono';
import { requirePrivileged } from '../../services/access.ts';
import { userContext, type AppEnv } from '../app-env.ts';

export function requirePrivilegedUser(): MiddlewareHandler<AppEnv> {
  return async function requirePrivilegedUser(c, next) {
    requirePrivileged(userContext(c));
    await next();
  };
}
