import { describe, expect, it } from 'vitest';
import { RootFindError, brentRoot, expandBracketUp } from './root-find.ts';

describe('brentRoot', () => {
  it('finds roots to rounding, including flat and steep functions', () => {
    expect(brentRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 15);
    expect(brentRoot(Math.cos, 0, 3)).toBeCloseTo(Math.PI / 2, 15);
    expect(brentRoot((x) => (x - 1) ** 3, -5, 4)).toBeCloseTo(1, 5); // triple root: flat, only ~x^(1/3) precision
    expect(brentRoot((x) => Math.exp(50 * (x - 0.3)) - 1, 0, 1)).toBeCloseTo(0.3, 14);
  });

  it('returns an exact end and rejects a bracket without a sign change', () => {
    expect(brentRoot((x) => x, 0, 1)).toBe(0);
    expect(() => brentRoot((x) => x * x + 1, -1, 1)).toThrow(RootFindError);
    expect(() => brentRoot(() => Number.NaN, -1, 1)).toThrow(RootFindError);
  });
});

describe('expandBracketUp', () => {
  it('doubles the upper end until the sign changes', () => {
    expect(expandBracketUp((n) => n - 1000, 2, 50)).toEqual([800, 1600]);
    expect(() => expandBracketUp(() => -1, 2, 50, { limit: 1e6 })).toThrow(RootFindError);
  });
});
