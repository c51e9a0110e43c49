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
