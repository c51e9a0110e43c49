/**
 * Errors from the admin API, turned into something a person can act on. The server answers in three
 * shapes (`{detail: "..."}`, `{detail: [{loc, msg, type}]}` for 422, `{message: "..."}`); field problems are
 * keyed by their dotted path without the `body` prefix (`arms.0.arm_name`) so forms can show them inline.
 */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly fields: readonly FieldProblem[];
  constructor(status: number, message: string, fields: readonly FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields;
  }

  /** The message for one form field (by dotted path), if the server named it. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

interface Issue {
  loc?: unknown[];
  msg?: unknown;
}

function pathOf(loc: unknown[] | undefined): string {
  const parts = (loc ?? []).map(String);
  if (parts[0] === 'body' || parts[0] === 'query' || parts[0] === 'path') parts.shift();
  return parts.join('.');
}

/** Builds an ApiError from a non-2xx response body (already parsed, or text when it was not JSON). */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const b = body as { detail?: unknown; message?: unknown };
    if (Array.isArray(b.detail)) {
      const fields = (b.detail as Issue[]).map((i) => ({ path: pathOf(i.loc), message: String(i.msg ?? 'invalid') }));
      const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
      return new ApiError(status, summary || 'The request was not valid.', fields);
    }
    if (typeof b.detail === 'string') return new ApiError(status, b.detail);
    if (typeof b.message === 'string') return new ApiError(status, b.message);
  }
  if (typeof body === 'string' && body.trim()) return new ApiError(status, body.trim().slice(0, 500));
  return new ApiError(status, fallbackMessage(status));
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have access to this.';
  if (status === 404) return 'Not found: it may have been deleted.';
  if (status >= 500) return `The server failed (HTTP ${status}). Try again; if it persists, check the server log.`;
  return `The request failed (HTTP ${status}).`;
}

/** What to tell the user for any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'Cannot reach the Equipoise server. Check that it is running and try again.';
  return err instanceof Error ? err.message : String(err);
}
