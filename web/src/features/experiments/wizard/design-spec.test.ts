import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../api-types.ts';
import { catalogFromTable } from './catalog.ts';
import { buildDesignSpec, currentPower, parseNumber, powerDesignSpec, powerFingerprint, resolveDesiredN, stateFromConfig } from './design-spec.ts';
import { analysis, apply, completeDesign, DEMO_CATALOG, DEMO_TYPE } from './test-fixtures.ts';

describe('buildDesignSpec', () => {
  it('turns the typed design into the API design', () => {
    const s = completeDesign();
    expect(buildDesignSpec(s, DEMO_CATALOG, 1000)).toEqual({
      experiment_type: 'freq_preassigned',
      experiment_name: 'WhatsApp nudge',
      description: 'Reminders help',
      design_url: 'https://example.org/design',
      start_date: '2026-12-01T00:00:00Z',
      end_date: '2026-12-30T23:59:59Z',
      arms: [
        { arm_name: 'Control', arm_description: '' },
        { arm_name: 'Treatment', arm_description: '' },
      ],
      table_name: 'participants',
      primary_key: 'participant_id',
      strata: [{ field_name: 'country' }],
      metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
      filters: [{ field_name: 'age', relation: 'between', value: [18, 35] }],
      desired_n: 1000,
      power: 0.8,
      alpha: 0.05,
    });
  });

  it('keeps decimals of the minimum effect exact and sends weights only when set', () => {
    let s = completeDesign();
    s = apply([{ type: 'metric_update', key: s.metrics[0]!.key, patch: { mde: '2.5' } }, { type: 'use_weights', on: true }], s);
    s = apply([{ type: 'arm_update', key: s.arms[0]!.key, patch: { weight: '30' } }, { type: 'arm_update', key: s.arms[1]!.key, patch: { weight: '70' } }], s);
    const spec = buildDesignSpec(s, DEMO_CATALOG, 10);
    expect(spec.metrics).toEqual([{ field_name: 'completed_course', metric_pct_change: 0.025 }]);
    expect(spec.arms.map((a) => a.arm_weight)).toEqual([30, 70]);
    expect(buildDesignSpec(apply([{ type: 'settings', patch: { confidencePct: '99' } }], s), DEMO_CATALOG, 10).alpha).toBe(0.01);
  });

  it('online designs carry their assignment settings and no strata', () => {
    const s = apply([{ type: 'kind', kind: 'freq_online' }, { type: 'assignment_mode', mode: 'hash' }, { type: 'settings', patch: { onlineTarget: '500', stopAtTarget: true } }], completeDesign());
    const desired = resolveDesiredN(s, null);
    expect(desired).toBe(500);
    expect(buildDesignSpec(s, DEMO_CATALOG, desired)).toMatchObject({ experiment_type: 'freq_online', strata: [], assignment_mode: 'hash', stop_at_desired_n: true, desired_n: 500 });
  });

  it('uses the table mode catalog for table and id', () => {
    const s = apply([{ type: 'source', patch: { mode: 'table', tableName: 'people', primaryKey: 'pid' } }], completeDesign());
    const catalog = catalogFromTable({ table_name: 'people', primary_key_fields: [], detected_unique_id_fields: ['pid'], fields: [{ field_name: 'pid', data_type: 'bigint', description: '' }] }, 'pid');
    expect(buildDesignSpec(s, catalog, 5)).toMatchObject({ table_name: 'people', primary_key: 'pid' });
  });
});

