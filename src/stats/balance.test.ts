import { describe, expect, it } from 'vitest';
import fixture from './fixtures/balance.json' with { type: 'json' };
import { BalanceError, checkBalance, checkBalanceOfColumns } from './balance.ts';
import type { Cell, Preprocessed } from './preprocess.ts';
import { preprocess } from './preprocess.ts';

// F is a closed form of the data: 1e-9 relative. p-values: 1e-9 relative, or 1e-12 absolute where the
// reference quotes an absolute tolerance (its p-values are rounded to 14 digits).
function rel(actual: number, expected: number, tol = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

/** Rows of a preprocessed frame (levels stay declared, as the reference bins before dropping arms ≥ 2). */
function subset(p: Preprocessed, rows: readonly number[]): Preprocessed {
  return {
    rowCount: rows.length,
    excluded: p.excluded,
    columns: p.columns.map((c) => ({
      ...c,
      codes: Int32Array.from(rows, (i) => c.codes[i]!),
      ...(c.raw ? { raw: Float64Array.from(rows, (i) => c.raw![i]!) } : {}),
    })),
  };
}

describe('checkBalance against statsmodels (fixtures)', () => {
  it('matches the stacked HC1 Wald F for 2–6 arms, balanced and unbalanced, with nulls', () => {
    for (const c of fixture.balance) {
      const columns = Object.fromEntries(Object.entries(c.columns).filter(([k]) => k !== 'id')) as Record<string, Cell[]>;
      const r = checkBalanceOfColumns(columns, c.arms)!;
      rel(r.f_statistic, c.expected.f_statistic);
      rel(r.p_value, c.expected.p_value);
      expect([r.numerator_df, r.denominator_df]).toEqual([c.expected.numerator_df, c.expected.denominator_df]);
      if (c.statsmodels_two_arm) rel(r.f_statistic, c.statsmodels_two_arm.f_statistic);
    }
  });

  it('matches the CR1 cluster-robust version (df G − 1)', () => {
    for (const c of fixture.cluster_balance) {
      const r = checkBalanceOfColumns(c.columns as Record<string, Cell[]>, c.arms, { clusters: c.clusters })!;
      rel(r.f_statistic, c.expected.f_statistic);
      rel(r.p_value, c.expected.p_value);
      expect([r.numerator_df, r.denominator_df]).toEqual([c.expected.numerator_df, c.expected.denominator_df]);
    }
  });
});

describe('checkBalance: stats.md §2.6 vectors', () => {
  it('B1: perfectly balanced category → F ≈ 0, p = 1', () => {
    const r = checkBalanceOfColumns({ cat: Array.from({ length: 20 }, (_, i) => (i % 2 ? '3,4' : '1')) }, [...Array(10).fill(0), ...Array(10).fill(1)])!;
    expect(r.f_statistic).toBeLessThan(1e-25);
    expect(r.p_value).toBeCloseTo(1, 12);
    expect([r.numerator_df, r.denominator_df]).toEqual([1, 18]);
  });

  it('B2 and B3', () => {
    const b2 = checkBalanceOfColumns(
      { x: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1] },
      [0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0],
    )!;
    rel(b2.f_statistic, 0.18367346938775, 1e-12);
    expect(Math.abs(b2.p_value - 0.67331993816642)).toBeLessThan(1e-12);
    expect([b2.numerator_df, b2.denominator_df]).toEqual([1, 18]);
    const x = [0, 0, 0, 0, 0, 0, 4, 4, null, null];
    const t = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1];
    const b3 = checkBalanceOfColumns({ x: [...x, ...x] }, [...t, ...t])!;
    rel(b3.f_statistic, 11.9);
    expect(Math.abs(b3.p_value - 0.0005864141558)).toBeLessThan(1e-12);
    expect([b3.numerator_df, b3.denominator_df]).toEqual([2, 17]);
  });

  it('B4: mixed covariates, only arms 0/1 of a 3-arm assignment (the reference behaviour)', () => {
    const treat = [0, 1, 2, 0, 1, 2, 0, 1, 0, 1, 2, 0, 1, 0, 1, 2, 0, 1, 0, 1, 2, 0, 1, 0];
    const n = null;
    const all = preprocess({
      age: [23, 35, 41, 29, 52, 38, 27, 45, 33, 60, 31, 48, 26, 39, 55, 42, 36, 30, 47, 58, 24, 44, 34, 50],
      income: [32000, n, 51000, 45000, 88000, 61000, n, 72000, 39000, 95000, 41000, n, 30000, 58000, 99000, 67000, 54000, 43000, 76000, n, 28000, 70000, 50000, 82000],
      region: ['N', 'S', 'E', 'W', 'N', 'S', 'E', 'W', n, 'S', 'E', 'W', 'N', 'S', 'E', 'W', 'N', n, 'E', 'W', 'N', 'S', 'E', 'W'],
      member: [true, false, true, true, false, false, true, false, true, true, false, true, false, true, true, false, false, true, true, false, true, false, true, false],
    });
    const rows = treat.flatMap((a, i) => (a < 2 ? [i] : []));
    const r = checkBalance(subset(all, rows), rows.map((i) => treat[i]!))!;
    rel(r.f_statistic, 2.2428023715404, 1e-12);
    expect(Math.abs(r.p_value - 0.13245768931648)).toBeLessThan(1e-12);
    expect([r.numerator_df, r.denominator_df]).toEqual([10, 8]);
  });

  it('B5: cluster-robust, p from F(1, G − 1 = 7)', () => {
    const x = [5.1, 4.9, 5.3, 6.0, 6.2, 5.8, 4.5, 4.7, 4.4, 5.5, 5.9, 5.6, 5.0, 5.2, 4.8, 6.3, 6.1, 6.6, 4.9, 5.0, 5.4, 5.7, 5.5, 6.0];
    const clusters = x.map((_, i) => Math.floor(i / 3));
    const arms = x.map((_, i) => (Math.floor(i / 3) % 2 === 0 ? 0 : 1));
    const r = checkBalanceOfColumns({ x }, arms, { clusters })!;
    rel(r.f_statistic, 48.455898496947, 1e-12);
    expect(Math.abs(r.p_value - 0.00021902597589)).toBeLessThan(1e-12);
    expect([r.numerator_df, r.denominator_df]).toEqual([1, 7]);
    const hc1 = checkBalanceOfColumns({ x }, arms)!;
    rel(hc1.f_statistic, 96.22364762662, 1e-12);
    rel(hc1.p_value, 1.7114212198e-9, 1e-9);
  });

  it('P1 (§2.8): age raw + region', () => {
    const r = checkBalanceOfColumns(
      { age: [21, 35, 44, 29, 52, 38, 27, 45, 33, 60, 31, 48, 26, 39, 55, 42], region: Array.from({ length: 16 }, (_, i) => (i % 2 ? 'S' : 'N')) },
      [0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0],
    )!;
    rel(r.f_statistic, 0.0020773156467469604);
    rel(r.p_value, 0.9979251716623828);
    expect([r.numerator_df, r.denominator_df]).toEqual([2, 13]);
  });
});

describe('checkBalance: edges', () => {
  it('returns null without covariates and applies the threshold strictly', () => {
    expect(checkBalanceOfColumns({ id: ['a', 'b', 'c', 'd'] }, [0, 1, 0, 1])).toBeNull();
    const cols = { x: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1] };
    const arms = [0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0];
    expect(checkBalanceOfColumns(cols, arms)!.balance_ok).toBe(true);
    expect(checkBalanceOfColumns(cols, arms, { fstat_thresh: 0.7 })!.balance_ok).toBe(false);
  });

  it('throws a BalanceError for too few rows and for a single arm', () => {
    const tooFew = () => checkBalanceOfColumns({ x: [1, 2, 3, 4], c: ['a', 'a', 'b', 'c'] }, [0, 1, 0, 1]);
    expect(tooFew).toThrow(BalanceError);
    expect(tooFew).toThrow(/Too few participants/);
    expect(() => checkBalanceOfColumns({ x: [1, 2, 3, 4] }, [0, 0, 0, 0])).toThrow(/insufficient arms/);
  });
});
