import { describe, expect, it } from 'vitest';
import {
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  ONE_MINUTE_MS,
  parseRetryAfterMs,
  policyFor,
  REFERENCE_MAX_ATTEMPTS,
  REFERENCE_POLICY,
  retryDelayMs,
  STANDARD_WEBHOOKS_POLICY,
  WEBHOOK_MAX_ATTEMPTS,
} from './retry-policy.ts';

describe('retryDelayMs', () => {
  it('follows the reference ladder 1, 2, 4, 8, then 15 minutes', () => {
    const ladder = Array.from({ length: REFERENCE_MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1) / ONE_MINUTE_MS);
    expect(ladder).toEqual([1, 2, 4, 8, 15, 15, 15, 15, 15, 15]);
    expect(ladder.reduce((a, b) => a + b, 0)).toBe(105);
  });
});

describe('STANDARD_WEBHOOKS_POLICY', () => {
  it('follows the specification ladder: 10 attempts over about 75.5 hours without jitter', () => {
    const delays = Array.from({ length: WEBHOOK_MAX_ATTEMPTS - 1 }, (_, i) => STANDARD_WEBHOOKS_POLICY.delayMs(i + 1, () => 0.5));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000]);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBe((75 * 60 + 35) * ONE_MINUTE_MS + 5_000);
  });

  it('jitters each delay by at most ±10 %', () => {
    expect(STANDARD_WEBHOOKS_POLICY.delayMs(9, () => 0)).toBe(Math.round(86_400_000 * 0.9));
    expect(STANDARD_WEBHOOKS_POLICY.delayMs(9, () => 0.999999)).toBeLessThanOrEqual(86_400_000 * 1.1);
    expect(STANDARD_WEBHOOKS_POLICY.delayMs(2, () => 0.75)).toBe(315_000);
  });

  it('is chosen for webhook deliveries only', () => {
    expect(policyFor('webhook.outbound')).toBe(STANDARD_WEBHOOKS_POLICY);
    expect(policyFor('invite.send')).toBe(REFERENCE_POLICY);
    expect(policyFor('constructor')).toBe(REFERENCE_POLICY);
  });
});

describe('Retry-After', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  it('reads seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Tue, 01 Jan 2030 00:10:00 GMT', now)).toBe(600_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
  it('waits the longer of the ladder and the request, at most a day', () => {
    expect(nextRetryDelayMs(STANDARD_WEBHOOKS_POLICY, 1, () => 0.5, 120_000)).toBe(120_000);
    expect(nextRetryDelayMs(STANDARD_WEBHOOKS_POLICY, 2, () => 0.5, 1_000)).toBe(300_000);
    expect(nextRetryDelayMs(STANDARD_WEBHOOKS_POLICY, 1, () => 0.5, 10 * 86_400_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});
