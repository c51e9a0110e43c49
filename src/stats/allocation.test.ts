import { describe, expect, it } from 'vitest';
import { allocateByWeights, allocateStrata, assignArms, drawWeighted } from './allocation.ts';
import { seededRandom, shuffled } from './random.ts';

describe('allocateByWeights', () => {
  it('splits exactly and sums to n', () => {
    expect(allocateByWeights(100, [50, 50], seededRandom(1))).toEqual([50, 50]);
    expect(allocateByWeights(1000, [20, 30, 50], seededRandom(1))).toEqual([200, 300, 500]);
    const sizes = allocateByWeights(10, [1, 1, 1], seededRandom(7));
    expect(sizes.reduce((a, b) => a + b)).toBe(10);
    expect([...sizes].sort()).toEqual([3, 3, 4]);
  });

  it('stays within one unit of every exact share', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = random.int(5000);
      const weights = Array.from({ length: 2 + random.int(5) }, () => 0.5 + random.next() * 10);
      const total = weights.reduce((a, b) => a + b);
      const sizes = allocateByWeights(n, weights, random);
      expect(sizes.reduce((a, b) => a + b)).toBe(n);
      sizes.forEach((s, i) => expect(Math.abs(s - (n * (weights[i] as number)) / total)).toBeLessThan(1));
    }
  });

  it('spreads the leftover unit at random rather than always to the first arm', () => {
    const firsts = new Set<number>();
    for (let seed = 0; seed < 20; seed++) firsts.add(allocateByWeights(1, [1, 1, 1], seededRandom(seed)).indexOf(1));
    expect(firsts.size).toBe(3);
  });

  it('rejects bad input', () => {
    expect(() => allocateByWeights(-1, [1], seededRandom(1))).toThrow(RangeError);
    expect(() => allocateByWeights(5, [1, 0], seededRandom(1))).toThrow(RangeError);
  });
});

describe('assignArms', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = assignArms(500, [1, 1], seededRandom(42));
    expect(assignArms(500, [1, 1], seededRandom(42))).toEqual(a);
    expect(assignArms(500, [1, 1], seededRandom(43))).not.toEqual(a);
    expect(a.filter((x) => x === 0)).toHaveLength(250);
  });
});

describe('seededRandom', () => {
  it('is uniform enough: mean and bucket counts of 100k draws', () => {
    const r = seededRandom(2026);
    const buckets = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      buckets[Math.floor(u * 10)]++;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    // chi-square with 9 df: the 0.999 quantile is 27.88
    const chi2 = buckets.reduce((acc, c) => acc + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(27.88);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = shuffled(items, seededRandom(5));
    expect(s).not.toEqual(items);
    expect([...s].sort((a, b) => a - b)).toEqual(items);
  });

  it('draws weighted arms in proportion', () => {
    const r = seededRandom(9);
    const counts = [0, 0];
    for (let i = 0; i < 20_000; i++) counts[drawWeighted([20, 80], r)]!++;
    expect(counts[0]! / 20_000).toBeCloseTo(0.2, 1);
  });
});

describe('allocateStrata', () => {
  it('keeps strata and arm totals within one unit and is unbiased', () => {
    const sizes = [7, 1, 1, 13, 2, 5, 1, 9];
    const weights = [2, 3, 5];
    const mean = new Float64Array(sizes.length * 3);
    const trials = 2000;
    const random = seededRandom(11);
    for (let t = 0; t < trials; t++) {
      const counts = allocateStrata(sizes, weights, random);
      const totals = [0, 0, 0];
      sizes.forEach((n, s) => {
        let sum = 0;
        weights.forEach((w, j) => {
          const c = counts[s * 3 + j]!;
          expect(Math.abs(c - (n * w) / 10)).toBeLessThan(1);
          totals[j]! += c;
          sum += c;
          mean[s * 3 + j]! += c / trials;
        });
        expect(sum).toBe(n);
      });
      totals.forEach((c, j) => expect(Math.abs(c - (39 * weights[j]!) / 10)).toBeLessThan(1));
    }
    // E[count] = n_s·p_j: the mean of 2000 draws is within 0.05 (sd of a 0/1 mean ≤ 0.011).
    sizes.forEach((n, s) => weights.forEach((w, j) => expect(Math.abs(mean[s * 3 + j]! - (n * w) / 10)).toBeLessThan(0.05)));
  });
});
