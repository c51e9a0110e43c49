import { describe, expect, it } from 'vitest';
import type { BanditDesignSpec, ExperimentConfig } from '../api-types.ts';
import { banditDesignOf } from '../bandit-design.ts';
import { banditStateFromConfig, buildBanditDesignSpec, priorTypeOf } from './bandit-spec.ts';
import { catalogFromTable, outcomeCatalogFromParticipantType } from './catalog.ts';
import { apply, banditDesign, DEMO_TABLE, DEMO_TYPE } from './test-fixtures.ts';

const registry = {
  experiment_name: 'Reminder wording',
  description: 'Which wording gets replies',
  design_url: null,
  start_date: '2026-12-01T00:00:00Z',
  end_date: '2026-12-30T23:59:59Z',
};

describe('priorTypeOf', () => {
  it('is Beta only for yes/no outcomes of a plain bandit', () => {
    expect(priorTypeOf('mab_online', 'binary')).toBe('beta');
    expect(priorTypeOf('mab_online_dwh', 'binary')).toBe('beta');
    expect(priorTypeOf('mab_online', 'real-valued')).toBe('normal');
    expect(priorTypeOf('cmab_online', 'binary')).toBe('normal');
  });
});

describe('buildBanditDesignSpec', () => {
  it('mab_online: Beta priors as typed, autofail with its window and value', () => {
    let s = banditDesign('mab_online');
    s = apply(
      [
        { type: 'arm_update', key: s.arms[0]!.key, patch: { alpha: '3', beta: '7' } },
        { type: 'arm_update', key: s.arms[1]!.key, patch: { alpha: '0.5', beta: '1.5', description: ' two lines ' } },
        { type: 'bandit', patch: { autofail: true, autofailWindow: '48', autofailValue: '0' } },
      ],
      s,
    );
    expect(buildBanditDesignSpec(s, null)).toEqual({
      experiment_type: 'mab_online',
      ...registry,
      arms: [
        { arm_name: 'Short', arm_description: '', alpha_init: 3, beta_init: 7 },
        { arm_name: 'Long', arm_description: 'two lines', alpha_init: 0.5, beta_init: 1.5 },
      ],
      prior_type: 'beta',
      reward_type: 'binary',
      enable_autofail: true,
      autofail_window: 48,
      autofail_outcome_value: 0,
    });
  });

  it('mab_online: chances of winning are sent as arm weights, without priors, and no autofail settings when it is off', () => {
    let s = apply([{ type: 'use_weights', on: true }], banditDesign('mab_online'));
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '30' } }, { type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '70' } }], s);
    const spec = buildBanditDesignSpec(s, null);
    expect(spec.arms).toEqual([
      { arm_name: 'Short', arm_description: '', arm_weight: 30 },
      { arm_name: 'Long', arm_description: '', arm_weight: 70 },
    ]);
    expect(spec).not.toHaveProperty('autofail_window');
    expect(spec).toMatchObject({ enable_autofail: false, prior_type: 'beta' });
    expect(spec).not.toHaveProperty('contexts');
    expect(spec).not.toHaveProperty('table_name');
  });

  it('mab_online_dwh: the table, id and outcome column; a number column gives Normal priors', () => {
    let s = apply([{ type: 'bandit', patch: { targetField: 'weekly_minutes', rewardType: 'real-valued' } }], banditDesign('mab_online_dwh'));
    s = apply([{ type: 'arm_update', key: s.arms[1]!.key, patch: { mu: '-2.5', sigma: '10' } }, { type: 'bandit', patch: { autofail: true, autofailValue: '0.5' } }], s);
    const spec = buildBanditDesignSpec(s, catalogFromTable(DEMO_TABLE, 'participant_id'));
    expect(spec).toEqual({
      experiment_type: 'mab_online_dwh',
      ...registry,
      arms: [
        { arm_name: 'Short', arm_description: '', mu_init: 0, sigma_init: 1 },
        { arm_name: 'Long', arm_description: '', mu_init: -2.5, sigma_init: 10 },
      ],
      prior_type: 'normal',
      reward_type: 'real-valued',
      enable_autofail: true,
      autofail_window: 24,
      autofail_outcome_value: 0.5,
      table_name: 'participants',
      primary_key: 'participant_id',
      target_field_name: 'weekly_minutes',
    });
  });

  it('mab_online_dwh on a participant type: the same table, id and column as the table way', () => {
    const byType = buildBanditDesignSpec(banditDesign('mab_online_dwh', 'participant_type'), outcomeCatalogFromParticipantType(DEMO_TYPE, DEMO_TABLE));
    expect(byType).toEqual(buildBanditDesignSpec(banditDesign('mab_online_dwh'), catalogFromTable(DEMO_TABLE, 'participant_id')));
    expect(byType).toMatchObject({ table_name: 'participants', primary_key: 'participant_id', target_field_name: 'completed_course', prior_type: 'beta' });
    expect(byType).not.toHaveProperty('participant_type');
  });

  it('cmab_online: Normal priors and the contexts with their value types, even for yes/no outcomes', () => {
    let s = apply([{ type: 'context_add' }], banditDesign('cmab_online'));
    s = apply([{ type: 'context_update', key: s.contexts[1]!.key, patch: { name: ' age ', description: 'In years', valueType: 'real-valued' } }], s);
    const spec = buildBanditDesignSpec(s, null);
    expect(spec).toMatchObject({ experiment_type: 'cmab_online', prior_type: 'normal', reward_type: 'binary' });
    expect(spec.arms[0]).toEqual({ arm_name: 'Short', arm_description: '', mu_init: 0, sigma_init: 1 });
    expect(spec.contexts).toEqual([
      { context_name: 'returning', context_description: '', value_type: 'binary' },
      { context_name: 'age', context_description: 'In years', value_type: 'real-valued' },
    ]);
  });
});

