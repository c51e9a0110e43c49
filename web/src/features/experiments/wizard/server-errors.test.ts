import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from '../../../api/errors.ts';
import { placeServerErrors, wizardKeyOf } from './server-errors.ts';

describe('wizardKeyOf', () => {
  it('maps design paths to wizard fields', () => {
    expect(wizardKeyOf('design_spec.arms.0.arm_name')).toBe('arms.0.arm_name');
    expect(wizardKeyOf('design_spec.filters.2.value.1')).toBe('filters.2.value');
    expect(wizardKeyOf('design_spec.end_date')).toBe('end_date');
    expect(wizardKeyOf('design_spec.metrics.0')).toBe('metrics.0');
    expect(wizardKeyOf('webhooks.1')).toBe('webhooks');
    expect(wizardKeyOf('design_spec.no_such_field')).toBeNull();
    expect(wizardKeyOf('')).toBeNull();
  });
});

describe('placeServerErrors', () => {
  it('puts each problem on its field and goes to the earliest step, from a real 422 body', () => {
    const err = apiErrorFrom(422, {
      detail: [
        { loc: ['body', 'design_spec', 'filters'], msg: 'Preassigned experiments must have eligible participants data: no row passes the filters.', type: 'late' },
        { loc: ['body', 'design_spec', 'arms', 1, 'arm_name'], msg: 'Too small', type: 'too_small' },
        { loc: ['body', 'design_spec', 'metrics', 0], msg: 'Power calc error', type: 'power calc' },
      ],
    });
    const placed = placeServerErrors(err.fields, 'freq_preassigned');
    expect(placed.step).toBe('arms');
    expect(placed.byField).toEqual({
      filters: 'Preassigned experiments must have eligible participants data: no row passes the filters.',
      'arms.1.arm_name': 'Too small',
      'metrics.0': 'Power calc error',
    });
    expect(placed.general).toEqual([]);
  });

  it('keeps what it cannot place as general problems, and joins two problems of one field', () => {
    const placed = placeServerErrors(
      [
        { path: 'design_spec.strata.0.field_name', message: 'unknown column' },
        { path: '', message: 'Something odd' },
        { path: 'design_spec.filters.0.value.0', message: 'a.' },
        { path: 'design_spec.filters.0.value.1', message: 'b.' },
      ],
      'freq_online',
    );
    expect(placed.general).toEqual(['design_spec.strata.0.field_name: unknown column', 'Something odd']);
    expect(placed.byField).toEqual({ 'filters.0.value': 'a. b.' });
    expect(placed.step).toBe('filters');
  });
});

describe('placeServerErrors for bandits', () => {
  it('places priors on their arm, contexts, outcome settings and the outcome column, from a real 422 body', () => {
    const err = apiErrorFrom(422, {
      detail: [
        { loc: ['body', 'design_spec', 'arms', 1, 'sigma_init'], msg: 'Number must be greater than 0', type: 'too_small' },
        { loc: ['body', 'design_spec', 'contexts', 0, 'context_name'], msg: "context name 'age' is used twice", type: 'custom' },
        { loc: ['body', 'design_spec', 'autofail_outcome_value'], msg: 'must be 0 or 1 when reward_type is binary', type: 'custom' },
        { loc: ['body', 'design_spec', 'target_field_name'], msg: "column 'x' does not exist in table 'participants'", type: 'late' },
      ],
    });
    const placed = placeServerErrors(err.fields, 'cmab_online');
    expect(placed.byField).toEqual({
      'arms.1.sigma_init': 'Number must be greater than 0',
      'contexts.0.context_name': "context name 'age' is used twice",
      autofail_outcome_value: 'must be 0 or 1 when reward_type is binary',
      target_field_name: "column 'x' does not exist in table 'participants'",
    });
    expect(placed.step).toBe('participants');
    expect(placed.general).toEqual([]);
  });

  it('goes to the arms for a weight the server cannot turn into a prior, and keeps steps the kind lacks general', () => {
    const arms = placeServerErrors([{ path: 'design_spec.arms', message: 'no Normal prior matches these arm weights' }], 'mab_online');
    expect(arms).toEqual({ byField: { arms: 'no Normal prior matches these arm weights' }, general: [], step: 'arms' });
    const contexts = placeServerErrors([{ path: 'design_spec.contexts', message: 'contexts are only allowed for cmab_online experiments' }], 'mab_online');
    expect(contexts.general).toEqual(['design_spec.contexts: contexts are only allowed for cmab_online experiments']);
    expect(placeServerErrors([{ path: 'design_spec.reward_type', message: 'must be binary' }], 'mab_online_dwh').step).toBe('outcomes');
  });
});
