/**
 * Test helper shared by the analysis and Lin-adjustment specs: compares a MetricAnalysis with a statsmodels
 * fixture row by row. Not a spec itself, so importing it does not register tests twice.
 */
import { expect } from 'vitest';
import type { ArmAnalysis, MetricAnalysis } from './analysis.ts';

export const REL = 1e-9;
const FIELDS = ['estimate', 'std_error', 't_stat', 'p_value', 'ci_lower', 'ci_upper', 'mean', 'mean_std_error', 'mean_ci_lower', 'mean_ci_upper'] as const;

export function close(actual: number, expected: number, tol = REL, scale = Math.abs(expected)): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * scale);
}

export type Expected = { arms: Record<(typeof FIELDS)[number] | 'arm', number>[]; df: number | null };

export function compareToStatsmodels(got: MetricAnalysis, expected: Expected, tol = REL): void {
  expect(got.arms).toHaveLength(expected.arms.length);
  expected.arms.forEach((e, j) => {
    const g = got.arms[j] as ArmAnalysis;
    // CI ends and the estimate share the scale of the interval; relative to that they are exact.
    const ciScale = Math.max(Math.abs(e.estimate), e.std_error);
    const meanScale = Math.max(Math.abs(e.mean), e.mean_std_error);
    for (const f of FIELDS) {
      const scale = f.startsWith('mean') ? meanScale : f === 'estimate' || f.startsWith('ci') ? ciScale : Math.abs(e[f]);
      close(g[f], e[f], tol, scale);
    }
  });
  if (expected.df !== null) expect(got.df).toBe(expected.df);
}

