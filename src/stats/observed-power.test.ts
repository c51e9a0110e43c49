import { describe, expect, it } from 'vitest';
import fixture from './fixtures/observed-power.json' with { type: 'json' };
import { observedPower } from './observed-power.ts';
import type { PowerMetric } from './power-types.ts';

type Case = (typeof fixture.cases)[number] & { metric_target?: number; metric_pct_change?: number; baseline_sd?: number; cluster?: { icc: number; avg_cluster_size: number; cv: number } };

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function run(c: Case) {
  const metric: PowerMetric = {
    field_name: 'y',
    metric_type: c.metric_type as 'numeric' | 'binary',
    metric_baseline: c.baseline_mean,
    metric_stddev: c.baseline_sd ?? null,
    metric_pct_change: c.metric_pct_change ?? null,
    metric_target: c.metric_target ?? null,
    available_n: c.n_per_arm.reduce((a, b) => a + b, 0),
  };
  const cluster = c.cluster ? { icc: c.cluster.icc, avgClusterSize: c.cluster.avg_cluster_size, cv: c.cluster.cv } : null;
  return observedPower({ metric, nPerArm: c.n_per_arm, baseline: c.baseline, power: c.power, alpha: c.alpha, cluster });
}

describe('MDE at the observed n against statsmodels (fixtures/observed-power.json)', () => {
  // Our root is exact; statsmodels' solve_power stops at xtol ~1e-5 in the effect size (tools/reference/README.md).
  for (const c of fixture.cases as Case[]) {
    it(c.name, () => {
      const got = run(c)!;
      expect(got).not.toBeNull();
      expect(got.effective_n).toEqual(c.effective_n);
      expect(rel(got.design_effect, c.design_effect)).toBeLessThan(1e-15);
      const sd = c.metric_type === 'numeric' ? c.baseline_sd! : null;
      // Back out the standardised effect from the detectable value to compare with statsmodels' d or h.
      const possible = got.detectable.target_possible!;
      const effect = sd !== null
        ? Math.abs(possible - c.baseline_mean) / sd
        : Math.abs(2 * Math.asin(Math.sqrt(possible)) - 2 * Math.asin(Math.sqrt(c.baseline_mean)));
      expect(rel(effect, c.effect_exact)).toBeLessThan(1e-9);
      expect(Math.abs(effect - c.effect_statsmodels)).toBeLessThan(2e-5);
      expect(rel(possible, c.target_possible)).toBeLessThan(1e-9);
      expect(Math.abs(got.detectable.pct_change_possible! - c.pct_change_possible)).toBeLessThan(1e-9);
      expect(rel(got.designed_target, c.designed_target)).toBeLessThan(1e-15);
      expect(got.underpowered).toBe(c.underpowered);
    });
  }

  it('covers both verdicts, both metric types, unequal arms and a cluster design', () => {
    const cases = fixture.cases as Case[];
    expect(new Set(cases.map((c) => c.underpowered))).toEqual(new Set([true, false]));
    expect(new Set(cases.map((c) => c.metric_type))).toEqual(new Set(['numeric', 'binary']));
    expect(cases.some((c) => c.ratio !== 1)).toBe(true);
    expect(cases.some((c) => c.design_effect > 1)).toBe(true);
  });
});

describe('what observedPower judges', () => {
  const numeric = (over: Partial<PowerMetric> = {}): PowerMetric => ({
    field_name: 'y', metric_type: 'numeric', metric_baseline: 100, metric_stddev: 20, metric_pct_change: 0.1, available_n: 500, ...over,
  });

  it('skips metrics without a minimum effect, spread or values in the compared arms', () => {
    expect(observedPower({ metric: numeric({ metric_pct_change: null }), nPerArm: [250, 250], baseline: 0 })).toBeNull();
    expect(observedPower({ metric: numeric({ metric_stddev: 0 }), nPerArm: [250, 250], baseline: 0 })).toBeNull();
    expect(observedPower({ metric: numeric({ metric_target: 100, metric_pct_change: null }), nPerArm: [250, 250], baseline: 0 })).toBeNull();
    expect(observedPower({ metric: numeric(), nPerArm: [0, 250], baseline: 0 })).toBeNull();
    expect(observedPower({ metric: numeric(), nPerArm: [250, 0], baseline: 0 })).toBeNull();
  });

  it('compares the baseline arm with the smallest other arm that has values', () => {
    const three = observedPower({ metric: numeric(), nPerArm: [300, 40, 0, 90], baseline: 0 })!;
    expect(three.effective_n).toEqual([300, 40]);
    const smaller = observedPower({ metric: numeric(), nPerArm: [300, 90], baseline: 0 })!;
    expect(Math.abs(three.detectable.pct_change_possible!)).toBeGreaterThan(Math.abs(smaller.detectable.pct_change_possible!));
  });

  it('calls a sample too small for any test underpowered, with nothing detectable', () => {
    const tiny = observedPower({ metric: numeric(), nPerArm: [1, 1], baseline: 0 })!;
    expect(tiny).toMatchObject({ underpowered: true, detectable: { target_possible: null, pct_change_possible: null } });
    // A binary target no proportion can reach with this power: 0.9 → 0.99 with 3 + 3 participants.
    const binary = observedPower({
      metric: { field_name: 'b', metric_type: 'binary', metric_baseline: 0.9, metric_target: 0.99, available_n: 6 },
      nPerArm: [3, 3],
      baseline: 0,
    })!;
    expect(binary.underpowered).toBe(true);
  });
});
