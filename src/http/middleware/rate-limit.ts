/**
 * Request-rate limits in front of routes, counted in the app database (see `services/rate-limit.ts`) so
 * they hold across API replicas. Over the limit: 429 with `Retry-After` and the usual `{"detail": ...}`
 * body (`{"message": ...}` on the public API, like its other key errors).
 *
 * @example app.use('/experiments/*', apiKeyRateLimit({ defaultPerSecond: 100 }));
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { hitApiKeyLimit, hitLoginLimit, type RateDecision } from '../../services/rate-limit.ts';
import type { AppEnv } from '../app-env.ts';

function tooMany(c: Context<AppEnv>, d: RateDecision, shape: 'detail' | 'message'): Response {
  c.header('Retry-After', String(d.retryAfterSeconds));
  const text = `Too many requests; retry after ${d.retryAfterSeconds} seconds.`;
  return c.json(shape === 'detail' ? { detail: text } : { message: text }, 429);
}

/**
 * The client's address: the socket peer, or with `trustProxy` the left-most `X-Forwarded-For` entry (only
 * safe behind a proxy that sets it).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function apiKeyRateLimit(options: { defaultPerSecond: number }): MiddlewareHandler<AppEnv> {
  return async function apiKeyRateLimit(c, next) {
    const key = c.req.header('X-API-Key');
    if (key) {
      const d = await hitApiKeyLimit(c.var.deps, key, options.defaultPerSecond);
      if (!d.allowed) return tooMany(c, d, 'message');
    }
    await next();
  };
}

/** 10 attempts per 15 minutes per address and per account, counted before the password is even checked. */
export function loginRateLimit(options: { trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  return async function loginRateLimit(c, next) {
    let email = '';
    try {
      const body = (await c.req.json()) as { email?: unknown };
      if (typeof body.email === 'string') email = body.email;
    } catch {
      // The route's validator reports the malformed body.
    }
    const d = await hitLoginLimit(c.var.deps, clientIp(c, options.trustProxy), email);
    if (!d.allowed) return tooMany(c, d, 'detail');
    await next();
  };
}
