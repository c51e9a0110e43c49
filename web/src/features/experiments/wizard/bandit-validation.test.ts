import { describe, expect, it } from 'vitest';
import { catalogFromTable, outcomeCatalogFromParticipantType } from './catalog.ts';
import { apply, banditDesign, DEMO_TABLE, DEMO_TYPE } from './test-fixtures.ts';
import { canReach, firstIncompleteStep, validateStep } from './validation.ts';

const catalog = catalogFromTable(DEMO_TABLE, 'participant_id');
const ctx = { catalog };
const noCatalog = { catalog: null };

describe('bandit datasource', () => {
  it('any datasource will do for a plain or contextual bandit, without fields', () => {
    expect(validateStep('participants', banditDesign('mab_online'), noCatalog)).toEqual([]);
    expect(validateStep('participants', apply([{ type: 'source', patch: { datasourceId: '' } }], banditDesign('cmab_online')), noCatalog)).toEqual([
      { field: 'datasource', message: 'Choose a datasource.' },
    ]);
  });

  it('a warehouse bandit needs its table, id and a yes/no or number outcome column other than the id', () => {
    const s = banditDesign('mab_online_dwh');
    expect(validateStep('participants', s, ctx)).toEqual([]);
    expect(validateStep('participants', s, noCatalog)).toEqual([{ field: 'participants', message: 'Wait for the columns of the table to load.' }]);
    const field = (patch: Parameters<typeof apply>[0]) => validateStep('participants', apply(patch, s), ctx)[0]?.field;
    expect(field([{ type: 'bandit', patch: { targetField: '' } }])).toBe('target_field_name');
    expect(validateStep('participants', apply([{ type: 'bandit', patch: { targetField: 'country' } }], s), ctx)).toEqual([
      { field: 'target_field_name', message: "'country' is not a yes/no or number column of this table." },
    ]);
    expect(validateStep('participants', apply([{ type: 'bandit', patch: { targetField: 'participant_id' } }], s), ctx)[0]?.message).toBe('The outcome column cannot be the id column.');
    expect(field([{ type: 'source', patch: { primaryKey: '' } }])).toBe('primary_key');
  });

  it('on a participant type, needs the type, its unique id and one of the outcome columns it offers', () => {
    const s = banditDesign('mab_online_dwh', 'participant_type');
    const typeCatalog = { catalog: outcomeCatalogFromParticipantType(DEMO_TYPE, DEMO_TABLE) };
    expect(validateStep('participants', s, typeCatalog)).toEqual([]);
    const problems = (patch: Parameters<typeof apply>[0]) => validateStep('participants', apply(patch, s), typeCatalog);
    expect(problems([{ type: 'source', patch: { participantType: '', tableName: '', primaryKey: '' } }])).toEqual([{ field: 'participant_type', message: 'Choose a participant type, or a table.' }]);
    expect(problems([{ type: 'source', patch: { primaryKey: '' } }])).toEqual([
      { field: 'participant_type', message: 'This participant type has no unique id field; mark one on its datasource page, or choose a table.' },
    ]);
    expect(problems([{ type: 'bandit', patch: { targetField: 'country' } }])).toEqual([{ field: 'target_field_name', message: "'country' is not an outcome column this participant type offers." }]);
  });
});

describe('contexts', () => {
  it('need a distinct name each', () => {
    let s = apply([{ type: 'context_add' }], banditDesign('cmab_online'));
    expect(validateStep('contexts', s, ctx)).toEqual([{ field: 'contexts.1.context_name', message: 'Name context 2.' }]);
    s = apply([{ type: 'context_update', key: s.contexts[1]!.key, patch: { name: 'Returning ' } }], s);
    expect(validateStep('contexts', s, ctx)).toEqual([{ field: 'contexts.1.context_name', message: 'Context 2 has the same name as context 1.' }]);
    s = apply([{ type: 'context_update', key: s.contexts[1]!.key, patch: { name: 'age', description: 'x'.repeat(2001) } }], s);
    expect(validateStep('contexts', s, ctx).map((p) => p.field)).toEqual(['contexts.1.context_description']);
  });
});

