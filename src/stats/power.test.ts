import { describe, expect, it } from 'vitest';
import fixture from './fixtures/power.json' with { type: 'json' };
import {
  clusterMde, clusterSampleSizeAnalysis, clustersNeeded, designEffect, effectiveSampleSize,
} from './cluster-power.ts';
import { cohensH, proportionAtCohensH } from './effect-size.ts';
import { armAllocation, solveControlN, solveEffectSize, twoSamplePower } from './individual-power.ts';
import { checkPower } from './power.ts';
import { minimumDetectableEffect, sampleSizeAnalysis } from './power-individual-analysis.ts';
import { pythonFloat, roundHalfEven } from './power-message.ts';
import type { PowerDesign, PowerMetric } from './power-types.ts';

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

// Tolerances.
// - Closed forms (power at given n and effect) vs statsmodels on scipy 1.10 (Boost nct): 1e-9 relative.
// - Our exact roots vs scipy brentq run to xtol 1e-13 on the same power function: 1e-9 relative (both are
//   exact roots; the power function itself agrees to ~1e-12).
// - vs statsmodels' own solve_power: it stops at xtol ~1e-5 (brentq_expanding), so n₁* at 1e-6 relative and
//   effect sizes at 2e-5 absolute. Integer outputs (target_n, clusters) must match exactly.
// - stats.md §2 vectors come from newer scipy/statsmodels and are compared at the precision quoted there.
// Measured worst cases: power 1.6e-14 (t) / 2.9e-15 (z); n₁ 8.6e-14; effect sizes 1.4e-14 (t) / 2.8e-15 (z).
const CLOSED_FORM_RTOL = 1e-9;
const EXACT_ROOT_RTOL = 1e-9;

const numeric = (over: Partial<PowerMetric> = {}): PowerMetric => ({
  field_name: 'spend', metric_type: 'numeric', metric_baseline: 100, metric_stddev: 20, metric_target: 110,
  available_n: 100_000, available_nonnull_n: 100_000, ...over,
});
const binary = (over: Partial<PowerMetric> = {}): PowerMetric => ({
  field_name: 'converted', metric_type: 'binary', metric_baseline: 0.5, metric_target: 0.55,
  available_n: 100_000, available_nonnull_n: 100_000, ...over,
});
const EVIDENTIAL: Pick<PowerDesign, 'compat'> = { compat: 'evidential' };

describe('closed-form power against statsmodels (fixtures/power.json)', () => {
  it(`t and z power agree to ${CLOSED_FORM_RTOL}`, () => {
    for (const row of fixture.power_grid) {
      const design = { ratio: row.ratio, alpha: row.alpha };
      expect(rel(twoSamplePower(row.effect, row.n_control, design, 't'), row.power_t)).toBeLessThan(CLOSED_FORM_RTOL);
      // statsmodels itself inherits scipy 1.10's t quantile error (~2e-9 relative in the critical value).
      expect(rel(twoSamplePower(row.effect, row.n_control, design, 't'), row.power_t_statsmodels)).toBeLessThan(3e-8);
      expect(rel(twoSamplePower(row.effect, row.n_control, design, 'z'), row.power_z)).toBeLessThan(CLOSED_FORM_RTOL);
    }
  });
});

describe('individual sample size and MDE on generated designs (2–6 arms, weights, both metric types)', () => {
  it('solves n₁ exactly and reproduces target_n', () => {
    for (const c of fixture.individual) {
      const alloc = armAllocation(c.n_arms, c.arm_weights);
      expect(rel(alloc.ratio, c.ratio)).toBeLessThan(1e-15);
      const n = solveControlN(c.effect, c.power, { ratio: c.ratio, alpha: c.alpha });
      expect(rel(n, c.n_control_exact)).toBeLessThan(EXACT_ROOT_RTOL);
      expect(rel(n, c.n_control_statsmodels)).toBeLessThan(1e-6);
      const metric = c.metric_type === 'numeric'
        ? numeric({ metric_baseline: c.baseline, metric_stddev: c.sd, metric_target: c.target })
        : binary({ metric_baseline: c.baseline, metric_target: c.target });
      const got = sampleSizeAnalysis(metric, { nArms: c.n_arms, armWeights: c.arm_weights, power: c.power, alpha: c.alpha });
      if (!c.ambiguous_ceiling) expect(got.target_n).toBe(c.target_n);
    }
  });

  it('solves the MDE effect exactly, for the t and z tests', () => {
    for (const c of fixture.individual) {
      if (!c.mde) continue;
      const design = { ratio: c.ratio, alpha: c.alpha };
      const t = solveEffectSize(c.mde.n_control, c.power, design, 't');
      const z = solveEffectSize(c.mde.n_control, c.power, design, 'z');
      expect(rel(t, c.mde.effect_t_exact)).toBeLessThan(EXACT_ROOT_RTOL);
      expect(rel(z, c.mde.effect_z_exact)).toBeLessThan(EXACT_ROOT_RTOL);
      expect(Math.abs(t - c.mde.effect_t_statsmodels)).toBeLessThan(2e-5);
      expect(Math.abs(z - c.mde.effect_z_statsmodels)).toBeLessThan(2e-5);
    }
  });
});

