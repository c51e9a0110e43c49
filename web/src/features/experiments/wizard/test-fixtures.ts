/**
 * Shared inputs of the wizard's tests: the demo warehouse's participant type and table as the API describes
 * them, and complete designs (preassigned, bandits) built through the reducer (so tests start from a state
 * real actions make).
 * Imported only by tests.
 */
import type { ParticipantType, ParticipantTypeInspection, PowerAnalysis, TableInspection } from '../api-types.ts';
import { catalogFromParticipantType, type FieldCatalog } from './catalog.ts';
import { initialState, wizardReducer, type BanditKind, type WizardAction, type WizardState } from './state.ts';

export const DEMO_TYPE: ParticipantType = {
  participant_type: 'Demo participants',
  table_name: 'participants',
  fields: [
    { field_name: 'participant_id', data_type: 'string', description: 'Unique id', is_unique_id: true, is_filter: false, is_metric: false, is_strata: false },
    { field_name: 'country', data_type: 'string', description: 'ISO country', is_unique_id: false, is_filter: true, is_metric: false, is_strata: true },
    { field_name: 'age', data_type: 'integer', description: 'Age in years', is_unique_id: false, is_filter: true, is_metric: false, is_strata: true },
    { field_name: 'is_active', data_type: 'boolean', description: 'Active', is_unique_id: false, is_filter: true, is_metric: false, is_strata: true },
    { field_name: 'signup_date', data_type: 'date', description: 'Signed up', is_unique_id: false, is_filter: true, is_metric: false, is_strata: false },
    { field_name: 'completed_course', data_type: 'boolean', description: 'Outcome', is_unique_id: false, is_filter: false, is_metric: true, is_strata: false },
    { field_name: 'weekly_minutes', data_type: 'float', description: 'Outcome', is_unique_id: false, is_filter: false, is_metric: true, is_strata: false },
  ],
};

export const DEMO_INSPECTION: ParticipantTypeInspection = {
  filters: [
    { field_name: 'country', data_type: 'string', description: 'ISO country', relations: ['includes', 'excludes'], distinct_values: ['BR', 'IN', 'KE', 'NG', 'US'], distinct_values_truncated: false },
    { field_name: 'age', data_type: 'integer', description: 'Age in years', relations: ['between', 'excludes', 'includes'], min: 16, max: 80 },
    { field_name: 'is_active', data_type: 'boolean', description: 'Active', relations: ['includes', 'excludes'], distinct_values: [false, true], distinct_values_truncated: false },
    { field_name: 'signup_date', data_type: 'date', description: 'Signed up', relations: ['between', 'excludes', 'includes'], min: '2023-01-01', max: '2024-12-30' },
  ],
  metrics: [
    { field_name: 'completed_course', data_type: 'boolean', description: 'Outcome' },
    { field_name: 'weekly_minutes', data_type: 'float', description: 'Outcome' },
  ],
  strata: [
    { field_name: 'country', data_type: 'string', description: 'ISO country' },
    { field_name: 'age', data_type: 'integer', description: 'Age in years' },
    { field_name: 'is_active', data_type: 'boolean', description: 'Active' },
  ],
};

export const DEMO_CATALOG: FieldCatalog = catalogFromParticipantType(DEMO_TYPE, DEMO_INSPECTION);

export function apply(actions: readonly WizardAction[], start: WizardState = initialState('2026-12-01')): WizardState {
  return actions.reduce(wizardReducer, start);
}

/** A preassigned design on the demo type: age 18–35, stratified by country, completed_course +10%, 1,000 participants. */
export function completeDesign(): WizardState {
  const s = apply([
    { type: 'basics', patch: { name: 'WhatsApp nudge', description: 'Reminders help', designUrl: 'https://example.org/design' } },
    { type: 'kind', kind: 'freq_preassigned' },
    { type: 'source', patch: { datasourceId: 'ds_demo', participantType: 'Demo participants' } },
    { type: 'filter_add' },
    { type: 'stratum_toggle', field: 'country' },
    { type: 'metric_add', field: 'completed_course' },
    { type: 'settings', patch: { sampleChoice: 'custom', customN: '1000' } },
  ]);
  return apply([{ type: 'filter_update', key: s.filters[0]!.key, patch: { field: 'age', op: 'between', low: '18', high: '35' } }], s);
}

export function analysis(patch: Partial<PowerAnalysis> & { field?: string; available?: number }): PowerAnalysis {
  const { field = 'completed_course', available = 7068, ...rest } = patch;
  return {
    metric_spec: {
      field_name: field,
      metric_type: 'binary',
      metric_pct_change: 0.1,
      metric_target: 0.429,
      metric_baseline: 0.39,
      metric_stddev: null,
      available_n: available,
      available_nonnull_n: available,
    },
    target_n: 4992,
    sufficient_n: true,
    target_possible: null,
    pct_change_possible: null,
    pct_change_with_desired_n: null,
    msg: { type: 'sufficient', msg: 'There are enough units available.', values: null },
    ...rest,
  };
}

/** The demo warehouse's `participants` table as `GET …/inspect/participants` describes it (the columns a warehouse bandit uses). */
export const DEMO_TABLE: TableInspection = {
  table_name: 'participants',
  primary_key_fields: ['participant_id'],
  detected_unique_id_fields: [],
  fields: [
    { field_name: 'participant_id', data_type: 'string', description: '' },
    { field_name: 'country', data_type: 'string', description: '' },
    { field_name: 'completed_course', data_type: 'boolean', description: '' },
    { field_name: 'weekly_minutes', data_type: 'float', description: '' },
  ],
};

/**
 * A bandit design of `kind` with two named arms (Short, Long), made through the reducer like the wizard makes
 * it. A warehouse bandit names the demo table and its id directly, or (`via` a participant type) takes them
 * from the demo type as the datasource step does.
 */
export function banditDesign(kind: BanditKind, via: 'table' | 'participant_type' = 'table'): WizardState {
  const warehouse =
    via === 'table'
      ? { datasourceId: 'ds_demo', mode: 'table' as const, tableName: 'participants', primaryKey: 'participant_id' }
      : { datasourceId: 'ds_demo', mode: 'participant_type' as const, participantType: DEMO_TYPE.participant_type, tableName: DEMO_TYPE.table_name, primaryKey: 'participant_id' };
  let s = apply([
    { type: 'basics', patch: { name: 'Reminder wording', description: 'Which wording gets replies' } },
    { type: 'kind', kind },
    { type: 'source', patch: kind === 'mab_online_dwh' ? warehouse : { datasourceId: 'ds_api' } },
  ]);
  s = apply([
    { type: 'arm_update', key: s.arms[0]!.key, patch: { name: 'Short' } },
    { type: 'arm_update', key: s.arms[1]!.key, patch: { name: 'Long' } },
  ], s);
  if (kind === 'mab_online_dwh') s = apply([{ type: 'bandit', patch: { targetField: 'completed_course', rewardType: 'binary' } }], s);
  if (kind === 'cmab_online') s = apply([{ type: 'context_update', key: s.contexts[0]!.key, patch: { name: 'returning' } }], s);
  return s;
}
