import { describe, expect, it } from 'vitest';
import { initialState, MAX_CONTEXTS, stepsFor, wizardReducer, type WizardAction, type WizardState } from './state.ts';
import { banditDesign, completeDesign } from './test-fixtures.ts';

const run = (actions: WizardAction[], start: WizardState = initialState('2026-12-01')) => actions.reduce(wizardReducer, start);

describe('bandit steps', () => {
  it('have a datasource, outcomes and arms with priors last; contexts only for contextual bandits; no filters, strata or power', () => {
    expect(stepsFor('mab_online').map((s) => s.id)).toEqual(['basics', 'type', 'participants', 'outcomes', 'arms']);
    expect(stepsFor('mab_online_dwh').map((s) => s.id)).toEqual(['basics', 'type', 'participants', 'outcomes', 'arms']);
    expect(stepsFor('cmab_online').map((s) => s.id)).toEqual(['basics', 'type', 'participants', 'contexts', 'outcomes', 'arms']);
    expect(stepsFor('cmab_online').map((s) => s.label)).toEqual(['Basics', 'Type', 'Datasource', 'Contexts', 'Outcomes', 'Arms and priors']);
    expect(stepsFor('freq_preassigned').map((s) => s.id)).toEqual(['basics', 'type', 'participants', 'arms', 'filters', 'strata', 'metrics']);
  });
});

describe('changing the kind', () => {
  it('keeps the datasource within bandits that need no warehouse, and starts it afresh for a warehouse bandit', () => {
    let s = run([{ type: 'kind', kind: 'mab_online' }, { type: 'source', patch: { datasourceId: 'ds_api' } }]);
    s = run([{ type: 'kind', kind: 'cmab_online' }], s);
    expect(s.source.datasourceId).toBe('ds_api');
    s = run([{ type: 'kind', kind: 'mab_online_dwh' }], s);
    // A participant type is proposed first; the datasource step turns to tables when there is none.
    expect(s.source).toEqual({ datasourceId: '', mode: 'participant_type', participantType: '', tableName: '', primaryKey: '' });
  });

  it('crossing between A/B tests and bandits clears the participants, the columns they named and the weights', () => {
    const ab = run([{ type: 'use_weights', on: true }], completeDesign());
    const s = run([{ type: 'kind', kind: 'mab_online' }], ab);
    expect(s.source.datasourceId).toBe('');
    expect(s.filters).toEqual([]);
    expect(s.metrics).toEqual([]);
    expect(s.useWeights).toBe(false);
    expect(s.arms.map((a) => a.name)).toEqual(['Control', 'Treatment']);
    // Preassigned ↔ online keeps everything.
    expect(run([{ type: 'kind', kind: 'freq_online' }], ab).metrics).toHaveLength(1);
  });

  it('a contextual bandit starts with one empty context', () => {
    const s = run([{ type: 'kind', kind: 'cmab_online' }]);
    expect(s.contexts).toEqual([{ key: expect.any(String), name: '', description: '', valueType: 'binary' }]);
    expect(run([{ type: 'kind', kind: 'mab_online' }, { type: 'kind', kind: 'cmab_online' }], s).contexts).toHaveLength(1);
  });

  it('a new table forgets the outcome column chosen on the old one', () => {
    const s = banditDesign('mab_online_dwh');
    expect(s.bandit.targetField).toBe('completed_course');
    expect(run([{ type: 'source', patch: { tableName: 'other', primaryKey: '' } }], s).bandit.targetField).toBe('');
    expect(run([{ type: 'source', patch: { primaryKey: 'country' } }], s).bandit.targetField).toBe('completed_course');
  });
});

describe('a warehouse bandit on a participant type', () => {
  it('holds the type with the table and id it names; another type, or the table way, forgets the outcome column', () => {
    const s = banditDesign('mab_online_dwh', 'participant_type');
    expect(s.source).toEqual({ datasourceId: 'ds_demo', mode: 'participant_type', participantType: 'Demo participants', tableName: 'participants', primaryKey: 'participant_id' });
    expect(s.bandit.targetField).toBe('completed_course');
    const table = run([{ type: 'source', patch: { mode: 'table' } }], s);
    expect(table.source).toMatchObject({ mode: 'table', tableName: 'participants', primaryKey: 'participant_id' });
    expect(table.bandit.targetField).toBe('');
    expect(run([{ type: 'source', patch: { participantType: 'Alumni', tableName: 'alumni', primaryKey: 'alumnus_id' } }], s).bandit.targetField).toBe('');
  });
});

describe('contexts', () => {
  it('adds and removes within 1..10, with fresh keys', () => {
    let s = run([{ type: 'kind', kind: 'cmab_online' }]);
    expect(run([{ type: 'context_remove', key: s.contexts[0]!.key }], s).contexts).toHaveLength(1);
    s = run(Array.from({ length: 15 }, () => ({ type: 'context_add' }) as const), s);
    expect(s.contexts).toHaveLength(MAX_CONTEXTS);
    expect(new Set(s.contexts.map((c) => c.key)).size).toBe(MAX_CONTEXTS);
    s = run([{ type: 'context_update', key: s.contexts[1]!.key, patch: { name: 'age', valueType: 'real-valued' } }, { type: 'context_remove', key: s.contexts[0]!.key }], s);
    expect(s.contexts[0]).toMatchObject({ name: 'age', valueType: 'real-valued' });
  });
});

describe('outcome settings', () => {
  it('a yes/no outcome can only count a missing one as 0 or 1', () => {
    let s = run([{ type: 'kind', kind: 'mab_online' }, { type: 'bandit', patch: { rewardType: 'real-valued', autofailValue: '12.5' } }]);
    expect(s.bandit.autofailValue).toBe('12.5');
    s = run([{ type: 'bandit', patch: { rewardType: 'binary' } }], s);
    expect(s.bandit.autofailValue).toBe('0');
    expect(run([{ type: 'bandit', patch: { autofailValue: '1' } }], s).bandit.autofailValue).toBe('1');
  });

  it('new arms start from neutral priors', () => {
    const s = run([{ type: 'kind', kind: 'mab_online' }, { type: 'arm_add' }]);
    expect(s.arms[2]).toMatchObject({ alpha: '1', beta: '1', mu: '0', sigma: '1' });
  });
});