describe('banditStateFromConfig', () => {
  function configOf(spec: BanditDesignSpec, datasourceId: string): ExperimentConfig {
    // As the server answers it: ids on arms and contexts, and the current posterior beside the prior.
    const design_spec = {
      ...spec,
      arms: spec.arms.map((a, i) => ({ arm_weight: null, alpha_init: null, beta_init: null, mu_init: null, sigma_init: null, ...a, arm_id: `arm_${i}`, alpha: null, beta: null, n_outcomes: 0 })),
      contexts: spec.contexts ? spec.contexts.map((c, i) => ({ ...c, context_id: `ctx_${i}` })) : null,
      autofail_window: spec.autofail_window ?? 24,
      autofail_outcome_value: spec.autofail_outcome_value ?? 0,
    };
    return { experiment_id: 'exp_1', datasource_id: datasourceId, state: 'assigned', webhooks: ['wh_1'], design_spec } as unknown as ExperimentConfig;
  }

  it('reopens every kind so that it builds the same design again', () => {
    const catalog = catalogFromTable(DEMO_TABLE, 'participant_id');
    const withContexts = apply([{ type: 'context_add' }], banditDesign('cmab_online'));
    const designs = [
      apply([{ type: 'bandit', patch: { autofail: true, autofailWindow: '6', autofailValue: '1' } }], banditDesign('mab_online')),
      apply([{ type: 'context_update', key: withContexts.contexts[1]!.key, patch: { name: 'age', valueType: 'real-valued' } }], withContexts),
      banditDesign('mab_online_dwh'),
    ];
    for (const s of designs) {
      const spec = buildBanditDesignSpec(s, catalog);
      const config = configOf(spec, s.source.datasourceId);
      expect(banditDesignOf(config)).not.toBeNull();
      const reopened = banditStateFromConfig(config, '2026-12-01');
      expect(reopened.kind).toBe(s.kind);
      expect(reopened.source.datasourceId).toBe(s.source.datasourceId);
      expect(reopened.basics.webhookIds).toEqual(['wh_1']);
      expect(buildBanditDesignSpec(reopened, catalog)).toEqual(spec);
    }
  });

  it('reopens a warehouse bandit under the participant type that offers its table, id and outcome column', () => {
    const spec = buildBanditDesignSpec(banditDesign('mab_online_dwh'), catalogFromTable(DEMO_TABLE, 'participant_id'));
    const config = configOf(spec, 'ds_demo');
    expect(banditStateFromConfig(config, '2026-12-01', [DEMO_TYPE]).source).toEqual({
      datasourceId: 'ds_demo',
      mode: 'participant_type',
      participantType: 'Demo participants',
      tableName: 'participants',
      primaryKey: 'participant_id',
    });
    // A column the type does not offer (it marks others as metrics), or no matching type: the table way.
    const unmarked = configOf({ ...spec, target_field_name: 'age' }, 'ds_demo');
    expect(banditStateFromConfig(unmarked, '2026-12-01', [DEMO_TYPE]).source).toMatchObject({ mode: 'table', participantType: '', tableName: 'participants' });
    expect(banditStateFromConfig(config, '2026-12-01', [{ ...DEMO_TYPE, table_name: 'alumni' }]).source.mode).toBe('table');
    expect(banditStateFromConfig(config, '2026-12-01').source.mode).toBe('table');
  });

  it('reopens weights as weights, not as the priors the server derived from them', () => {
    let s = apply([{ type: 'use_weights', on: true }], banditDesign('mab_online'));
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '25' } }, { type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '75' } }], s);
    const spec = buildBanditDesignSpec(s, null);
    const config = configOf({ ...spec, arms: spec.arms.map((a, i) => ({ ...a, alpha_init: i === 0 ? 0.5 : 1.5, beta_init: 1 })) }, 'ds_api');
    const reopened = banditStateFromConfig(config, '2026-12-01');
    expect(reopened.useWeights).toBe(true);
    expect(buildBanditDesignSpec(reopened, null).arms).toEqual(spec.arms);
  });

  it('is null for an A/B test', () => {
    expect(banditDesignOf({ design_spec: { experiment_type: 'freq_online' } } as unknown as ExperimentConfig)).toBeNull();
  });
});
