/**
 * BigQuery client failures turned into the reference's answers (spec §3.2) through the shared helpers:
 * NotFound (a missing project, dataset or table) is 404, a job stopped by its `jobTimeoutMs` is the
 * statement-timeout 504, a slow connection 504, everything else 502. The client's errors carry the request
 * and response (bearer token, signed assertion); only the message and codes survive into our error's
 * `cause`, so nothing secret can reach a log through it.
 */
import { AppError } from '../domain/errors.ts';
import { mapConnectionError, type DriverFailure } from './connection-errors.ts';
import { statementTimedOut } from './limit-errors.ts';
import type { WarehouseLimits } from './warehouse.ts';

/** The parts of an `ApiError` (REST) or `GaxiosError` (OAuth token) we read. */
interface ClientFailure {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly errors?: unknown;
  readonly response?: { readonly status?: unknown } | undefined;
}

/** The first `reason` of the REST error list (`notFound`, `invalidQuery`, `timeout`, …). */
function reasonOf(e: ClientFailure): string | undefined {
  if (!Array.isArray(e.errors)) return undefined;
  const first: unknown = e.errors[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const reason = (first as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : undefined;
}

function httpStatusOf(e: ClientFailure): number | undefined {
  for (const v of [e.code, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/** A plain copy keeping only what is safe to log: message, network code, HTTP status, reason. */
export function scrubbedBigQueryError(err: unknown): Error & { code?: string | number; reason?: string } {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ClientFailure;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : 'unknown error';
  const copy = new Error(message.split('\n')[0]) as Error & { code?: string | number; reason?: string };
  const status = httpStatusOf(e);
  if (typeof e.code === 'string') copy.code = e.code;
  else if (status !== undefined) copy.code = status;
  const reason = reasonOf(e);
  if (reason) copy.reason = reason;
  return copy;
}

/** Whether the job was stopped by BigQuery's own deadline (`jobTimeoutMs`). */
export function isBigQueryJobTimeout(err: unknown): boolean {
  const e = scrubbedBigQueryError(err);
  return e.reason === 'timeout' || /\b(job|query) (execution )?(timed out|exceeded .*timeout)|\btimed out after\b/i.test(e.message);
}

function classify(e: Error & { code?: unknown; reason?: string }): DriverFailure {
  const detail = e.message;
  if (e.code === 404 || e.reason === 'notFound') return { kind: 'database_missing', detail };
  if (e.code === 401 || e.code === 403 || /invalid_grant|invalid_client|unauthorized_client|accessDenied/i.test(`${e.reason ?? ''} ${detail}`)) {
    return { kind: 'auth', detail };
  }
  if (e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT' || e.code === 408) return { kind: 'connect_timeout', detail };
  return { kind: 'other', detail };
}

/**
 * @example throw mapBigQueryError(err, 'my-project', limits) // 404, 502 or 504 with a {"message"} body
 */
export function mapBigQueryError(err: unknown, projectId: string, limits: WarehouseLimits): AppError {
  if (err instanceof AppError) return err;
  const scrubbed = scrubbedBigQueryError(err);
  if (isBigQueryJobTimeout(scrubbed)) return statementTimedOut(limits, scrubbed);
  return mapConnectionError(scrubbed, 'BigQuery', `project ${projectId}`, classify);
}
