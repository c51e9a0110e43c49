import { describe, expect, it } from 'vitest';
import { equalWeights, initialState, MAX_ARMS, MAX_FILTERS, stepsFor, wizardReducer, type WizardAction, type WizardState } from './state.ts';

const run = (actions: WizardAction[], start: WizardState = initialState('2026-12-01')) => actions.reduce(wizardReducer, start);

describe('initialState', () => {
  it('starts today for 30 days with a control and a treatment, and no type chosen', () => {
    const s = initialState('2026-12-01');
    expect(s.basics).toMatchObject({ startDate: '2026-12-01', endDate: '2026-12-30' });
    expect(s.arms.map((a) => a.name)).toEqual(['Control', 'Treatment']);
    expect(s.kind).toBeNull();
    expect(initialState('2024-02-20').basics.endDate).toBe('2024-03-20');
  });
});

describe('steps', () => {
  it('has strata only for preassigned designs', () => {
    expect(stepsFor('freq_preassigned').map((s) => s.id)).toContain('strata');
    expect(stepsFor('freq_online').map((s) => s.id)).not.toContain('strata');
    expect(stepsFor(null).map((s) => s.id)).toContain('strata');
  });

  it('remembers the furthest step opened', () => {
    const s = run([{ type: 'go', step: 'arms' }, { type: 'go', step: 'basics' }]);
    expect(s.step).toBe('basics');
    expect(s.reached).toBe('arms');
  });
});

describe('arms', () => {
  it('adds and removes within 2..20, with fresh keys', () => {
    let s = run([{ type: 'arm_add' }]);
    expect(s.arms).toHaveLength(3);
    expect(new Set(s.arms.map((a) => a.key)).size).toBe(3);
    s = run([{ type: 'arm_remove', key: s.arms[0]!.key }, { type: 'arm_remove', key: s.arms[1]!.key }], s);
    expect(s.arms).toHaveLength(2);
    const full = run(Array.from({ length: 30 }, () => ({ type: 'arm_add' }) as const));
    expect(full.arms).toHaveLength(MAX_ARMS);
  });

  it('splits weights equally when they are turned on and when arms change', () => {
    let s = run([{ type: 'arm_add' }, { type: 'use_weights', on: true }]);
    expect(s.arms.map((a) => a.weight)).toEqual(['33.34', '33.33', '33.33']);
    s = run([{ type: 'arm_add' }], s);
    expect(s.arms.map((a) => a.weight)).toEqual(['25', '25', '25', '25']);
    s = run([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '70' } }], s);
    expect(s.arms[0]!.weight).toBe('70');
  });

  it('equal weights always add up to 100', () => {
    for (let n = 1; n <= 20; n++) {
      const sum = equalWeights(n).reduce((a, b) => a + Number(b), 0);
      expect(Math.abs(sum - 100)).toBeLessThan(1e-9);
    }
  });
});

describe('participants', () => {
  it('clears filters, strata, metrics and the power result when the table changes, not when the id column is fixed', () => {
    let s = run([
      { type: 'source', patch: { datasourceId: 'ds_1', participantType: 'People' } },
      { type: 'filter_add' },
      { type: 'stratum_toggle', field: 'country' },
      { type: 'metric_add', field: 'done' },
      { type: 'power_result', result: { fingerprint: 'x', analyses: [], desiredN: null } },
    ]);
    expect(s.filters).toHaveLength(1);
    const same = run([{ type: 'source', patch: { participantType: 'People' } }], s);
    expect(same).toBe(s);
    s = run([{ type: 'source', patch: { participantType: 'Schools' } }], s);
    expect(s).toMatchObject({ filters: [], strata: [], metrics: [], power: null });
  });

  it('a new datasource forgets the old one’s participant type and table', () => {
    const s = run([
      { type: 'source', patch: { datasourceId: 'ds_1', participantType: 'People', mode: 'table', tableName: 't', primaryKey: 'id' } },
      { type: 'source', patch: { datasourceId: 'ds_2' } },
    ]);
    expect(s.source).toMatchObject({ datasourceId: 'ds_2', participantType: '', tableName: '', primaryKey: '' });
  });
});

describe('filters, strata and metrics', () => {
  it('caps filters at 20', () => {
    expect(run(Array.from({ length: 25 }, () => ({ type: 'filter_add' }) as const)).filters).toHaveLength(MAX_FILTERS);
  });

  it('toggles strata', () => {
    const s = run([{ type: 'stratum_toggle', field: 'a' }, { type: 'stratum_toggle', field: 'b' }, { type: 'stratum_toggle', field: 'a' }]);
    expect(s.strata).toEqual(['b']);
  });

  it('makes a metric primary by moving it first; removing the primary promotes the next', () => {
    let s = run([{ type: 'metric_add', field: 'a' }, { type: 'metric_add', field: 'b' }, { type: 'metric_add', field: 'c' }]);
    expect(s.metrics[0]!.mde).toBe('10');
    s = run([{ type: 'metric_primary', key: s.metrics[2]!.key }], s);
    expect(s.metrics.map((m) => m.field)).toEqual(['c', 'a', 'b']);
    s = run([{ type: 'metric_remove', key: s.metrics[0]!.key }], s);
    expect(s.metrics.map((m) => m.field)).toEqual(['a', 'b']);
  });
});
