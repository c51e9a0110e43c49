/**
 * From the wizard's typed-in state to the API's design (`design_spec`) and back. The forward direction
 * assumes a state that `validation.ts` accepts; the backward one (`stateFromConfig`) rebuilds an editable
 * wizard from a draft on the server, so "Change design" on the summary does not mean starting over.
 */
import type { ColumnType, DesignSpec, ExperimentConfig, ExperimentSchemaField, FilterSpec, ParticipantType } from '../api-types.ts';
import { endOfDay, startOfDay, utcDay } from '../status.ts';
import { uniqueIdOf, type FieldCatalog } from './catalog.ts';
import { filterFromSpec, filterToSpec } from './filters.ts';
import { DEFAULT_PRIOR, initialState, type ExperimentKind, type FrequentistKind, type WizardState } from './state.ts';

/** A typed number ("2.5", "-5", "1e3"), or null when it is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function parseWholeNumber(text: string): number | null {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** Percent in the UI, fraction in the API, without float noise (10 → 0.1, 2.5 → 0.025). */
function fraction(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}

function percent(fractionValue: number): string {
  return String(Number((fractionValue * 100).toPrecision(12)));
}

export function typeOf(catalog: FieldCatalog | null, field: string): ColumnType {
  return catalog?.filters.find((f) => f.name === field)?.type ?? catalog?.metrics.find((f) => f.name === field)?.type ?? catalog?.strata.find((f) => f.name === field)?.type ?? 'unsupported';
}

export function filterSpecs(state: WizardState, catalog: FieldCatalog | null): FilterSpec[] {
  return state.filters.map((f) => filterToSpec(f, typeOf(catalog, f.field)));
}

/**
 * The target sample size the design asks for: for preassigned designs from the chosen option (which needs a
 * current power check unless it is a custom number), for online designs the optional target.
 */
export function resolveDesiredN(state: WizardState, currentPower: WizardState['power']): number | null {
  if (state.kind === 'freq_online') return parseWholeNumber(state.onlineTarget);
  if (state.sampleChoice === 'custom') return parseWholeNumber(state.customN);
  const analyses = currentPower?.analyses ?? [];
  const first = analyses[0];
  if (!first) return null;
  if (state.sampleChoice === 'available') return first.metric_spec.available_n ?? null;
  if (state.sampleChoice === 'primary') return first.target_n;
  const needed = analyses.map((a) => a.target_n);
  return needed.every((n): n is number => n !== null) ? Math.max(...needed) : null;
}

/** The registry fields every design has, A/B test or bandit: name, description, link and UTC dates. */
export function registrySpec(state: WizardState) {
  const b = state.basics;
  return {
    experiment_name: b.name.trim(),
    description: b.description.trim(),
    design_url: b.designUrl.trim() === '' ? null : b.designUrl.trim(),
    start_date: startOfDay(b.startDate),
    end_date: endOfDay(b.endDate),
  };
}

/** The registry fields of a stored design as the wizard's basics: `registrySpec` the other way round. */
export function basicsFromConfig(config: ExperimentConfig): WizardState['basics'] {
  const d = config.design_spec;
  return {
    name: d.experiment_name,
    description: d.description ?? '',
    designUrl: d.design_url ?? '',
    startDate: utcDay(d.start_date),
    endDate: utcDay(d.end_date),
    webhookIds: [...config.webhooks],
  };
}

/** The A/B test design as the API takes it (bandits: `bandit-spec.ts`). `desiredN` comes from `resolveDesiredN`. */
export function buildDesignSpec(state: WizardState, catalog: FieldCatalog | null, desiredN: number | null): DesignSpec {
  const kind: FrequentistKind = state.kind === 'freq_online' ? 'freq_online' : 'freq_preassigned';
  const weights = state.useWeights ? state.arms.map((a) => parseNumber(a.weight)) : null;
  const common = {
    ...registrySpec(state),
    arms: state.arms.map((a, i) => ({ arm_name: a.name.trim(), arm_description: a.description.trim(), ...(weights ? { arm_weight: weights[i] ?? null } : {}) })),
    table_name: catalog?.tableName ?? state.source.tableName,
    primary_key: catalog?.primaryKey ?? state.source.primaryKey,
    strata: kind === 'freq_preassigned' ? state.strata.map((field_name) => ({ field_name })) : [],
    metrics: state.metrics.map((m) => ({ field_name: m.field, metric_pct_change: fraction(parseNumber(m.mde) ?? 0) })),
    filters: filterSpecs(state, catalog),
    desired_n: desiredN,
    power: fraction(parseNumber(state.powerPct) ?? 80),
    alpha: Number((1 - fraction(parseNumber(state.confidencePct) ?? 95)).toPrecision(12)),
  };
  if (kind === 'freq_online') {
    return { experiment_type: kind, ...common, assignment_mode: state.assignmentMode, stop_at_desired_n: state.stopAtTarget && desiredN !== null };
  }
  return { experiment_type: kind, ...common };
}

