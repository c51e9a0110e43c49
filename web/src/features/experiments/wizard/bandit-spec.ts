/**
 * The bandit half of the wizard's design (`src/domain/bandit-design-spec.ts` on the server): from the typed
 * state to the `mab_online`, `mab_online_dwh` or `cmab_online` design the API takes, and back from a draft
 * the server holds. Like `design-spec.ts`, the forward direction assumes a state `validation.ts` accepts.
 *
 * The prior type follows from the kind and the outcome: a Beta prior for yes/no outcomes of a plain bandit
 * (its α and β read as prior successes and failures), a Normal prior for numeric outcomes and for every
 * contextual bandit (whose arms have one coefficient per context). Weights are sent as they are: the server
 * turns them into priors under which each arm's chance of being best equals its weight.
 */
import type { BanditArmSpec, BanditDesignSpec, BanditKind, ExperimentConfig, ParticipantType, PriorType, RewardType } from '../api-types.ts';
import { banditDesignOf } from '../bandit-design.ts';
import { uniqueIdOf, type FieldCatalog } from './catalog.ts';
import { basicsFromConfig, parseNumber, parseWholeNumber, registrySpec } from './design-spec.ts';
import { initialState, type WizardState } from './state.ts';

export function priorTypeOf(kind: BanditKind, rewardType: RewardType): PriorType {
  return kind !== 'cmab_online' && rewardType === 'binary' ? 'beta' : 'normal';
}

/** The reward type a warehouse column's type fixes: yes/no columns give yes/no outcomes, numeric ones numbers. */
export function rewardTypeOfColumn(catalog: FieldCatalog | null, column: string): RewardType | null {
  const type = catalog?.metrics.find((f) => f.name === column)?.type;
  if (!type) return null;
  return type === 'boolean' ? 'binary' : 'real-valued';
}

export function buildBanditDesignSpec(state: WizardState, catalog: FieldCatalog | null): BanditDesignSpec {
  const kind: BanditKind = state.kind === 'mab_online_dwh' || state.kind === 'cmab_online' ? state.kind : 'mab_online';
  const b = state.bandit;
  const priorType = priorTypeOf(kind, b.rewardType);
  const num = (text: string) => parseNumber(text) ?? 0;
  const arms = state.arms.map((a): BanditArmSpec => {
    const named = { arm_name: a.name.trim(), arm_description: a.description.trim() };
    if (state.useWeights) return { ...named, arm_weight: num(a.weight) };
    return priorType === 'beta' ? { ...named, alpha_init: num(a.alpha), beta_init: num(a.beta) } : { ...named, mu_init: num(a.mu), sigma_init: num(a.sigma) };
  });
  return {
    experiment_type: kind,
    ...registrySpec(state),
    arms,
    prior_type: priorType,
    reward_type: b.rewardType,
    enable_autofail: b.autofail,
    // Without autofail the window and value mean nothing; the server keeps its defaults.
    ...(b.autofail ? { autofail_window: parseWholeNumber(b.autofailWindow) ?? 24, autofail_outcome_value: num(b.autofailValue) } : {}),
    ...(kind === 'cmab_online'
      ? { contexts: state.contexts.map((c) => ({ context_name: c.name.trim(), context_description: c.description.trim(), value_type: c.valueType })) }
      : {}),
    ...(kind === 'mab_online_dwh'
      ? { table_name: catalog?.tableName ?? state.source.tableName, primary_key: catalog?.primaryKey ?? state.source.primaryKey, target_field_name: b.targetField }
      : {}),
  };
}

const text = (n: number | null | undefined, fallback: string) => (n != null && Number.isFinite(n) ? String(n) : fallback);

/**
 * The participant type a warehouse bandit's table, id and outcome column can be reopened under: one over the
 * same table and unique id that offers the column as an outcome (it marks it as a metric, or marks none).
 */
function typeOffering(types: readonly ParticipantType[], table: string, primaryKey: string, target: string): ParticipantType | undefined {
  return types.find((t) => {
    const metrics = t.fields.filter((f) => f.is_metric).map((f) => f.field_name);
    return t.table_name === table && uniqueIdOf(t) === primaryKey && (metrics.length === 0 || metrics.includes(target));
  });
}

/**
 * An editable wizard for a bandit draft the server holds ("Change design"). Priors derived from weights come
 * back beside the weights; the wizard reopens with the weights, as they were entered. A warehouse bandit
 * reopens under a participant type when one offers its table, id and outcome column, else under its table.
 */
export function banditStateFromConfig(config: ExperimentConfig, today: string, participantTypes: readonly ParticipantType[] = []): WizardState {
  const d = banditDesignOf(config);
  const base = initialState(today);
  if (!d) return base;
  let seq = base.seq;
  const key = (prefix: string) => `${prefix}${seq++}`;
  const weighted = d.arms.length > 0 && d.arms.every((a) => a.arm_weight != null);
  const arms = d.arms.map((a) => ({
    key: key('a'),
    name: a.arm_name,
    description: a.arm_description ?? '',
    weight: text(a.arm_weight, ''),
    alpha: text(a.alpha_init, '1'),
    beta: text(a.beta_init, '1'),
    mu: text(a.mu_init, '0'),
    sigma: text(a.sigma_init, '1'),
  }));
  const contexts = (d.contexts ?? []).map((c) => ({ key: key('c'), name: c.context_name, description: c.context_description ?? '', valueType: c.value_type }));
  const dwh = d.experiment_type === 'mab_online_dwh';
  const table = dwh ? (d.table_name ?? '') : '';
  const primaryKey = dwh ? (d.primary_key ?? '') : '';
  const ptype = dwh ? typeOffering(participantTypes, table, primaryKey, d.target_field_name ?? '') : undefined;
  return {
    ...base,
    step: 'basics',
    // Every step of a stored design was filled in once; let the step list jump anywhere valid.
    reached: 'arms',
    basics: basicsFromConfig(config),
    kind: d.experiment_type,
    source: {
      datasourceId: config.datasource_id,
      mode: dwh && !ptype ? 'table' : 'participant_type',
      participantType: ptype?.participant_type ?? '',
      tableName: table,
      primaryKey,
    },
    arms,
    useWeights: weighted,
    bandit: {
      rewardType: d.reward_type,
      autofail: d.enable_autofail,
      autofailWindow: text(d.autofail_window, '24'),
      autofailValue: text(d.autofail_outcome_value, '0'),
      targetField: dwh ? (d.target_field_name ?? '') : '',
    },
    contexts,
    seq,
  };
}
