import { describe, expect, it } from 'vitest';
import { clearWizard, loadWizard, saveWizard, storageKey } from './persistence.ts';
import { initialState } from './state.ts';
import { banditDesign, completeDesign } from './test-fixtures.ts';

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

describe('wizard persistence across versions', () => {
  it('reads a design saved before bandits existed (version 1): its arms get neutral priors', () => {
    const { bandit: _b, contexts: _c, ...v1 } = completeDesign();
    const v1Arms = v1.arms.map(({ alpha: _a, beta: _be, mu: _m, sigma: _s, ...arm }) => arm);
    localStorage.setItem(storageKey('o_1'), JSON.stringify({ version: 1, phase: 'editing', state: { ...v1, arms: v1Arms } }));
    const loaded = loadWizard(localStorage, 'o_1', '2030-01-01');
    expect(loaded).toEqual({ phase: 'editing', state: completeDesign() });
  });

  it('keeps a bandit design with its priors, outcome settings and contexts', () => {
    const s = banditDesign('cmab_online');
    const state = { ...s, step: 'contexts' as const, bandit: { ...s.bandit, autofail: true, autofailWindow: '6' } };
    saveWizard(localStorage, 'o_1', { phase: 'editing', state });
    expect(JSON.parse(localStorage.getItem(storageKey('o_1'))!).version).toBe(2);
    expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toEqual({ phase: 'editing', state });
  });

  it('keeps a warehouse bandit on a table as saved before participant types were offered for it, and one on a type', () => {
    for (const state of [banditDesign('mab_online_dwh'), banditDesign('mab_online_dwh', 'participant_type')]) {
      localStorage.setItem(storageKey('o_1'), JSON.stringify({ version: 2, phase: 'editing', state }));
      expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toEqual({ phase: 'editing', state });
    }
  });

  it('drops a state with an unknown kind or broken contexts', () => {
    for (const state of [{ ...banditDesign('mab_online'), kind: 'quantum' }, { ...banditDesign('cmab_online'), contexts: [{ name: 7 }] }]) {
      localStorage.setItem(storageKey('o_1'), JSON.stringify({ version: 2, phase: 'editing', state }));
      expect(loadWizard(localStorage, 'o_1', '2030-01-01')).toBeNull();
    }
  });
});