describe('cluster designs on generated shapes', () => {
  it('reproduces DEFF, clusters and units per arm, totals and effective n', () => {
    for (const c of fixture.cluster) {
      const shape = { icc: c.icc, avgClusterSize: c.avg_cluster_size, cv: c.cv };
      const deff = designEffect(shape);
      expect(rel(deff, c.design_effect)).toBeLessThan(1e-15);
      const { shares } = armAllocation(c.n_arms, c.arm_weights);
      const clusters = shares.map((p) => clustersNeeded(c.individual_target_n * p, c.avg_cluster_size, deff));
      expect(clusters).toEqual(c.clusters_per_arm);
      const nPerArm = clusters.map((j) => Math.ceil(j * c.avg_cluster_size));
      expect(nPerArm).toEqual(c.n_per_arm);
      expect(effectiveSampleSize(c.target_n, deff)).toBe(c.effective_sample_size);
    }
  });
});

describe('stats.md §2.1 sample-size vectors', () => {
  const cases: [string, PowerMetric, PowerDesign, number, number][] = [
    ['P1', numeric(), { nArms: 2 }, 63.76561058785, 128],
    ['P2', numeric(), { nArms: 2, armWeights: [20, 80] }, 39.63212973178, 200],
    ['P3', numeric(), { nArms: 3, armWeights: [20, 20, 60] }, 63.76561, 320],
    ['P4', numeric({ metric_baseline: 13.206590621039297, metric_target: 14.527249683143227, metric_stddev: 37.601056495700554 }), { nArms: 4 }, 12725.88658075, 50904],
    ['P5', binary(), { nArms: 2 }, 1565.48995434, 3132],
    ['P6', binary(), { nArms: 2, armWeights: [33.3, 66.7] }, 1173.45029831, 3526],
    ['P7', binary(), { nArms: 2, armWeights: [20, 80] }, 978.214924258, 4895],
    ['P8', numeric({ metric_target: null, metric_pct_change: 0.05 }), { nArms: 2 }, 252.127501227, 506],
    ['P9', binary({ metric_baseline: 0.05, metric_target: null, metric_pct_change: 0.1 }), { nArms: 2 }, 31218.3838245, 62438],
    ['P10', binary({ metric_baseline: 0.1, metric_target: 0.15 }), { nArms: 2 }, 681.314356410, 1364],
    ['P11', numeric({ metric_baseline: 0, metric_target: 0.3, metric_stddev: 1 }), { nArms: 2, alpha: 0.1, power: 0.9 }, 190.986135480, 382],
    ['P12', numeric({ metric_baseline: 0, metric_target: 0.2, metric_stddev: 1 }), { nArms: 2, alpha: 0.01 }, 585.609264396, 1172],
    ['P13', numeric({ metric_baseline: 0, metric_target: 0.5, metric_stddev: 1 }), { nArms: 3 }, 63.76561, 192],
    ['P14', binary({ metric_baseline: 0.2, metric_target: 0.25 }), { nArms: 2, power: 0.9 }, 1462.70326448, 2926],
    ['P15', binary({ metric_baseline: 0.3, metric_target: 0.2 }), { nArms: 2 }, 292.652133425, 586],
  ];
  it.each(cases)('%s', (_name, metric, design, rawN, targetN) => {
    const result = sampleSizeAnalysis(metric, design);
    expect(result.target_n).toBe(targetN);
    expect(result.sufficient_n).toBe(targetN <= 100_000);
    // raw n₁* quoted to ≥ 7 significant digits (statsmodels xtol), except P3/P13 quoted to 7.
    const alloc = armAllocation(design.nArms, design.armWeights);
    const t = result.metric_spec.metric_target as number;
    const b = metric.metric_baseline as number;
    const effect = metric.metric_type === 'numeric' ? (t - b) / (metric.metric_stddev as number) : cohensH(b, t);
    const n = solveControlN(effect, design.power ?? 0.8, { ratio: alloc.ratio, alpha: design.alpha ?? 0.05 });
    expect(rel(n, rawN)).toBeLessThan(1e-7);
  });

  it('P5 effect size is Cohen\'s h', () => {
    expect(rel(cohensH(0.5, 0.55), -0.100167421162)).toBeLessThan(1e-11);
  });

  it('insufficient P4: MDE at the non-null n, null warning, sufficiency on the non-null count', () => {
    const p4 = numeric({ metric_baseline: 13.206590621039297, metric_target: 14.527249683143227, metric_stddev: 37.601056495700554 });
    const a = sampleSizeAnalysis({ ...p4, available_n: 789, available_nonnull_n: 789 }, { nArms: 4 });
    expect(a.sufficient_n).toBe(false);
    expect(rel(a.target_possible as number, 23.84683287873954)).toBeLessThan(1e-5);
    expect(a.msg?.values?.target_possible).toBe(23.8468);
    expect(a.msg?.values?.additional_n_needed).toBe(50904 - 789);
    expect(a.msg?.type).toBe('insufficient');
    expect(a.msg?.msg).not.toContain('WARNING');
    const b = sampleSizeAnalysis({ ...p4, available_n: 789, available_nonnull_n: 104 }, { nArms: 4 });
    expect(rel(b.target_possible as number, 42.99966370937787)).toBeLessThan(1e-5);
    expect(b.msg?.msg).toContain('WARNING: There are 104 units with a non-null value out of the 789 available.');
    const c = sampleSizeAnalysis({ ...p4, available_n: 100_000, available_nonnull_n: 789 }, { nArms: 4 });
    expect(c.sufficient_n).toBe(false);
    expect(c.msg?.values?.target_possible).toBe(23.8468);
  });

  it('insufficient P5 (binary): the reference reports a decrease from the z-test; we follow the target', () => {
    const m = binary({ available_n: 1000, available_nonnull_n: 1000 });
    const compat = sampleSizeAnalysis(m, { nArms: 2, ...EVIDENTIAL });
    expect(rel(compat.target_possible as number, 0.41186899977395697)).toBeLessThan(1e-5);
    expect(rel(compat.pct_change_possible as number, -0.17626200045208607)).toBeLessThan(1e-5);
    const ours = sampleSizeAnalysis(m, { nArms: 2 });
    expect(ours.target_possible as number).toBeGreaterThan(0.5);
    expect(ours.target_possible as number).toBeCloseTo(0.588, 3); // mirror image of 0.412 at p = 0.5, t not z
  });
});

