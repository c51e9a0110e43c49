import { describe, expect, it } from 'vitest';
import { clearWizard, loadWizard, saveWizard, storageKey } from './persistence.ts';
import { initialState } from './state.ts';
import { completeDesign } from './test-fixtures.ts';

describe('wizard persistence', () => {
  it('keeps the design being edited per organization', () => {
    const state = { ...completeDesign(), step: 'filters' as const };
    saveWizard(localStorage, 'o_1', { phase: 'editing', state });
    expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toEqual({ phase: 'editing', state });
    expect(loadWizard(localStorage, 'o_2', '2030-01-01')).toBeNull();
  });

  it('keeps only a pointer once the draft exists on the server, and forgets it when cleared', () => {
    saveWizard(localStorage, 'o_1', { phase: 'draft', datasourceId: 'ds_1', experimentId: 'exp_1' });
    expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toEqual({ phase: 'draft', datasourceId: 'ds_1', experimentId: 'exp_1' });
    expect(JSON.parse(localStorage.getItem(storageKey('o_1'))!)).not.toHaveProperty('state');
    clearWizard(localStorage, 'o_1');
    expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toBeNull();
  });

  it('drops what it cannot trust: other versions, broken JSON, wrong shapes', () => {
    for (const raw of ['{', JSON.stringify({ version: 99, phase: 'editing', state: initialState('2030-01-01') }), JSON.stringify({ version: 1, phase: 'editing', state: { step: 'nowhere' } }), JSON.stringify({ version: 1, phase: 'editing', state: { ...initialState('2030-01-01'), arms: 'two' } }), JSON.stringify({ version: 1, phase: 'draft', experimentId: 7 })]) {
      localStorage.setItem(storageKey('o_1'), raw);
      expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toBeNull();
    }
  });

  it('fills fields a newer wizard added with their defaults', () => {
    const { powerPct: _p, reached: _r, ...older } = completeDesign();
    localStorage.setItem(storageKey('o_1'), JSON.stringify({ version: 1, phase: 'editing', state: older }));
    const loaded = loadWizard(localStorage, 'o_1', '2030-01-01');
    expect(loaded?.phase === 'editing' && loaded.state.powerPct).toBe('80');
    expect(loaded?.phase === 'editing' && loaded.state.reached).toBe('basics');
  });
});
