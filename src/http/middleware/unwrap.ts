/**
 * `_unwrap` request encapsulation (reference §1.1), for callers such as Glific webhooks that cannot shape
 * their request body: `POST /v1/experiments/…?_unwrap=/a/b` replaces the JSON body with the value the
 * RFC 6901 JSON Pointer `/a/b` selects, and the route then validates that as usual. It applies only to
 * POST, PUT and PATCH under `/v1/experiments` with a JSON content type; the last `_unwrap` wins.
 *
 * @example app.use('*', unwrapRequestBody());
 *   // POST /v1/experiments/e/assignments/p/assign_cmab?_unwrap=/variables~1custom/controllable_field
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

const PREFIX = '/v1/experiments';
const METHODS = new Set(['POST', 'PUT', 'PATCH']);
export const UNWRAP_EMPTY_BODY = '_unwrap requires a non-empty request body.';
export const UNWRAP_BAD_POINTER = '_unwrap is not a valid JSONPointer path.';
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** The value `pointer` selects in `doc`, or undefined when the pointer is malformed or selects nothing. */
export function resolveJsonPointer(doc: unknown, pointer: string): { value: unknown } | undefined {
  if (pointer === '') return { value: doc };
  if (!pointer.startsWith('/')) return undefined;
  let current = doc;
  for (const raw of pointer.slice(1).split('/')) {
    // `~` must be followed by 0 or 1; `~1` is decoded before `~0` so `~01` means the text `~1`.
    if (/~(?![01])/.test(raw)) return undefined;
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token) || Number(token) >= current.length) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return { value: current };
}

function applies(c: Context): boolean {
  const path = c.req.path;
  if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
  if (!METHODS.has(c.req.method)) return false;
  if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('application/json')) return false;
  return c.req.queries('_unwrap') !== undefined;
}

export function unwrapRequestBody(): MiddlewareHandler<AppEnv> {
  return async function unwrapRequestBody(c, next) {
    if (!applies(c)) return next();
    const pointer = (c.req.queries('_unwrap') ?? []).at(-1) ?? '';
    const text = c.req.raw.body === null ? '' : await c.req.raw.clone().text();
    if (text.trim() === '') return c.json({ message: UNWRAP_EMPTY_BODY }, 400);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return c.json({ message: UNWRAP_BAD_POINTER }, 400);
    }
    const found = resolveJsonPointer(doc, pointer);
    if (!found) return c.json({ message: UNWRAP_BAD_POINTER }, 400);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('Content-Length');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: JSON.stringify(found.value) ?? 'null' });
    await next();
  };
}
