/**
 * The results CSV's `warnings` column: which warning codes concern a metric's rows.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisWarning } from '../../src/services/analysis/analysis-response.ts';
import { rowWarnings } from '../../src/services/analysis/results-export.ts';

const srm: AnalysisWarning = { warning: 'sample_ratio_mismatch', message: 'arms differ in size' };
const imbalance: AnalysisWarning = { warning: 'imbalance', message: 'strata differ' };
const underpowered = (metrics?: string[]): AnalysisWarning => ({
  warning: 'underpowered',
  message: 'too few participants',
  ...(metrics && { details: { metrics: metrics.map((metric_name) => ({ metric_name })) } }),
});

describe('rowWarnings', () => {
  it('is empty without warnings', () => {
    expect(rowWarnings([], 'weekly_minutes')).toBe('');
  });

  it('puts experiment-wide warnings on every metric, sorted and joined by semicolons', () => {
    expect(rowWarnings([srm, imbalance], 'weekly_minutes')).toBe('imbalance;sample_ratio_mismatch');
  });

  it('puts underpowered only on the metrics it lists', () => {
    const ws = [underpowered(['completed_course']), srm];
    expect(rowWarnings(ws, 'completed_course')).toBe('sample_ratio_mismatch;underpowered');
    expect(rowWarnings(ws, 'weekly_minutes')).toBe('sample_ratio_mismatch');
  });

  it('puts an underpowered warning without its list of metrics on every metric', () => {
    expect(rowWarnings([underpowered()], 'weekly_minutes')).toBe('underpowered');
  });
});
