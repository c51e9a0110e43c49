import { describe, expect, it } from 'vitest';
import { powerFingerprint } from './design-spec.ts';
import { initialState } from './state.ts';
import { analysis, apply, completeDesign, DEMO_CATALOG } from './test-fixtures.ts';
import { canReach, firstIncompleteStep, validateStep, weightMessage, weightSum } from './validation.ts';

const ctx = { catalog: DEMO_CATALOG };
const fields = (step: Parameters<typeof validateStep>[0], state: Parameters<typeof validateStep>[1]) => validateStep(step, state, ctx).map((p) => p.field);

describe('basics', () => {
  it('needs a name, a web URL if any, and an end not before the start', () => {
    const s = initialState('2026-12-01');
    expect(validateStep('basics', s, ctx)[0]).toEqual({ field: 'experiment_name', message: 'Give the experiment a name.' });
    const bad = apply([{ type: 'basics', patch: { name: 'x', designUrl: 'ftp://example.org', startDate: '2026-12-10', endDate: '2026-12-09' } }]);
    expect(fields('basics', bad)).toEqual(['design_url', 'end_date']);
    expect(validateStep('basics', apply([{ type: 'basics', patch: { name: 'x', designUrl: 'example.org' } }]), ctx)[0]?.message).toMatch(/http:\/\/ or https:\/\//);
    const oneDay = apply([{ type: 'basics', patch: { name: 'x', startDate: '2026-12-10', endDate: '2026-12-10' } }]);
    expect(validateStep('basics', oneDay, ctx)).toEqual([]);
    expect(fields('basics', apply([{ type: 'basics', patch: { name: 'x', startDate: '2026-02-30' } }]))).toEqual(['start_date']);
  });
});

describe('arms', () => {
  it('needs distinct names', () => {
    const s = initialState('2026-12-01');
    const named = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { name: ' control ' } }], s);
    expect(validateStep('arms', named, ctx)).toEqual([{ field: 'arms.1.arm_name', message: 'Arm 2 has the same name as arm 1.' }]);
    const blank = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { name: '  ' } }], s);
    expect(validateStep('arms', blank, ctx)).toEqual([{ field: 'arms.0.arm_name', message: 'Name arm 1.' }]);
  });

  it('checks weights and says live what they add up to', () => {
    let s = apply([{ type: 'use_weights', on: true }]);
    expect(validateStep('arms', s, ctx)).toEqual([]);
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '40' } }], s);
    expect(weightSum(s)).toBe(90);
    expect(validateStep('arms', s, ctx)).toEqual([{ field: 'arms', message: 'The weights add up to 90%; add 10% more to reach 100%.' }]);
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '60.5' } }], s);
    expect(weightMessage(weightSum(s))).toBe('The weights add up to 100.5%; remove 0.5% to get to 100%.');
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { weight: 'lots' } }], s);
    expect(fields('arms', s)).toEqual(['arms.1.arm_weight']);
    expect(weightMessage(weightSum(s))).toBe('Every weight must be a number.');
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '100' } }, { type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '0' } }], s);
    expect(fields('arms', s)).toEqual(['arms.0.arm_weight', 'arms.1.arm_weight']);
  });
});

describe('filters', () => {
  it('needs a field of the catalog, a fitting operator and parseable values', () => {
    let s = apply([{ type: 'filter_add' }]);
    expect(validateStep('filters', s, ctx)[0]?.message).toBe('Choose the field of filter 1.');
    const key = s.filters[0]!.key;
    s = apply([{ type: 'filter_update', key, patch: { field: 'weekly_minutes', op: 'between' } }], s);
    expect(validateStep('filters', s, ctx)[0]?.message).toMatch(/cannot be filtered on/);
    s = apply([{ type: 'filter_update', key, patch: { field: 'country', op: 'between' } }], s);
    expect(fields('filters', s)).toEqual(['filters.0.relation']);
    s = apply([{ type: 'filter_update', key, patch: { field: 'age', op: 'between', low: '18', high: 'x' } }], s);
    expect(validateStep('filters', s, ctx)).toEqual([{ field: 'filters.0.value', message: "Filter 1 (age): 'x' is not a whole number." }]);
  });
});

describe('metrics and sample size', () => {
  it('needs a metric with a non-zero effect, and power and confidence in range', () => {
    let s = apply([{ type: 'kind', kind: 'freq_preassigned' }]);
    expect(fields('metrics', s)).toEqual(['metrics']);
    s = apply([{ type: 'metric_add', field: 'completed_course' }], s);
    const key = s.metrics[0]!.key;
    for (const [mde, message] of [
      ['0', /cannot be 0%/],
      ['ten', /as a percent change/],
      ['-100', /cannot be 100% or more/],
    ] as const) {
      expect(validateStep('metrics', apply([{ type: 'metric_update', key, patch: { mde } }], s), ctx)[0]?.message).toMatch(message);
    }
    expect(validateStep('metrics', apply([{ type: 'metric_update', key, patch: { mde: '2.5' } }], s), ctx)[0]?.field).toBe('desired_n');
    expect(fields('metrics', apply([{ type: 'settings', patch: { powerPct: '40', confidencePct: '100' } }], s))).toEqual(['power', 'alpha']);
  });

  it('a preassigned design takes its size from a current power check or a custom number', () => {
    let s = apply([{ type: 'kind', kind: 'freq_preassigned' }, { type: 'metric_add', field: 'completed_course' }]);
    expect(validateStep('metrics', s, ctx)[0]?.message).toBe('Check power to work out the sample size, or enter a custom number.');
    s = apply([{ type: 'power_result', result: { fingerprint: powerFingerprint(s, DEMO_CATALOG), analyses: [analysis({})], desiredN: null } }], s);
    expect(validateStep('metrics', s, ctx)).toEqual([]);
    // A change to the metric makes the check stale: the size is unknown again.
    const stale = apply([{ type: 'metric_update', key: s.metrics[0]!.key, patch: { mde: '5' } }], s);
    expect(fields('metrics', stale)).toEqual(['desired_n']);
    expect(fields('metrics', apply([{ type: 'settings', patch: { sampleChoice: 'custom', customN: '1' } }], s))).toEqual(['desired_n']);
    expect(validateStep('metrics', apply([{ type: 'settings', patch: { sampleChoice: 'custom', customN: '1,000' } }], s), ctx)).toEqual([]);
  });

  it('an online target is optional, but needed to stop at it', () => {
    const s = apply([{ type: 'kind', kind: 'freq_online' }, { type: 'metric_add', field: 'completed_course' }]);
    expect(validateStep('metrics', s, ctx)).toEqual([]);
    expect(fields('metrics', apply([{ type: 'settings', patch: { stopAtTarget: true } }], s))).toEqual(['desired_n']);
    expect(validateStep('metrics', apply([{ type: 'settings', patch: { stopAtTarget: true, onlineTarget: '500' } }], s), ctx)).toEqual([]);
  });
});

describe('step list', () => {
  it('lets the user jump only as far as every earlier step is valid', () => {
    const fresh = initialState('2026-12-01');
    expect(canReach('basics', fresh, ctx)).toBe(true);
    expect(canReach('type', fresh, ctx)).toBe(false);
    expect(firstIncompleteStep(fresh, ctx)).toBe('basics');
    const done = completeDesign();
    expect(firstIncompleteStep(done, ctx)).toBeNull();
    expect(canReach('metrics', done, ctx)).toBe(true);
    expect(firstIncompleteStep(done, { catalog: null })).toBe('participants');
  });
});
