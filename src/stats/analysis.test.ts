import { describe, expect, it } from 'vitest';
import fixture from './fixtures/analysis.json' with { type: 'json' };
import { AnalysisError, analyzeArms } from './analysis.ts';
import type { ArmAnalysis, MetricAnalysis } from './analysis.ts';
import { ArmMomentsAccumulator } from './ols.ts';
import { close, compareToStatsmodels, REL, type Expected } from './analysis.test-helpers.ts';

// Closed forms of per-arm moments: 1e-9 relative (statsmodels itself solves by pinv, which costs a few
// digits only on the large-mean data set). p-values in the far tail: 1e-9 relative as well, since both sides
// compute the exact tail; tiny values near underflow use the same rule.
function run(c: (typeof fixture.analysis)[number], inference: 't' | 'z'): MetricAnalysis {
  const acc = new ArmMomentsAccumulator(c.num_missing_values.length, { clustered: c.clusters !== null });
  acc.addBatch(c.arms, c.outcomes, c.clusters ?? undefined);
  return analyzeArms(acc.snapshot(), { baseline: c.baseline, alpha: c.alpha, inference });
}

describe('analyzeArms against statsmodels OLS (fixtures)', () => {
  for (const c of fixture.analysis) {
    it(`${c.name}: HC1/CR1, z and t inference`, () => {
      const tol = c.name.includes('bigmean') ? 1e-7 : REL; // statsmodels' pinv loses digits on y ≈ 1e6
      compareToStatsmodels(run(c, 'z'), c.z as Expected, tol);
      compareToStatsmodels(run(c, 't'), c.t as Expected, tol);
      const r = run(c, 't');
      expect(r.arms.map((a) => a.num_missing_values)).toEqual(c.num_missing_values);
      expect(r.covariance).toBe(c.clusters ? 'CR1' : 'HC1');
    });
  }
});

function fromMoments(arms: readonly { n: number; ones: number }[]): ArmMomentsAccumulator {
  const acc = new ArmMomentsAccumulator(arms.length);
  arms.forEach(({ n, ones }, j) => {
    for (let i = 0; i < n; i++) acc.add(j, i < ones);
  });
  return acc;
}

