/** Gives every request an id (or keeps the caller's `X-Request-Id`), echoed back and used in error logs. */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const given = c.req.header('X-Request-Id');
    const id = given && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}