describe('stats.md §2.2 MDE vectors', () => {
  const cases: [string, PowerMetric, PowerDesign, number, number, number][] = [
    ['M1', numeric(), { nArms: 2 }, 500, 105.02131225313916, 0.0502],
    ['M2', numeric(), { nArms: 2 }, 20000, 100.79249300562526, 0.00793],
    ['M3', numeric(), { nArms: 2, armWeights: [20, 80] }, 20000, 100.9906039166767, 0.00991],
    ['M4', binary({ metric_baseline: 0.05 }), { nArms: 2 }, 1000, 0.018630108349938845, -0.6274],
    ['M5', binary({ metric_baseline: 0.05 }), { nArms: 2 }, 500, 0.01001103519857006, -0.7998],
    ['M6', binary({ metric_baseline: 0.05 }), { nArms: 2 }, 10000, 0.03850113711636507, -0.2300],
    ['M7', binary({ metric_baseline: 0.5 }), { nArms: 2 }, 20000, 0.4801938079569871, -0.0396],
    ['M8', binary({ metric_baseline: 0.05 }), { nArms: 2, armWeights: [20, 80] }, 1000, 0.013114661045508628, -0.737707],
    ['M9', numeric(), { nArms: 2 }, 1000, 103.54716696573358, 0.0354717],
    ['M10', numeric(), { nArms: 2 }, 600, 104.58232742314635, 0.046],
    ['M11', numeric({ metric_baseline: 10, metric_stddev: 2, metric_target: 11 }), { nArms: 2, alpha: 0.1, power: 0.9 }, 100, 11.178727642887102, 0.117873],
    ['M12', binary({ metric_baseline: 0.3, metric_target: 0.35 }), { nArms: 2, alpha: 0.01 }, 400, 0.15798908773229386, -0.473370],
  ];
  it.each(cases)('%s (evidential compat)', (_name, metric, design, desiredN, target, pct) => {
    const mde = minimumDetectableEffect(metric, desiredN, { ...design, ...EVIDENTIAL });
    // statsmodels solved d to ~2.4e-6 absolute: targets at 1e-5 relative; pct against the exact C target
    // (the quoted pct has 2–6 digits, e.g. M10's 0.046 is 0.04582…), and the quoted pct to its own digits.
    expect(rel(mde.target_possible as number, target)).toBeLessThan(1e-5);
    const baseline = metric.metric_baseline as number;
    expect(Math.abs((mde.pct_change_possible as number) - (target / baseline - 1))).toBeLessThan(1e-5);
    const quotedDigits = String(pct).split('.')[1]?.length ?? 0;
    expect(Math.abs((mde.pct_change_possible as number) - pct)).toBeLessThanOrEqual(0.5 * 10 ** -quotedDigits + 1e-6);
  });

  it('effect sizes match the quoted d and h at 5e-6 absolute', () => {
    expect(Math.abs(solveEffectSize(250, 0.8, { ratio: 1, alpha: 0.05 }) - 0.251065612657)).toBeLessThan(5e-6);
    expect(Math.abs(solveEffectSize(10000, 0.8, { ratio: 1, alpha: 0.05 }) - 0.039624650281)).toBeLessThan(5e-6);
    expect(Math.abs(solveEffectSize(5000, 0.8, { ratio: 1, alpha: 0.05 }, 'z') - 0.056029829945)).toBeLessThan(5e-6);
    expect(Math.abs(solveEffectSize(200, 0.8, { ratio: 4, alpha: 0.05 }, 'z') - 0.221484685755)).toBeLessThan(5e-6);
  });

  it('M5 via checkPower: pct_change_with_desired_n', () => {
    const [a] = checkPower([binary({ metric_baseline: 0.05, metric_target: 0.06 })], { nArms: 2, desiredN: 500, ...EVIDENTIAL });
    expect(Math.abs((a?.pct_change_with_desired_n as number) - -0.7998)).toBeLessThan(1e-4);
  });
});

