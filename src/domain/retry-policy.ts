/**
 * When a failed task is tried again, per task type.
 *
 * - The reference ladder (every task type that does not name another): after the n-th failed attempt wait
 *   min(2^(n-1), 15) minutes — 1, 2, 4, 8, then 15 — for 10 retries (11 attempts, about 105 minutes).
 * - The Standard Webhooks ladder for webhook deliveries: 10 attempts, waiting 5 s, 5 min, 30 min, 2 h,
 *   5 h, 10 h, 14 h, 20 h and 24 h (about 75.5 hours in all), each delay spread by ±10 % jitter so
 *   deliveries that failed together (a receiver outage) do not all come back in the same second.
 *
 * A handler may ask for a later retry (`RetryLaterError`, e.g. from a receiver's `Retry-After`); the worker
 * then waits the longer of that and the ladder's delay, capped at `MAX_RETRY_AFTER_MS`.
 *
 * @example
 *   policyFor('webhook.outbound').delayMs(1, () => 0.5); // 5000
 *   REFERENCE_POLICY.delayMs(3, Math.random);           // 240000
 */
export const ONE_SECOND_MS = 1_000;
export const ONE_MINUTE_MS = 60 * ONE_SECOND_MS;
export const ONE_HOUR_MS = 60 * ONE_MINUTE_MS;
export const REFERENCE_MAX_ATTEMPTS = 11;
const MAX_DELAY_MINUTES = 15;

/** Delay before the next attempt under the reference ladder, given how many attempts have failed (≥ 1). */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MINUTES) * ONE_MINUTE_MS;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Delay after the `failedAttempts`-th failure; `random` returns [0, 1) and is injected so tests are exact. */
  delayMs(failedAttempts: number, random: () => number): number;
}

export const REFERENCE_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: REFERENCE_MAX_ATTEMPTS,
  delayMs: (failedAttempts: number) => retryDelayMs(failedAttempts),
});

/** Delays after failures 1…9 of the Standard Webhooks example schedule. */
export const STANDARD_WEBHOOKS_DELAYS_MS: readonly number[] = Object.freeze([
  5 * ONE_SECOND_MS,
  5 * ONE_MINUTE_MS,
  30 * ONE_MINUTE_MS,
  2 * ONE_HOUR_MS,
  5 * ONE_HOUR_MS,
  10 * ONE_HOUR_MS,
  14 * ONE_HOUR_MS,
  20 * ONE_HOUR_MS,
  24 * ONE_HOUR_MS,
]);
export const WEBHOOK_MAX_ATTEMPTS = STANDARD_WEBHOOKS_DELAYS_MS.length + 1;
/** ±10 %: enough to spread a burst, small enough that the documented schedule stays true to the hour. */
export const WEBHOOK_JITTER = 0.1;

export const STANDARD_WEBHOOKS_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: WEBHOOK_MAX_ATTEMPTS,
  delayMs(failedAttempts: number, random: () => number) {
    const i = Math.min(Math.max(failedAttempts, 1), STANDARD_WEBHOOKS_DELAYS_MS.length) - 1;
    const base = STANDARD_WEBHOOKS_DELAYS_MS[i] ?? 0;
    return Math.round(base * (1 + WEBHOOK_JITTER * (2 * random() - 1)));
  },
});

/** The task types that do not use the reference ladder. */
const POLICIES: Readonly<Record<string, RetryPolicy>> = Object.freeze({
  'webhook.outbound': STANDARD_WEBHOOKS_POLICY,
});

export function policyFor(taskType: string): RetryPolicy {
  return Object.hasOwn(POLICIES, taskType) ? (POLICIES[taskType] as RetryPolicy) : REFERENCE_POLICY;
}

/** A receiver's `Retry-After` is honoured up to a day, so a typo of "86400000" cannot park a delivery for years. */
export const MAX_RETRY_AFTER_MS = 24 * ONE_HOUR_MS;

/** The attempt failed and should not be tried again before `afterMs` (e.g. the receiver sent `Retry-After`). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super(message);
  }
}

/** When to try again: the ladder's delay, or a longer one a handler asked for (capped). */
export function nextRetryDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number, requestedMs?: number): number {
  const ladder = policy.delayMs(failedAttempts, random);
  if (requestedMs === undefined || !(requestedMs > 0)) return ladder;
  return Math.max(ladder, Math.min(requestedMs, MAX_RETRY_AFTER_MS));
}

/**
 * Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`; undefined when
 * absent or unreadable.
 *
 * @example parseRetryAfterMs('120', new Date()) // 120000
 */
export function parseRetryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * ONE_SECOND_MS;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
