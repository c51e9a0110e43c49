/**
 * The one place where errors become HTTP responses, in the three body shapes of the reference API:
 * `{"detail": "..."}`, `{"detail": [{loc, msg, type}]}` (422) and `{"message": "..."}` (API-key,
 * datasource and warehouse errors). Anything unexpected is logged with the request id and answered 500
 * with no internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, ValidationError, type ErrorCode, type ValidationIssue } from '../domain/errors.ts';

type Status = 400 | 401 | 403 | 404 | 409 | 422 | 500 | 502 | 504;

function statusOf(code: ErrorCode): Status {
  switch (code) {
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'validation':
      return 422;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
    case 'api_key_invalid':
      return 403;
    case 'api_key_missing':
    case 'bad_request':
      return 400;
    case 'warehouse_unavailable':
      return 502;
    case 'warehouse_timeout':
      return 504;
    case 'limit_exceeded':
      return 422;
  }
}

export type RequestPart = 'json' | 'query' | 'param' | 'header' | 'form' | 'cookie';

const LOC_ROOT: Record<RequestPart, string> = { json: 'body', query: 'query', param: 'path', header: 'header', form: 'body', cookie: 'cookie' };

/** Zod problems as the reference's 422 items, e.g. `{"loc": ["body", "arms", 0, "arm_name"], ...}`. */
export function issuesFromZod(error: ZodError, part: RequestPart): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      return { loc: [LOC_ROOT[part], ...path, ...issue.keys], msg: `Extra inputs are not permitted: ${issue.keys.join(', ')}`, type: 'extra_forbidden' };
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return {
      loc: [LOC_ROOT[part], ...path],
      msg: missing ? 'Field required' : issue.message,
      type: missing ? 'missing' : issue.code,
    };
  });
}

export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof ValidationError) return c.json({ detail: err.issues }, 422);
  if (err instanceof AppError) {
    const status = statusOf(err.code);
    return err.shape === 'message' ? c.json({ message: err.message }, status) : c.json({ detail: err.message }, status);
  }
  if (err instanceof HTTPException) {
    if (err.status === 400 && /JSON/i.test(err.message)) {
      return c.json({ detail: [{ loc: ['body'], msg: `The request body is not valid JSON: ${err.message}`, type: 'json_invalid' }] }, 422);
    }
    return c.json({ detail: err.message || 'Request failed.' }, err.status);
  }
  const requestId = c.get('requestId') as string | undefined;
  console.error(`[${requestId ?? '-'}] unhandled error on ${c.req.method} ${c.req.path}:`, err instanceof Error ? err.stack : err);
  return c.json({ detail: `Internal server error (request ${requestId ?? 'unknown'}).` }, 500);
}
