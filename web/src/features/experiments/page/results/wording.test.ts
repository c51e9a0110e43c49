import { describe, expect, it } from 'vitest';
import type { ArmAnalysis, FreqAnalysis } from './analysis-types.ts';
import { DEMO_ANALYSIS } from './analysis-fixture.ts';
import {
  adjustedSentence,
  armSentence,
  confidenceLevel,
  effectTone,
  explainWarning,
  formatEffect,
  formatNumber,
  formatP,
  formatValue,
  intendedDirection,
  missingSentence,
  plannedSplit,
  srmOkSentence,
  type SentenceContext,
} from './wording.ts';

const minutes = DEMO_ANALYSIS.metric_analyses[0]!;
const completed = DEMO_ANALYSIS.metric_analyses[1]!;
const control = minutes.arm_analyses[0]!;
const sms = minutes.arm_analyses[1]!;

const ctx = (over: Partial<SentenceContext> = {}): SentenceContext => ({
  metricName: 'weekly_minutes',
  baseline: control,
  kind: 'numeric',
  alpha: 0.05,
  direction: null,
  numTests: 1,
  ...over,
});

/** The demo's Reminder SMS arm with a clear effect of `estimate` instead of its real, unclear one. */
function clear(estimate: number, p: number, holm: number | null = p): ArmAnalysis {
  return { ...sms, estimate, ci_lower: estimate - 1.7, ci_upper: estimate + 1.7, p_value: p, p_value_holm: holm, mean: (control.mean ?? 0) + estimate };
}

describe('numbers in words', () => {
  it('formats numbers by size, with a true minus sign and signed differences', () => {
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(51.648)).toBe('51.6');
    expect(formatNumber(1.1765)).toBe('1.18');
    expect(formatNumber(-1.517)).toBe('−1.52');
    expect(formatNumber(0.004006)).toBe('0.00401');
    expect(formatNumber(-0.0000001)).toBe('−0.0000001');
    expect(formatEffect(1.1765, 'numeric')).toBe('+1.18');
    expect(formatEffect(-3.7011, 'numeric')).toBe('−3.7');
    expect(formatEffect(0.005000000000000115, 'binary')).toBe('+0.5 pp');
    expect(formatValue(0.46499999999999975, 'binary')).toBe('46.5%');
    expect(formatEffect(null, 'numeric')).toBe('—');
  });

  it('writes p-values without ever rounding onto alpha', () => {
    expect(formatP(0.6358780150604693)).toBe('0.64');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(2.4e-116)).toBe('< 0.001');
    expect(formatP(0.0496, 0.05)).toBe('0.0496');
    expect(formatP(0.0504, 0.05)).toBe('0.0504');
    expect(formatP(null)).toBe('—');
    expect(confidenceLevel(0.05)).toBe('95%');
    expect(confidenceLevel(0.1)).toBe('90%');
  });

  it('calls a difference better or worse only when its interval excludes 0, in the intended direction', () => {
    expect(effectTone(0.4, 3.8, null)).toBe('better');
    expect(effectTone(-3.8, -0.4, null)).toBe('worse');
    expect(effectTone(-3.8, -0.4, 'decrease')).toBe('better');
    expect(effectTone(0.4, 3.8, 'decrease')).toBe('worse');
    expect(effectTone(-3.7, 6.05, null)).toBe('neutral');
    expect(effectTone(null, null, null)).toBe('neutral');
    expect(intendedDirection({ metric_pct_change: 0.1 }, null)).toBe('increase');
    expect(intendedDirection({ metric_pct_change: -0.2 }, null)).toBe('decrease');
    expect(intendedDirection({ metric_target: 30 }, 51.6)).toBe('decrease');
    expect(intendedDirection({ metric_target: 30 }, null)).toBeNull();
    expect(intendedDirection({}, 51.6)).toBeNull();
  });
});

