/**
 * Tenant isolation at the door: every admin route whose path names an organization or a datasource
 * (`/organizations/{id}…`, `/datasources/{id}…`) is refused with 404 unless the caller may see it, before the
 * route validates its input or runs. Services check again; this gate makes a new route that forgets its
 * check fail closed. Read from the raw path, so it holds for every route, however it was declared.
 *
 * @example admin.use('*', requireUser(), requireMembership());
 */
import type { MiddlewareHandler } from 'hono';
import { NotFoundError } from '../../domain/errors.ts';
import { requireRouteAccess } from '../../services/access.ts';
import { userContext, type AppEnv } from '../app-env.ts';

const SCOPED = /\/v1\/m\/(organizations|datasources)\/([^/]+)/;

export function requireMembership(): MiddlewareHandler<AppEnv> {
  return async function requireMembership(c, next) {
    const match = SCOPED.exec(c.req.path);
    if (match) {
      let id: string;
      try {
        id = decodeURIComponent(match[2] as string);
      } catch {
        throw new NotFoundError('Not Found');
      }
      const ctx = userContext(c);
      await requireRouteAccess(ctx, match[1] === 'organizations' ? { organizationId: id } : { datasourceId: id });
    }
    await next();
  };
}
