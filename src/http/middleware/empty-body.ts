/**
 * Treats a request with a JSON content type but an empty body as a request without a body. The reference's
 * `POST …/apikeys` takes no body and clients send it that way, while our version accepts optional settings;
 * without this, the empty body would fail JSON parsing.
 *
 * @example app.use('/datasources/:datasource_id/apikeys', emptyBodyAsNone());
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export function emptyBodyAsNone(): MiddlewareHandler<AppEnv> {
  return async function emptyBodyAsNone(c, next) {
    if (c.req.raw.body !== null && c.req.header('Content-Type')) {
      const text = await c.req.raw.clone().text();
      if (text.trim() === '') {
        const headers = new Headers(c.req.raw.headers);
        headers.delete('Content-Type');
        headers.delete('Content-Length');
        c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers });
      }
    }
    await next();
  };
}