describe('fixes relative to the reference (stats.md §3)', () => {
  it('a binary MDE never wraps past 0: baseline 0.01 with 200 units reports an increase', () => {
    // The reference reports 0.00956 (−4.4 %), sin² having wrapped around zero.
    for (const design of [{ nArms: 2 }, { nArms: 2, ...EVIDENTIAL }] as PowerDesign[]) {
      const mde = minimumDetectableEffect(binary({ metric_baseline: 0.01, metric_target: null }), 200, design);
      expect(mde.target_possible as number).toBeGreaterThan(0.01);
      expect(mde.pct_change_possible as number).toBeGreaterThan(0);
    }
    expect(proportionAtCohensH(0.01, 0.5, -1)).toBeNull();
    expect(proportionAtCohensH(0.99, 0.5, 1)).toBeNull();
  });

  it('binary MDE uses the same t-test as the sample size, so they invert each other', () => {
    const n = sampleSizeAnalysis(binary({ metric_baseline: 0.1, metric_target: 0.15 }), { nArms: 2 }).target_n as number;
    const mde = minimumDetectableEffect(binary({ metric_baseline: 0.1, metric_target: 0.15 }), n, { nArms: 2 });
    expect(mde.target_possible as number).toBeGreaterThan(0.1);
    expect(mde.target_possible as number).toBeLessThanOrEqual(0.15);
    expect(mde.target_possible as number).toBeGreaterThan(0.149);
  });

  it('MDE follows the direction of the target (a decrease for a decrease)', () => {
    const down = minimumDetectableEffect(numeric({ metric_target: 90 }), 500, { nArms: 2 });
    expect(rel(down.target_possible as number, 100 - 5.02131225313916)).toBeLessThan(1e-5);
    const up = minimumDetectableEffect(numeric({ metric_target: 90 }), 500, { nArms: 2, ...EVIDENTIAL });
    expect(up.target_possible as number).toBeGreaterThan(100);
  });

  it('never modifies its input', () => {
    const metric = Object.freeze(numeric({ metric_target: null, metric_pct_change: 0.05 }));
    const [a] = checkPower([metric], { nArms: 2, desiredN: 1000 });
    expect(metric.metric_target).toBeNull();
    expect(a?.metric_spec.metric_target).toBeCloseTo(105, 12);
  });
});

