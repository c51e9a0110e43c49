import { describe, expect, it } from 'vitest';
import { ONE_MINUTE_MS, REFERENCE_MAX_ATTEMPTS, retryDelayMs } from './retry-policy.ts';

describe('retryDelayMs', () => {
  it('follows the reference ladder 1, 2, 4, 8, then 15 minutes', () => {
    const ladder = Array.from({ length: REFERENCE_MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1) / ONE_MINUTE_MS);
    expect(ladder).toEqual([1, 2, 4, 8, 15, 15, 15, 15, 15, 15]);
    expect(ladder.reduce((a, b) => a + b, 0)).toBe(105);
  });
});