describe('one sentence per arm', () => {
  it('says "no clear difference" for the demo’s real, non-significant result', () => {
    expect(armSentence(sms, ctx())).toBe(
      'Reminder SMS: no clear difference in weekly_minutes from Control (+1.18, 95% CI −3.7 to +6.05; p = 0.64). A difference this size could well be chance.',
    );
  });

  it('says how much higher, with both means, and that it is unlikely to be chance', () => {
    expect(armSentence(clear(2.1, 0.012), ctx())).toBe(
      'Reminder SMS: weekly_minutes higher than Control by 2.1 (53.7 vs 51.6; 95% CI of the difference +0.4 to +3.8); unlikely to be chance (p = 0.012).',
    );
  });

  it('says lower for a negative effect, and whether that is what the design hoped for', () => {
    const s = armSentence(clear(-2.1, 0.004), ctx({ direction: 'decrease' }));
    expect(s).toMatch(/^Reminder SMS: weekly_minutes lower than Control by 2\.1 \(49\.5 vs 51\.6; 95% CI of the difference −3\.8 to −0\.4\); unlikely to be chance \(p = 0\.004\)\./);
    expect(s).toMatch(/That is the direction the design hoped for\.$/);
    expect(armSentence(clear(-2.1, 0.004), ctx({ direction: 'increase' }))).toMatch(/That is the opposite of what the design hoped for\.$/);
  });

  it('uses percentage points for yes/no metrics and the design’s confidence level', () => {
    const base = completed.arm_analyses[0]!;
    const arm = { ...completed.arm_analyses[1]!, estimate: 0.08, ci_lower: 0.01, ci_upper: 0.15, p_value: 0.03, p_value_holm: 0.03, mean: 0.545 };
    expect(armSentence(arm, ctx({ metricName: 'completed_course', baseline: base, kind: 'binary', alpha: 0.1 }))).toBe(
      'Reminder SMS: completed_course higher than Control by 8 percentage points (54.5% vs 46.5%; 90% CI of the difference +1 pp to +15 pp); unlikely to be chance (p = 0.030).',
    );
  });

  it('warns when a clear result is no longer clear after allowing for the other comparisons', () => {
    expect(armSentence(clear(2.1, 0.02, 0.08), ctx({ numTests: 4 }))).toMatch(
      /Allowing for the 4 comparisons in this analysis it is less certain \(Holm-adjusted p = 0\.080\), so treat it as a lead to confirm\.$/,
    );
    expect(armSentence(clear(2.1, 0.002, 0.008), ctx({ numTests: 4 }))).not.toMatch(/Allowing for/);
  });

  it('explains an arm without an estimate, and the covariate-adjusted estimate', () => {
    expect(armSentence({ ...sms, estimate: null, num_observations: 0 }, ctx())).toBe('Reminder SMS: no estimate for weekly_minutes, because no participant in this arm has a value yet.');
    expect(adjustedSentence(sms, ctx(), ['sessions_last_30d'])).toBe('Adjusted for sessions_last_30d: +1.54, 95% CI −2.44 to +5.53; p = 0.45 (no clear difference).');
    expect(adjustedSentence(control, ctx(), ['sessions_last_30d'])).toBeNull();
  });

  it('explains missing values per arm, told apart from participants absent from the warehouse', () => {
    expect(missingSentence(minutes, DEMO_ANALYSIS)).toBeNull();
    const m = { ...minutes, arm_analyses: minutes.arm_analyses.map((a, j) => ({ ...a, num_missing_values: [10, 30, 0][j]! })) };
    expect(missingSentence(m, { num_participants: 600, num_missing_participants: 25 })).toBe(
      '40 of 600 participants have no value for weekly_minutes (Control 10, Reminder SMS 30, Phone call 0): 25 are not in the warehouse table at all, the others have an empty value. ' +
        'They are left out of this metric’s numbers. If one arm misses many more than another, the comparison may be biased.',
    );
  });
});

describe('warnings in plain words', () => {
  const srm: FreqAnalysis = {
    ...DEMO_ANALYSIS,
    sample_ratio_mismatch: { ...DEMO_ANALYSIS.sample_ratio_mismatch, observed: [260, 180, 160], p_value: 0.00004, mismatch: true },
    balance_check: { ...DEMO_ANALYSIS.balance_check!, p_value: 0.0002, imbalance: true },
  };

  it('explains a sample-ratio mismatch with the planned split, the sizes and what to check', () => {
    const e = explainWarning({ warning: 'sample_ratio_mismatch', message: 'Sample ratio mismatch: …' }, srm);
    expect(e.title).toBe('The arms are not the sizes you planned');
    expect(e.summary).toMatch(/^Arm sizes \(Control 260, Reminder SMS 180, Phone call 160 participants\) differ from the 33\.3\/33\.3\/33\.3 split you planned more than chance would explain \(p < 0\.001\)\./);
    expect(e.actions[0]).toMatch(/records the arm it gets/);
    expect(plannedSplit([300, 300])).toBe('50/50');
    expect(plannedSplit([40, 30, 30])).toBe('40/30/30');
  });

  it('explains an imbalance with the columns, and the underpowered warning', () => {
    const e = explainWarning({ warning: 'imbalance', message: 'The arms differ …' }, srm);
    expect(e.summary).toMatch(/differ in sessions_last_30d, channel more than chance would explain \(p < 0\.001\)/);
    expect(e.actions.join(' ')).toMatch(/adjusted for covariates/);
    expect(explainWarning({ warning: 'underpowered', message: 'x' }, srm).title).toBe('The experiment may be too small');
  });

  it('shows a code it does not know as it came', () => {
    expect(explainWarning({ warning: 'carryover', message: 'Participants were in an earlier experiment.' }, srm)).toEqual({
      code: 'carryover',
      known: false,
      title: 'carryover',
      summary: 'Participants were in an earlier experiment.',
      actions: [],
    });
  });

  it('says the arm sizes are as planned when they are', () => {
    expect(srmOkSentence(DEMO_ANALYSIS)).toBe('Arm sizes match the 33.3/33.3/33.3 split you planned (Control 200, Reminder SMS 200, Phone call 200 participants; p = 1.00).');
  });
});
