import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/srm.json' with { type: 'json' };
import { sampleRatioMismatch } from './srm.ts';

const REL = 1e-9; // closed form: chi-square statistic and its exact upper tail

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected) + 1e-300);
}

describe('sampleRatioMismatch', () => {
  it('matches scipy.stats.chisquare', () => {
    for (const c of fixture.cases) {
      const r = sampleRatioMismatch(c.observed, c.weights);
      close(r.chi_square, c.chi_square);
      close(r.p_value, c.p_value);
      expect(r.df).toBe(c.df);
    }
  });

  it('flags a 48/52 split at n = 100,000 and not fair random splits', () => {
    expect(sampleRatioMismatch([48_000, 52_000], [1, 1]).mismatch).toBe(true);
    // Binomial(100000, 1/2) splits: at p < 0.001 a fair split is flagged about once in a thousand runs.
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 500 }), (d) => !sampleRatioMismatch([50_000 + d, 50_000 - d], [1, 1]).mismatch),
      { seed: 20260818, numRuns: 200 },
    );
  });

  it('rejects mismatched inputs', () => {
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1.5, 2], [1, 1])).toThrow(RangeError);
  });
});