/**
 * The design sent to `POST …/power`. The route validates a whole design, and a preassigned one must name
 * its `desired_n`, which is what the power check helps to choose. Power does not depend on how participants
 * are assigned, so until a number is known the same design is checked as an online one.
 */
export function powerDesignSpec(state: WizardState, catalog: FieldCatalog | null, desiredN: number | null): DesignSpec {
  const spec = buildDesignSpec(state, catalog, desiredN);
  if (spec.experiment_type === 'freq_preassigned' && desiredN === null) {
    const { strata: _strata, ...rest } = spec;
    return { ...rest, experiment_type: 'freq_online', strata: [], assignment_mode: 'random', stop_at_desired_n: false };
  }
  return spec;
}

/** What a power result depends on; when it changes, the result on screen is out of date. */
export function powerFingerprint(state: WizardState, catalog: FieldCatalog | null): string {
  const spec = buildDesignSpec(state, catalog, null);
  return JSON.stringify([state.source.datasourceId, spec.table_name, spec.primary_key, spec.arms.map((a) => a.arm_weight ?? null), spec.filters, spec.metrics, spec.power, spec.alpha]);
}

/** The power result, if it was computed for the design as it is now. */
export function currentPower(state: WizardState, catalog: FieldCatalog | null): WizardState['power'] {
  return state.power && state.power.fingerprint === powerFingerprint(state, catalog) ? state.power : null;
}

/**
 * An editable wizard for an A/B test design the server already has (a draft being changed; bandits:
 * `banditStateFromConfig`). Participants are named by the participant type over the same table and id when
 * there is one, else by the table itself.
 */
export function stateFromConfig(
  config: ExperimentConfig,
  schemaFields: readonly ExperimentSchemaField[],
  participantTypes: readonly ParticipantType[],
  today: string,
): WizardState {
  const d = config.design_spec;
  const base = initialState(today);
  const kind: ExperimentKind | null = d.experiment_type === 'freq_preassigned' || d.experiment_type === 'freq_online' ? d.experiment_type : null;
  const types = new Map(schemaFields.map((f) => [f.field_name, f.data_type]));
  const table = d.table_name ?? '';
  const pk = d.primary_key ?? '';
  const ptype = participantTypes.find((t) => t.table_name === table && uniqueIdOf(t) === pk);
  let seq = base.seq;
  const key = (prefix: string) => `${prefix}${seq++}`;
  const weighted = d.arms.length > 0 && d.arms.every((a) => a.arm_weight != null);
  const arms = d.arms.map((a) => ({ ...DEFAULT_PRIOR, key: key('a'), name: a.arm_name, description: a.arm_description ?? '', weight: a.arm_weight != null ? String(a.arm_weight) : '' }));
  const filters = (d.filters ?? []).map((f) => filterFromSpec(f, types.get(f.field_name) ?? 'string', key('f')));
  const metrics = (d.metrics ?? []).map((m) => ({ key: key('m'), field: m.field_name, mde: m.metric_pct_change != null ? percent(m.metric_pct_change) : '' }));
  const desired = d.desired_n ?? null;
  return {
    ...base,
    step: 'basics',
    // Every step of a stored design was filled in once; let the step list jump anywhere valid.
    reached: 'metrics',
    basics: basicsFromConfig(config),
    kind,
    assignmentMode: d.assignment_mode ?? 'random',
    source: ptype
      ? { datasourceId: config.datasource_id, mode: 'participant_type', participantType: ptype.participant_type, tableName: '', primaryKey: '' }
      : { datasourceId: config.datasource_id, mode: 'table', participantType: '', tableName: table, primaryKey: pk },
    arms,
    useWeights: weighted,
    filters,
    strata: (d.strata ?? []).map((s) => s.field_name),
    metrics,
    powerPct: d.power != null ? percent(d.power) : base.powerPct,
    confidencePct: d.alpha != null ? percent(1 - d.alpha) : base.confidencePct,
    sampleChoice: 'custom',
    customN: kind === 'freq_preassigned' && desired !== null ? String(desired) : '',
    onlineTarget: kind === 'freq_online' && desired !== null ? String(desired) : '',
    stopAtTarget: Boolean(d.stop_at_desired_n),
    power: null,
    seq,
  };
}