describe('messages (the reference templates)', () => {
  it('sufficient, with the reference trailing space and Python number formatting', () => {
    const a = sampleSizeAnalysis(numeric({ available_n: 1000, available_nonnull_n: 1000 }), { nArms: 2 });
    expect(a.msg).toEqual({
      type: 'sufficient',
      msg: 'There are 1000 units available to run your experiment and a minimum of 128 units are needed to meet your experimental design specs. There are enough units available. ',
      source_msg: 'There are {available_n} units available to run your experiment and a minimum of {target_n} units are needed to meet your experimental design specs. There are enough units available. ',
      values: { available_n: 1000, target_n: 128, available_nonnull_n: 1000 },
      high_cluster_variation: null,
    });
  });

  it('insufficient text', () => {
    const a = sampleSizeAnalysis(numeric({ available_n: 100, available_nonnull_n: 100 }), { nArms: 2 });
    expect(a.msg?.msg).toContain('You need 28 more units to meet your specified metric target of 110.0.');
    expect(a.msg?.msg).toContain('with the available 100 non-null units and a metric baseline of 100.0, your metric target should be ');
  });

  it.each([
    ['no available n', numeric({ available_n: 0 })],
    ['no available n', numeric({ available_n: null })],
    ['insufficient', numeric({ available_nonnull_n: 0 })],
    ['no baseline', numeric({ metric_baseline: null })],
    ['no baseline', numeric({ metric_target: null })],
    ['zero variation', numeric({ metric_stddev: 0 })],
    ['zero variation', numeric({ metric_stddev: null })],
    ['zero effect size', numeric({ metric_target: 100 })],
    ['zero effect size', binary({ metric_target: 0.5 })],
  ] as const)('%s', (type, metric) => {
    const a = sampleSizeAnalysis(metric, { nArms: 2 });
    expect(a.msg?.type).toBe(type);
    expect(a.msg?.values).toBeNull();
    expect(a.msg?.msg).toBe(a.msg?.source_msg);
    expect(a.target_n).toBeNull();
  });

  it('errors: unknown metric type, non-positive desired n, power ≤ alpha', () => {
    expect(() => checkPower([numeric({ metric_type: null })], { nArms: 2 })).toThrow('Unknown metric_type.');
    expect(() => checkPower([numeric()], { nArms: 2, desiredN: 0 })).toThrow('Chosen sample size must be positive.');
    expect(() => checkPower([numeric()], { nArms: 2, power: 0.04 })).toThrow(/power must be between/);
  });

  it('Python float rendering and rounding', () => {
    expect(pythonFloat(100)).toBe('100.0');
    expect(pythonFloat(23.8468)).toBe('23.8468');
    expect(pythonFloat(1e-5)).toBe('1e-05');
    expect(pythonFloat(1.5e16)).toBe('1.5e+16');
    expect(roundHalfEven(1.03125, 4)).toBe(1.0312);
    expect(roundHalfEven(0.09375, 4)).toBe(0.0938); // 3/32, an exact tie: to even
    expect(roundHalfEven(1.03135, 4)).toBe(1.0313); // not a tie in binary (1.0313499…)
    expect(roundHalfEven(0.411868999, 4)).toBe(0.4119);
  });
});

