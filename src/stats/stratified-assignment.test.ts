import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignClusters } from './cluster-assignment.ts';
import type { Cell } from './preprocess.ts';
import { seededRandom } from './random.ts';
import { AssignmentError, assignSimple, assignStratified, countArms } from './stratified-assignment.ts';

const FC = { seed: 20260818, numRuns: 60 } as const;

function shares(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (n * w) / total);
}

/** floor or ceil of the exact share (1e-9 absorbs float noise in n·p) */
function withinOne(count: number, exact: number): boolean {
  return count >= Math.floor(exact + 1e-9) && count <= Math.ceil(exact - 1e-9);
}

describe('assignSimple: stats.md §2.8 simple vectors', () => {
  it('gives exact largest-remainder counts', () => {
    expect(countArms(assignSimple(1000, [1, 1], 42), 2)).toEqual([500, 500]);
    for (const c of countArms(assignSimple(1000, [1, 1, 1], 42), 3)) expect([333, 334]).toContain(c);
    expect(countArms(assignSimple(1000, [30, 70], 42), 2)).toEqual([300, 700]);
    expect(countArms(assignSimple(1000, [66.67, 33.33], 42), 2)).toEqual([667, 333]);
    const sevenths = countArms(assignSimple(1000, [100 / 7, 300 / 7, 300 / 7], 42), 3);
    expect(sevenths[0]).toBe(143);
    expect([sevenths[1], sevenths[2]].sort()).toEqual([428, 429]); // the tie is broken at random
    expect(countArms(assignSimple(10, [33.3, 33.3, 33.4], 42), 3)).toEqual([3, 3, 4]);
  });

  it('never unbalances equal arms by more than one (the reference gives 2/4/4 for n = 10, K = 3)', () => {
    for (let seed = 0; seed < 200; seed++) {
      const sizes = countArms(assignSimple(10, [1, 1, 1], seed), 3);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

const strataArbitrary = fc.record({
  n: fc.integer({ min: 0, max: 2500 }),
  weights: fc.array(fc.double({ min: 0.05, max: 10, noNaN: true }), { minLength: 2, maxLength: 6 }),
  levels: fc.array(fc.integer({ min: 2, max: 7 }), { minLength: 1, maxLength: 3 }),
  numeric: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

function makeStrata(n: number, levels: readonly number[], numeric: boolean, seed: number): Record<string, Cell[]> {
  const r = seededRandom(seed ^ 0x5bd1e995);
  const cols: Record<string, Cell[]> = {};
  levels.forEach((l, c) => {
    cols[`c${c}`] = Array.from({ length: n }, () => (r.next() < 0.05 ? null : `v${r.int(l)}`));
  });
  if (numeric) cols.x = Array.from({ length: n }, () => (r.next() < 0.03 ? null : Math.round(r.next() * 1000) / 10));
  return cols;
}

describe('assignStratified properties (fast-check)', () => {
  it('every arm is within one of N·p_j, every stratum within one of n_s·p_j, for any seed', () => {
    fc.assert(
      fc.property(strataArbitrary, ({ n, weights, levels, numeric, seed }) => {
        const strata = makeStrata(n, levels, numeric, seed);
        const result = assignStratified(strata, { weights, seed });
        const k = weights.length;
        expect(result.arms).toHaveLength(n);
        const totals = countArms(result.arms, k);
        shares(n, weights).forEach((exact, j) => expect(withinOne(totals[j]!, exact)).toBe(true));
        const per = new Int32Array(result.stratumCount * k);
        const sizes = new Int32Array(result.stratumCount);
        for (let i = 0; i < n; i++) {
          per[result.stratumIds[i]! * k + result.arms[i]!]!++;
          sizes[result.stratumIds[i]!]!++;
        }
        for (let s = 0; s < result.stratumCount; s++) {
          shares(sizes[s]!, weights).forEach((exact, j) => expect(withinOne(per[s * k + j]!, exact)).toBe(true));
        }
        return true;
      }),
      FC,
    );
  });

  it('is reproducible from the seed and changes with it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const strata = makeStrata(500, [3, 2], true, 1);
        const a = assignStratified(strata, { weights: [1, 2, 1], seed });
        expect(assignStratified(strata, { weights: [1, 2, 1], seed }).arms).toEqual(a.arms);
        expect(assignStratified(strata, { weights: [1, 2, 1], seed: seed + 1 }).arms).not.toEqual(a.arms);
        return true;
      }),
      { seed: 7, numRuns: 20 },
    );
  });
});

describe('assignStratified: behaviour', () => {
  const gender = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 'f' : 'm'));
  const region = (n: number) => Array.from({ length: n }, (_, i) => ['N', 'S', 'E', 'W'][Math.floor(i / 2) % 4]!);

  it('stats.md §2.8 stratified cases, with exact totals where the reference drifts (352/648, 129/450/421)', () => {
    expect(assignStratified({ gender: gender(1000), region: region(1000) }, { weights: [20, 80], seed: 42 }).armSizes).toEqual([200, 800]);
    expect([...assignStratified({ gender: gender(1000) }, { weights: [1, 1, 1], seed: 42 }).armSizes].sort()).toEqual([333, 333, 334]);
    const awkward = assignStratified({ gender: gender(1000) }, { weights: [33.3, 66.7], seed: 42 }).armSizes;
    expect(withinOne(awkward[0]!, 333)).toBe(true);
    const sevenths = assignStratified({ gender: gender(1000), region: region(1000) }, { weights: [14.28, 42.86, 42.86], seed: 42 }).armSizes;
    shares(1000, [14.28, 42.86, 42.86]).forEach((e, j) => expect(withinOne(sevenths[j]!, e)).toBe(true));
  });

  it('numbers 25 strata for the 300-row mixed case (2·4·3 + 1)', () => {
    const col1: Cell[] = Array.from({ length: 300 }, (_, i) => [null, 1, 2][i % 3]!);
    const col2: Cell[] = [null, ...Array.from({ length: 299 }, (_, i) => i)];
    const col3: Cell[] = Array.from({ length: 300 }, (_, i) => [1, 2][i % 2]!);
    expect(assignStratified({ col1, col2, col3 }, { weights: [1, 1], seed: 42 }).stratumCount).toBe(25);
  });

  it('gives every unit exactly its weight as probability, even in strata of one', () => {
    const counts = [0, 0];
    const trials = 400;
    for (let seed = 0; seed < trials; seed++) {
      const r = assignStratified({ g: Array.from({ length: 20 }, (_, i) => `s${i % 10}`), h: Array.from({ length: 20 }, (_, i) => `t${Math.floor(i / 10)}`) }, { weights: [45, 55], seed });
      counts[r.arms[0]!]!++;
      expect(r.armSizes).toEqual([9, 11]);
    }
    // Binomial(400, 0.45): sd ≈ 10, so ±40 is four sd.
    expect(Math.abs(counts[0]! - 0.45 * trials)).toBeLessThan(40);
  });

  it('falls back to simple random assignment when no stratum survives, and refuses an id column', () => {
    const r = assignStratified({ constant: Array(10).fill('x') }, { weights: [1, 1], seed: 3 });
    expect(r.strataUsed).toEqual([]);
    expect(r.armSizes).toEqual([5, 5]);
    expect(() => assignStratified({ id: ['a', 'b'] }, { weights: [1, 1], seed: 1, idColumn: 'id' })).toThrow(AssignmentError);
  });
});

describe('assignClusters', () => {
  it('20 equal clusters of 10: 10/10 clusters, 100/100 units, one size stratum', () => {
    const clusters = Array.from({ length: 200 }, (_, i) => `c${Math.floor(i / 10)}`);
    const r = assignClusters(clusters, { weights: [1, 1], seed: 42 });
    expect(r.armClusterCounts).toEqual([10, 10]);
    expect(r.armSizes).toEqual([100, 100]);
    expect(r.stratumCount).toBe(1);
  });

  it('keeps every cluster in one arm and cluster counts within one of the weights (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 2 ** 31 }), (g, k, seed) => {
        const r0 = seededRandom(seed);
        const clusterOf = Array.from({ length: g }, (_, c) => Array<number>(1 + r0.int(30)).fill(c)).flat();
        const r = assignClusters(clusterOf, { weights: Array(k).fill(1), seed });
        clusterOf.forEach((c, i) => expect(r.arms[i]).toBe(r.clusterArms[r.clusters.indexOf(c)]));
        r.armClusterCounts.forEach((count) => expect(withinOne(count, g / k)).toBe(true));
        return true;
      }),
      FC,
    );
  });

  it('rejects a participant without a cluster', () => {
    expect(() => assignClusters(['a', null], { weights: [1, 1], seed: 1 })).toThrow(AssignmentError);
  });
});
