/**
 * Rate limits kept in the app database, so every API replica counts against the same numbers: one row per
 * bucket holding a fixed-window counter, bumped with a single upsert. Fixed windows let a client burst up to
 * twice the limit across a window boundary; that is acceptable for abuse protection and costs one write.
 *
 * @example
 *   const d = await hitRateLimit(deps, `login-ip:${ip}`, LOGIN_LIMIT);
 *   if (!d.allowed) answer 429 with `Retry-After: ${d.retryAfterSeconds}`
 */
import { sql } from 'kysely';
import { hashApiKey } from '../security/api-keys.ts';
import type { ServiceDeps } from './context.ts';

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Whole seconds until the window resets; at least 1. */
  readonly retryAfterSeconds: number;
}

/** 10 attempts per 15 minutes, per client address and per account. */
export const LOGIN_LIMIT: RateLimit = { limit: 10, windowMs: 15 * 60 * 1000 };
export const DEFAULT_API_KEY_LIMIT_PER_SECOND = 100;
/** Roughly one call in this many also sweeps expired buckets, so the table stays small without a job. */
const SWEEP_ONE_IN = 500;

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

/** Counts one request against `bucket` and says whether it is within the limit. */
export async function hitRateLimit(deps: Deps, bucket: string, rule: RateLimit): Promise<RateDecision> {
  const now = deps.clock.now();
  const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
  const windowEnd = new Date(windowStart.getTime() + rule.windowMs);
  // A replica whose clock lags must not reset a newer window, hence the >= and GREATEST.
  const { rows } = await sql<{ count: number; expires_at: Date }>`
    INSERT INTO rate_limits AS r (bucket, window_start, count, expires_at)
    VALUES (${bucket}, ${windowStart}, 1, ${windowEnd})
    ON CONFLICT (bucket) DO UPDATE SET
      count = CASE WHEN r.window_start >= EXCLUDED.window_start THEN r.count + 1 ELSE 1 END,
      window_start = GREATEST(r.window_start, EXCLUDED.window_start),
      expires_at = GREATEST(r.expires_at, EXCLUDED.expires_at)
    RETURNING count, expires_at`.execute(deps.db);
  const row = rows[0] as { count: number; expires_at: Date };
  if (Math.floor(Math.random() * SWEEP_ONE_IN) === 0) {
    await deps.db.deleteFrom('rate_limits').where('expires_at', '<', now).execute();
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((new Date(row.expires_at).getTime() - now.getTime()) / 1000));
  return { allowed: Number(row.count) <= rule.limit, retryAfterSeconds };
}

/** Both login buckets are counted on every attempt, whether or not the account exists (no enumeration). */
export async function hitLoginLimit(deps: Deps, ip: string, email: string): Promise<RateDecision> {
  const byIp = await hitRateLimit(deps, `login-ip:${ip}`, LOGIN_LIMIT);
  const account = email.trim().toLowerCase();
  // Routes without an account (invite links) are limited by address alone.
  const byAccount = account ? await hitRateLimit(deps, `login-account:${account}`, LOGIN_LIMIT) : byIp;
  if (byIp.allowed && byAccount.allowed) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(byIp.allowed ? 0 : byIp.retryAfterSeconds, byAccount.allowed ? 0 : byAccount.retryAfterSeconds) };
}

/**
 * Counts one public-API request for the key in the header, using the key's own per-second limit or the
 * default. Unknown keys are not counted here: authentication rejects them right after.
 */
export async function hitApiKeyLimit(deps: Deps, key: string, defaultPerSecond: number): Promise<RateDecision> {
  const row = await deps.db.selectFrom('api_keys').select(['id', 'rate_limit_per_second']).where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
  if (!row) return { allowed: true, retryAfterSeconds: 0 };
  return hitRateLimit(deps, `api-key:${row.id}`, { limit: row.rate_limit_per_second ?? defaultPerSecond, windowMs: 1000 });
}
