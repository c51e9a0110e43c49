/**
 * When a failed task is tried again. The reference's ladder: after the n-th failed attempt wait
 * min(2^(n-1), 15) minutes — 1, 2, 4, 8, then 15 — for 10 retries (11 attempts, about 105 minutes), then
 * the task is dead.
 */
export const ONE_MINUTE_MS = 60_000;
export const REFERENCE_MAX_ATTEMPTS = 11;
const MAX_DELAY_MINUTES = 15;

/** Delay before the next attempt, given how many attempts have failed so far (≥ 1). */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MINUTES) * ONE_MINUTE_MS;
}