describe('outcomes', () => {
  it('checks autofail only when it is on: whole hours from 1, and 0 or 1 for yes/no outcomes', () => {
    const s = apply([{ type: 'bandit', patch: { autofailWindow: 'soon' } }], banditDesign('mab_online'));
    expect(validateStep('outcomes', s, ctx)).toEqual([]);
    const on = apply([{ type: 'bandit', patch: { autofail: true } }], s);
    expect(validateStep('outcomes', on, ctx).map((p) => p.field)).toEqual(['autofail_window']);
    expect(validateStep('outcomes', apply([{ type: 'bandit', patch: { autofailWindow: '0' } }], on), ctx)[0]?.message).toBe('Enter how many hours to wait, as a whole number from 1 to 8,760.');
    expect(validateStep('outcomes', apply([{ type: 'bandit', patch: { autofailWindow: '2.5' } }], on), ctx).map((p) => p.field)).toEqual(['autofail_window']);
    const real = apply([{ type: 'bandit', patch: { autofailWindow: '12', rewardType: 'real-valued', autofailValue: '' } }], on);
    expect(validateStep('outcomes', real, ctx)).toEqual([{ field: 'autofail_outcome_value', message: 'Enter the outcome to count, as a number (e.g. 0).' }]);
    expect(validateStep('outcomes', apply([{ type: 'bandit', patch: { autofailValue: '-3.5' } }], real), ctx)).toEqual([]);
  });

  it('a warehouse bandit’s outcome type must match its column', () => {
    const s = apply([{ type: 'bandit', patch: { rewardType: 'real-valued' } }], banditDesign('mab_online_dwh'));
    expect(validateStep('outcomes', s, ctx).map((p) => p.field)).toEqual(['reward_type']);
  });
});

describe('arms with priors', () => {
  it('α and β above 0 for a Beta prior', () => {
    let s = banditDesign('mab_online');
    expect(validateStep('arms', s, ctx)).toEqual([]);
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { alpha: '0' } }, { type: 'arm_update', key: s.arms[1]!.key, patch: { beta: 'many' } }], s);
    expect(validateStep('arms', s, ctx)).toEqual([
      { field: 'arms.0.alpha_init', message: 'α of arm 1 must be a number above 0.' },
      { field: 'arms.1.beta_init', message: 'β of arm 2 must be a number above 0.' },
    ]);
    // The Normal inputs are not used by this design, so their content does not matter.
    expect(validateStep('arms', apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { alpha: '2', sigma: '-1' } }, { type: 'arm_update', key: s.arms[1]!.key, patch: { beta: '2' } }], s), ctx)).toEqual([]);
  });

  it('a number μ and σ above 0 for a Normal prior', () => {
    let s = banditDesign('cmab_online');
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { mu: '', sigma: '0' } }], s);
    expect(validateStep('arms', s, ctx)).toEqual([
      { field: 'arms.1.mu_init', message: 'μ of arm 2 must be a number.' },
      { field: 'arms.1.sigma_init', message: 'σ of arm 2 must be a number above 0.' },
    ]);
  });

  it('chances of winning instead of priors: each in (0, 100), adding up to 100', () => {
    let s = apply([{ type: 'use_weights', on: true }], banditDesign('mab_online'));
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '30', alpha: '-1' } }], s);
    expect(validateStep('arms', s, ctx)).toEqual([{ field: 'arms', message: 'The chances add up to 80%; add 20% more to reach 100%.' }]);
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '100' } }], s);
    expect(validateStep('arms', s, ctx)[0]).toEqual({ field: 'arms.1.arm_weight', message: 'The chance of arm 2 must be a number above 0 and below 100.' });
  });
});

describe('the whole bandit design', () => {
  it('is complete once every step of its kind is', () => {
    for (const kind of ['mab_online', 'mab_online_dwh', 'cmab_online'] as const) expect(firstIncompleteStep(banditDesign(kind), ctx)).toBeNull();
    const unnamed = apply([{ type: 'context_add' }], banditDesign('cmab_online'));
    expect(firstIncompleteStep(unnamed, ctx)).toBe('contexts');
    expect(canReach('outcomes', unnamed, ctx)).toBe(false);
    expect(canReach('contexts', unnamed, ctx)).toBe(true);
  });
});
