import { describe, expect, it } from 'vitest';
import fixture from './fixtures/icc.json' with { type: 'json' };
import { estimateIcc, type ClusterOutcome } from './icc.ts';
import { PowerCalcError } from './power-error.ts';

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));
const rowsOf = (clusters: readonly (string | number)[], ys: readonly number[]): ClusterOutcome[] =>
  clusters.map((cluster, i) => ({ cluster, outcome: ys[i] as number }));

// Closed form, so 1e-9 relative against the numpy/pandas computation (tools/reference/power.py); measured
// worst ~1e-13 (summation order differs).
const CLOSED_FORM_RTOL = 1e-9;

describe('estimateIcc against the pandas reference (fixtures/icc.json)', () => {
  it('agrees on generated data sets with null clusters and outcomes, numeric and binary', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(20);
    for (const c of fixture.cases) {
      const got = estimateIcc(c.rows as ClusterOutcome[]);
      expect(got.numClusters).toBe(c.num_clusters);
      expect(got.n).toBe(c.n);
      expect(got.droppedRows).toBe(c.dropped_rows);
      for (const key of ['msb', 'msw', 'n0'] as const) expect(rel(got[key], c[key])).toBeLessThan(CLOSED_FORM_RTOL);
      // An ICC of 0 (clamped) must be exactly 0; otherwise relative.
      if (c.icc === 0) expect(got.icc).toBe(0);
      else expect(rel(got.icc, c.icc)).toBeLessThan(CLOSED_FORM_RTOL);
    }
  });
});

describe('estimateIcc: stats.md §2.4 vectors', () => {
  const nine = [1, 1, 1, 2, 2, 2, 3, 3, 3];
  it('I1/I7 perfect clustering, numeric and string keys', () => {
    const r = estimateIcc(rowsOf(nine, [10, 10, 10, 20, 20, 20, 30, 30, 30]));
    expect(r.icc).toBe(1);
    expect(r.msb).toBeCloseTo(300, 12);
    expect(r.msw).toBe(0);
    expect(r.n0).toBeCloseTo(3, 14);
    expect(estimateIcc(rowsOf(nine.map(String), [10, 10, 10, 20, 20, 20, 30, 30, 30])).icc).toBe(1);
  });
  it('I2 no clustering', () => {
    const r = estimateIcc(rowsOf(nine, [10, 20, 30, 10, 20, 30, 10, 20, 30]));
    expect(r.icc).toBe(0);
    expect(r.msw).toBeCloseTo(100, 12);
  });
  it('I3 and I4 unequal sizes', () => {
    const i3 = estimateIcc(rowsOf([1, 1, 1, 2, 2, 3, 3, 3, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(i3.icc).toBeCloseTo(0.857142857, 9);
    expect(i3.msb).toBeCloseTo(35, 12);
    expect(i3.n0).toBeCloseTo(3.1, 12);
    const i4 = estimateIcc(rowsOf(
      ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd', 'd', 'd', 'd', 'd'],
      [3, 5, 4, 6, 8, 9, 7, 2, 3, 5, 6, 7, 6, 5],
    ));
    expect(rel(i4.icc, 0.784531526222746)).toBeLessThan(1e-13);
    expect(rel(i4.msb, 13.7095238095)).toBeLessThan(1e-10);
    expect(rel(i4.msw, 1.03)).toBeLessThan(1e-13);
  });
  it('I5 MSB < MSW clamps to 0; I6 zero total variance gives 0', () => {
    expect(estimateIcc(rowsOf([1, 1, 2, 2, 3, 3], [1, 3, 1, 3, 1, 3])).icc).toBe(0);
    const i6 = estimateIcc(rowsOf([1, 1, 2, 2], [5, 5, 5, 5]));
    expect(i6.icc).toBe(0);
    expect(i6.msw).toBe(0);
  });
  it('drops null clusters and outcomes, counts booleans as 0/1', () => {
    const r = estimateIcc([
      { cluster: 1, outcome: true }, { cluster: 1, outcome: true }, { cluster: 2, outcome: false },
      { cluster: 2, outcome: false }, { cluster: null, outcome: true }, { cluster: 2, outcome: null },
    ]);
    expect(r.icc).toBe(1);
    expect(r.droppedRows).toBe(2);
  });
  it('errors: empty, one cluster, NaN outcome, NaN cluster, one row per cluster', () => {
    expect(() => estimateIcc([])).toThrow(PowerCalcError);
    expect(() => estimateIcc(rowsOf([1, 1], [1, 2]))).toThrow(/at least 2 clusters/);
    expect(() => estimateIcc(rowsOf([1, 2, 2], [1, Number.NaN, 2]))).toThrow(PowerCalcError);
    expect(() => estimateIcc(rowsOf([1, Number.NaN, 2], [1, 1, 2]))).toThrow(PowerCalcError);
    expect(() => estimateIcc(rowsOf([1, 2, 3], [1, 2, 3]))).toThrow(/Insufficient within-cluster/);
  });
});