describe('analyzeArms: stats.md §2.7 vectors (z inference, as the reference)', () => {
  const a1 = fromMoments([{ n: 338, ones: 162 }, { n: 327, ones: 164 }, { n: 335, ones: 175 }]);

  it('A1: binary, three arms', () => {
    const r = analyzeArms(a1.snapshot(), { inference: 'z' });
    const [a, b, c] = r.arms as ArmAnalysis[];
    close(a!.estimate, 0.4792899408284015);
    close(a!.std_error, 0.027213926757273986);
    close(a!.ci_lower, 0.4259516245062336);
    close(a!.ci_upper, 0.5326282571505694);
    close(b!.estimate, 0.02223911115936524);
    close(b!.std_error, 0.03882546988115989);
    close(b!.p_value, 0.5667821769587119);
    close(b!.ci_lower, -0.05385741149055276);
    close(b!.mean_ci_upper, 0.5558033992553834);
    close(c!.p_value, 0.26381793434269196);
    close(c!.ci_upper, 0.11869307635449886);
    close(c!.mean_ci_lower, 0.4688192104649026);
    const alpha10 = analyzeArms(a1.snapshot(), { inference: 'z', alpha: 0.1 }).arms;
    close(alpha10[0]!.ci_lower, 0.43452701469810767);
    close(alpha10[1]!.ci_upper, 0.08610132611148623);
    const baseB = analyzeArms(a1.snapshot(), { inference: 'z', baseline: 1 }).arms;
    close(baseB[1]!.estimate, 0.5015290519877666);
    close(baseB[1]!.std_error, 0.02769150234173978);
    close(baseB[2]!.estimate, 0.020859007713725106);
    close(baseB[2]!.std_error, 0.03890800437555794);
  });

  it('A2: numeric with missing outcomes and an assigned unit without a row', () => {
    const acc = new ArmMomentsAccumulator(3);
    acc.addBatch([0, 0, 0, 0, 0, 0], [10, 12, 9.5, 11, null, 13.5]);
    acc.addBatch([1, 1, 1, 1, 1, 1, 1], [14, 12.5, 15, 13, 16.5, 14.5, null]);
    acc.addBatch([2, 2, 2, 2, 2, 2], [9, 11.5, 10, 12, 10.5, null]);
    const [ctl, tA, tB] = analyzeArms(acc.snapshot(), { inference: 'z' }).arms as ArmAnalysis[];
    close(ctl!.std_error, 0.7120933387393286);
    close(ctl!.ci_lower, 9.804322702440041);
    close(tA!.estimate, 3.05);
    close(tA!.std_error, 0.9283198682446578);
    close(tA!.t_stat, 3.285505464584292);
    close(tA!.p_value, 0.0010179956772573503);
    close(tA!.mean_ci_lower, 13.082708807966776);
    close(tB!.std_error, 0.8875203139603668);
    close(tB!.p_value, 0.4990147005484483);
    close(tB!.ci_upper, 1.1395078509099943);
    expect([ctl!.num_missing_values, tA!.num_missing_values, tB!.num_missing_values]).toEqual([1, 1, 1]);
  });

  it('A3: clustered CR1', () => {
    const acc = new ArmMomentsAccumulator(2, { clustered: true });
    const data: [string, number, number[]][] = [['s1', 0, [4, 5, 6]], ['s2', 0, [7, 6.5, 8]], ['s3', 0, [3, 4.5, 4]], ['s4', 1, [8, 9.5, 9]], ['s5', 1, [6, 7.5, 7]], ['s6', 1, [10, 11, 9.5]]];
    for (const [cluster, arm, ys] of data) for (const y of ys) acc.add(arm, y, cluster);
    const [ctl, trt] = analyzeArms(acc.snapshot(), { inference: 'z' }).arms as ArmAnalysis[];
    close(ctl!.estimate, 5.33333333333333, 1e-12);
    close(ctl!.std_error, 0.9003600103004069);
    close(ctl!.ci_lower, 3.568660140024421);
    close(trt!.estimate, 3.2777777777777786);
    close(trt!.std_error, 1.2681399813686518);
    close(trt!.t_stat, 2.5847129070405988);
    close(trt!.p_value, 0.009746011163456152);
    close(trt!.mean_ci_upper, 10.361448785117878);
    const t = analyzeArms(acc.snapshot()).arms[1]!;
    expect(t.p_value).toBeGreaterThan(trt!.p_value); // t with G − 1 = 5 df is more conservative than z
  });

  it('A4: an arm with every outcome missing gets NaN, not 0; the others match', () => {
    const acc = new ArmMomentsAccumulator(3);
    acc.addBatch([0, 0, 0, 0, 0, 0], [10, 12, 9.5, 11, 8, 13.5]);
    acc.addBatch([1, 1, 1, 1, 1, 1], [null, null, null, null, null, null]);
    acc.addBatch([2, 2, 2, 2, 2, 2], [9, 11.5, 10, 12, 10.5, 11]);
    const [ctl, tA, tB] = analyzeArms(acc.snapshot(), { inference: 'z' }).arms as ArmAnalysis[];
    close(ctl!.estimate, 10.666666666666666);
    close(ctl!.std_error, 0.7923242882669812);
    expect(tA!.estimate).toBeNaN();
    expect(tA!.p_value).toBeNaN();
    expect(tA!.num_missing_values).toBe(6);
    expect(Math.abs(tB!.estimate)).toBeLessThan(1e-12);
    close(tB!.std_error, 0.9067647005823635);
  });

  it('errors on an empty baseline and returns no rows when every outcome is missing', () => {
    const acc = new ArmMomentsAccumulator(2);
    acc.addBatch([0, 1, 1], [null, 1, 2]);
    expect(() => analyzeArms(acc.snapshot())).toThrow(AnalysisError);
    const empty = new ArmMomentsAccumulator(2);
    empty.addBatch([0, 1], [null, null]);
    expect(analyzeArms(empty.snapshot()).arms).toEqual([]);
  });

  it('streams: batches in any order give the same result as one pass', () => {
    const c = fixture.analysis[1]!;
    const one = run(c, 't');
    const acc = new ArmMomentsAccumulator(c.num_missing_values.length);
    const idx = c.arms.map((_, i) => i).reverse();
    for (const i of idx) acc.add(c.arms[i]!, c.outcomes[i]);
    const other = analyzeArms(acc.snapshot(), { baseline: c.baseline, alpha: c.alpha });
    other.arms.forEach((a, j) => close(a.std_error, one.arms[j]!.std_error, 1e-12));
  });
});
