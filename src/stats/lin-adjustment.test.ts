import { describe, expect, it } from 'vitest';
import fixture from './fixtures/analysis.json' with { type: 'json' };
import { compareToStatsmodels } from './analysis.test-helpers.ts';
import { analyzeArms } from './analysis.ts';
import { linAdjustedAnalysis } from './lin-adjustment.ts';
import { ArmMomentsAccumulator } from './ols.ts';

// Closed forms again (per-arm co-moments, per-arm pseudo-inverses of p×p matrices): 1e-9 relative.
describe("Lin's interacted regression adjustment against statsmodels (fixtures)", () => {
  for (const c of fixture.lin) {
    it(`${c.name}: HC1/CR1, z and t`, () => {
      const k = c.num_missing_values.length;
      const input = { arms: c.arms, outcomes: c.outcomes, covariates: c.covariates, ...(c.clusters ? { clusters: c.clusters } : {}) };
      const z = linAdjustedAnalysis(input, k, { baseline: c.baseline, alpha: c.alpha, inference: 'z' });
      const t = linAdjustedAnalysis(input, k, { baseline: c.baseline, alpha: c.alpha, inference: 't' });
      compareToStatsmodels(z, c.z as Parameters<typeof compareToStatsmodels>[1]);
      compareToStatsmodels(t, c.t as Parameters<typeof compareToStatsmodels>[1]);
      expect(t.arms.map((a) => a.num_missing_values)).toEqual(c.num_missing_values);
      expect(t.adjusted).toBe(true);
    });
  }

  it('with no covariates equals the unadjusted analysis', () => {
    const arms = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
    const y = [1, 2, 4, 3, 5, 6, 2, 7, 8, 6];
    const lin = linAdjustedAnalysis({ arms, outcomes: y, covariates: [] }, 3);
    const acc = new ArmMomentsAccumulator(3);
    acc.addBatch(arms, y);
    const plain = analyzeArms(acc.snapshot());
    lin.arms.forEach((a, j) => {
      expect(a.estimate).toBeCloseTo(plain.arms[j]!.estimate, 12);
      expect(a.std_error).toBeCloseTo(plain.arms[j]!.std_error, 12);
    });
  });
});