describe('sample size from the power check', () => {
  it('resolves each choice from a current result', () => {
    const base = apply([{ type: 'settings', patch: { sampleChoice: 'primary' } }], completeDesign());
    const power = { fingerprint: 'f', desiredN: null, analyses: [analysis({ target_n: 4992 }), analysis({ field: 'weekly_minutes', target_n: 6000 })] };
    expect(resolveDesiredN(base, power)).toBe(4992);
    expect(resolveDesiredN(apply([{ type: 'settings', patch: { sampleChoice: 'every_metric' } }], base), power)).toBe(6000);
    expect(resolveDesiredN(apply([{ type: 'settings', patch: { sampleChoice: 'available' } }], base), power)).toBe(7068);
    expect(resolveDesiredN(base, null)).toBeNull();
    expect(resolveDesiredN(apply([{ type: 'settings', patch: { sampleChoice: 'every_metric' } }], base), { ...power, analyses: [analysis({}), analysis({ target_n: null })] })).toBeNull();
  });

  it('a result is current only for the design it was computed for (name and dates do not matter)', () => {
    const s = completeDesign();
    const withPower = apply([{ type: 'power_result', result: { fingerprint: powerFingerprint(s, DEMO_CATALOG), analyses: [analysis({})], desiredN: null } }], s);
    expect(currentPower(withPower, DEMO_CATALOG)).not.toBeNull();
    expect(currentPower(apply([{ type: 'basics', patch: { name: 'Other' } }], withPower), DEMO_CATALOG)).not.toBeNull();
    const filterKey = withPower.filters[0]!.key;
    expect(currentPower(apply([{ type: 'filter_update', key: filterKey, patch: { high: '40' } }], withPower), DEMO_CATALOG)).toBeNull();
    expect(currentPower(apply([{ type: 'arm_add' }], withPower), DEMO_CATALOG)).toBeNull();
  });

  it('checks a preassigned design without a size as online, since power does not depend on assignment', () => {
    const s = completeDesign();
    expect(powerDesignSpec(s, DEMO_CATALOG, null)).toMatchObject({ experiment_type: 'freq_online', desired_n: null, strata: [] });
    expect(powerDesignSpec(s, DEMO_CATALOG, 1000)).toMatchObject({ experiment_type: 'freq_preassigned', desired_n: 1000, strata: [{ field_name: 'country' }] });
  });

  it('parses numbers as people type them', () => {
    expect(parseNumber('2.5')).toBe(2.5);
    expect(parseNumber('-5')).toBe(-5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5%')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });
});

describe('stateFromConfig', () => {
  it('reopens a server draft as the same design', () => {
    const s = completeDesign();
    const spec = buildDesignSpec(s, DEMO_CATALOG, 1000);
    const config: ExperimentConfig = {
      experiment_id: 'exp_1',
      datasource_id: 'ds_demo',
      state: 'assigned',
      stopped_assignments_at: null,
      stopped_assignments_reason: 'preassigned',
      design_spec: {
        ...spec,
        start_date: '2026-12-01T00:00:00.000Z',
        end_date: '2026-12-30T23:59:59.000Z',
        arms: spec.arms.map((a, i) => ({ ...a, arm_id: `arm_${i}`, arm_weight: null })),
        fstat_thresh: 0.6,
      },
      power_analyses: null,
      assign_summary: { balance_check: null, sample_size: 1000, arm_sizes: [] },
      webhooks: ['wh_1'],
      decision: '',
      impact: '',
    };
    const fields = [
      { field_name: 'age', data_type: 'integer' as const, is_unique_id: false },
      { field_name: 'participant_id', data_type: 'string' as const, is_unique_id: true },
    ];
    const back = stateFromConfig(config, fields, [DEMO_TYPE], '2027-01-01');
    expect(back.source).toEqual({ datasourceId: 'ds_demo', mode: 'participant_type', participantType: 'Demo participants', tableName: '', primaryKey: '' });
    expect(back.basics).toEqual({ ...s.basics, webhookIds: ['wh_1'] });
    expect(back.useWeights).toBe(false);
    expect(buildDesignSpec(back, DEMO_CATALOG, resolveDesiredN(back, null))).toEqual(spec);
    // Without a matching participant type, the table and id are named directly.
    expect(stateFromConfig(config, fields, [], '2027-01-01').source).toMatchObject({ mode: 'table', tableName: 'participants', primaryKey: 'participant_id' });
  });
});