describe('stats.md §2.3 cluster vectors (numeric 100 → 110, σ 20, ICC 0.15, m 30, CV 0 unless stated)', () => {
  const shape = (over: Partial<{ icc: number; avgClusterSize: number; cv: number }> = {}) =>
    ({ icc: 0.15, avgClusterSize: 30, cv: 0, ...over });
  const run = (metric: PowerMetric, design: PowerDesign, s = shape()) => clusterSampleSizeAnalysis(metric, design, s);

  it.each([
    ['C1', numeric({ available_n: 1000, available_nonnull_n: 1000 }), { nArms: 2 }, shape(), 5.35, [12, 12], [360, 360], 720, 134],
    ['C2', numeric(), { nArms: 2 }, shape({ icc: 0 }), 1, [3, 3], [90, 90], 180, 180],
    ['C3', numeric(), { nArms: 2, armWeights: [20, 80] }, shape(), 5.35, [8, 29], [240, 870], 1110, 207],
    ['C4', numeric(), { nArms: 3 }, shape(), 5.35, [12, 12, 12], [360, 360, 360], 1080, 201],
    ['C5', binary({ metric_baseline: 0.1, metric_target: 0.15 }), { nArms: 2 }, shape({ icc: 0.05, avgClusterSize: 50 }), 3.45, [48, 48], [2400, 2400], 4800, 1391],
    ['C6', numeric(), { nArms: 2 }, shape({ icc: 0.05 }), 2.45, [6, 6], [180, 180], 360, 146],
    ['C9', numeric(), { nArms: 2 }, shape({ cv: 2 }), 23.35, [50, 50], [1500, 1500], 3000, 128],
    ['C10', numeric(), { nArms: 3 }, shape({ cv: 1.2 }), 11.83, [26, 26, 26], [780, 780, 780], 2340, 197],
  ] as const)('%s', (_n, metric, design, s, deff, clusters, nPerArm, targetN, eff) => {
    const a = run(metric, design, s);
    expect(a.design_effect as number).toBeCloseTo(deff, 12);
    expect(a.clusters_per_arm).toEqual(clusters);
    expect(a.n_per_arm).toEqual(nPerArm);
    expect(a.target_n).toBe(targetN);
    expect(a.num_clusters_total).toBe(clusters.reduce((x, y) => x + y, 0));
    expect(a.effective_sample_size).toBe(eff);
    expect(a.msg?.high_cluster_variation).toBe(s.cv > 1);
  });

  it('C7, C8, C11, C12: insufficiency and the cluster MDE', () => {
    const c7 = run(numeric({ available_n: 1000, available_nonnull_n: 1000 }), { nArms: 2 }, shape({ icc: 0.3 }));
    expect([c7.design_effect, c7.target_n, c7.effective_sample_size, c7.sufficient_n]).toEqual([9.7, 1260, 129, false]);
    expect(rel(c7.target_possible as number, 111.203947598398)).toBeLessThan(1e-5);
    const c8 = run(numeric(), { nArms: 2 }, shape({ cv: 0.3 }));
    expect(c8.design_effect as number).toBeCloseTo(5.755, 12);
    expect([c8.clusters_per_arm, c8.target_n, c8.effective_sample_size]).toEqual([[13, 13], 780, 135]);
    const c11 = run(numeric({ available_n: 200, available_nonnull_n: 200 }), { nArms: 2 });
    expect(c11.msg?.values?.additional_n_needed).toBe(520);
    expect(rel(c11.target_possible as number, 119.225925817578)).toBeLessThan(1e-5);
    const c12 = run(numeric({ available_n: 100, available_nonnull_n: 100 }), { nArms: 2 });
    expect(rel(c12.target_possible as number, 128.1384930536051)).toBeLessThan(1e-5);
  });

  it('C9 high variation warning', () => {
    const a = run(numeric(), { nArms: 2 }, shape({ cv: 2 }));
    expect(a.msg?.msg).toContain('Warning: High cluster size variation (CV=2.00).');
    expect(a.msg?.source_msg).not.toContain('Warning');
  });

  it.each([
    ['C13', { nArms: 2 }, 600, shape(), [10, 10], [300, 300], 112, 110.68255672322127],
    ['C14', { nArms: 2, armWeights: [3, 1] }, 800, shape(), [20, 7], [600, 200], 149, 110.70718111029011],
    ['C15', { nArms: 2 }, 800, shape(), [14, 14], [400, 400], 149, 109.27269678903359],
    ['C16', { nArms: 2, armWeights: [20, 80] }, 1000, shape(), null, null, 186, 110.35325845087779],
    ['C17a', { nArms: 2 }, 720, shape(), null, null, 134, 109.75195513214038],
    ['C17b', { nArms: 2 }, 720, shape({ cv: 1.5 }), null, null, 46, 116.8946066714133],
  ] as const)('%s MDE', (_n, design, desiredN, s, clusters, nPerArm, eff, target) => {
    const mde = clusterMde(numeric(), desiredN, design, s);
    if (clusters) expect(mde.clusters_per_arm).toEqual(clusters);
    if (nPerArm) expect(mde.n_per_arm).toEqual(nPerArm);
    expect(mde.effective_sample_size).toBe(eff);
    expect(rel(mde.target_possible as number, target)).toBeLessThan(1e-5);
  });

  it('C18 binary cluster MDE (compat) and C19/C20 the catastrophic design effect', () => {
    const c18 = clusterMde(binary({ metric_baseline: 0.1 }), 1000, { nArms: 2, ...EVIDENTIAL }, shape({ icc: 0.05, avgClusterSize: 50 }));
    expect(c18.effective_sample_size).toBe(289);
    expect(rel(c18.target_possible as number, 0.024344022243462073)).toBeLessThan(1e-5);
    const income = numeric({ metric_baseline: 50000, metric_stddev: 20000, metric_target: null, metric_pct_change: 0.05 });
    const big = shape({ icc: 0.5893605541543318, avgClusterSize: 166667 });
    const c19 = clusterMde(income, 400000, { nArms: 2 }, big);
    expect(rel(c19.design_effect, 98227.36611868585)).toBeLessThan(1e-14);
    expect(c19.effective_sample_size).toBe(4);
    expect(rel(c19.target_possible as number, 163069.78683697604)).toBeLessThan(1e-5);
    expect(Math.abs((c19.pct_change_possible as number) - 2.2614)).toBeLessThan(1e-4);
    for (const desiredN of [50000, 150000, 290000, 390000]) {
      expect(() => checkPower([{ ...income, icc: big.icc, avg_cluster_size: big.avgClusterSize, cv: 0 }], { nArms: 2, desiredN }))
        .toThrow(/Clustering inflates the required sample size/);
    }
  });

  it('helper vectors: DEFF, effective n, clusters needed, validation', () => {
    expect(designEffect(shape({ icc: 0.05, avgClusterSize: 50 }))).toBeCloseTo(3.45, 12);
    expect(designEffect(shape({ icc: 0.39, avgClusterSize: 6 }))).toBeCloseTo(2.95, 12);
    expect(rel(designEffect(shape({ icc: 0.39, avgClusterSize: 6, cv: 5.16 })), 65.2864)).toBeLessThan(0.01);
    expect(designEffect(shape({ icc: 1 }))).toBe(30);
    expect(designEffect(shape({ cv: 1.5 }))).toBeCloseTo(15.475, 12);
    expect(() => designEffect(shape({ icc: 1.5 }))).toThrow();
    expect(() => designEffect(shape({ avgClusterSize: 0 }))).toThrow();
    expect(() => designEffect(shape({ cv: -1 }))).toThrow();
    expect([effectiveSampleSize(1000, 2), effectiveSampleSize(720, 5.35), effectiveSampleSize(1000, 1)]).toEqual([500, 134, 1000]);
    expect([clustersNeeded(63, 30, 5.35), clustersNeeded(60, 30, 5), clustersNeeded(60.03, 30, 5), clustersNeeded(100, 25, 1),
      clustersNeeded(60, 30, 2), clustersNeeded(60, 30, 10)]).toEqual([12, 10, 11, 4, 4, 20]);
  });

  it('checkPower routes metrics with icc/avg_cluster_size/cv to the cluster analysis', () => {
    const [a, b] = checkPower(
      [numeric({ icc: 0.15, avg_cluster_size: 30, cv: 0 }), numeric()],
      { nArms: 2, desiredN: 600 },
    );
    expect(a?.target_n).toBe(720);
    expect(rel(a?.pct_change_with_desired_n as number, 0.10682556723221)).toBeLessThan(1e-5);
    expect(b?.target_n).toBe(128);
    expect(b?.clusters_per_arm).toBeNull();
  });
});
