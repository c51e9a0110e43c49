import { describe, expect, it } from 'vitest';
import fixture from './fixtures/multiple-testing.json' with { type: 'json' };
import { benjaminiHochberg, holm } from './multiple-testing.ts';

describe('multiple testing', () => {
  it('matches statsmodels multipletests (holm, fdr_bh) to 1e-12 relative', () => {
    for (const c of fixture.cases) {
      holm(c.p_values).forEach((p, i) => expect(Math.abs(p - c.holm[i]!)).toBeLessThanOrEqual(1e-12 * c.holm[i]!));
      benjaminiHochberg(c.p_values).forEach((p, i) => expect(Math.abs(p - c.fdr_bh[i]!)).toBeLessThanOrEqual(1e-12 * c.fdr_bh[i]!));
    }
  });

  it('leaves NaN p-values out of the family', () => {
    expect(holm([0.01, Number.NaN, 0.04])).toEqual([0.02, Number.NaN, 0.04]);
    expect(benjaminiHochberg([0.01, Number.NaN, 0.04])).toEqual([0.02, Number.NaN, 0.04]);
  });
});
