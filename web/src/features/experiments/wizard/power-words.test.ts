import { describe, expect, it } from 'vitest';
import { describePower, metricValue, signedPercent } from './power-words.ts';
import { analysis } from './test-fixtures.ts';

const opts = { powerPct: '80', confidencePct: '95', desiredN: null };

describe('describePower', () => {
  it('says the needed size and that it is enough', () => {
    const w = describePower(analysis({}), opts);
    expect(w.tone).toBe('success');
    expect(w.headline).toBe('completed_course: 4,992 participants needed, 7,068 available — enough.');
    expect(w.details[0]).toBe('To detect a change of +10% (from 39% to 42.9%) with 80% power at 95% confidence, the experiment needs 4,992 participants across all arms.');
  });

  it('says how many are missing and the smallest detectable change with what there is', () => {
    const w = describePower(
      analysis({ available: 3817, target_n: 4872, sufficient_n: false, pct_change_possible: 0.113, target_possible: 0.44, msg: { type: 'insufficient', msg: '', values: null } }),
      opts,
    );
    expect(w.tone).toBe('warning');
    expect(w.headline).toBe('completed_course: 4,872 participants needed, only 3,817 available.');
    expect(w.details).toContain('With all 3,817 you can detect a change of +11.3% or more (to 44%).');
    expect(w.details[0]).toMatch(/1,055 more participants would be needed/);
  });

  it('warns when some participants have no value, and gives the MDE at the chosen size', () => {
    const a = analysis({ pct_change_with_desired_n: 0.225 });
    const w = describePower({ ...a, metric_spec: { ...a.metric_spec, available_nonnull_n: 6000 } }, { ...opts, desiredN: 1000 });
    expect(w.details).toContain('With 1,000 participants the experiment can detect a change of +22.5% or more in completed_course.');
    expect(w.details.some((d) => d.startsWith('Only 6,000 of the 7,068 eligible participants have a value for completed_course'))).toBe(true);
  });

  it('falls back to the server’s own words for the cases only it can explain', () => {
    const w = describePower(analysis({ target_n: null, msg: { type: 'no available n', msg: 'You have no available units to run your experiment. ', values: null } }), opts);
    expect(w).toMatchObject({ tone: 'danger', headline: 'completed_course: You have no available units to run your experiment.' });
  });
});

describe('formatting', () => {
  it('signs percentages and shows shares for yes/no metrics', () => {
    expect(signedPercent(0.1)).toBe('+10%');
    expect(signedPercent(-0.025)).toBe('−2.5%');
    expect(metricValue(0.3899, true)).toBe('39%');
    expect(metricValue(49.44294, false)).toBe('49.4');
    expect(metricValue(12345.6, false)).toBe('12,300');
  });
});
