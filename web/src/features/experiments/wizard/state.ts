/**
 * The experiment wizard's state and the one reducer that changes it. Pure: no I/O, no clock (the caller
 * passes today's date), and list items get keys from a counter kept in the state, so the same actions give
 * the same state and everything here is unit-tested. Inputs are kept as typed (strings), so a half-typed
 * number survives a reload; `design-spec.ts` turns them into the API's design.
 */
import type { BanditKind, ContextValueType, RewardType } from '../api-types.ts';
import { isBanditKind } from '../bandit-design.ts';
import { emptyFilter, type WizardFilter } from './filters.ts';

// The bandit vocabulary is the API's; the wizard's steps and reducer name it from here.
export type { BanditKind, ContextValueType, RewardType };
export { isBanditKind };

export type FrequentistKind = 'freq_preassigned' | 'freq_online';
export type ExperimentKind = FrequentistKind | BanditKind;

export type StepId = 'basics' | 'type' | 'participants' | 'contexts' | 'outcomes' | 'arms' | 'filters' | 'strata' | 'metrics';

export interface StepInfo {
  readonly id: StepId;
  readonly label: string;
}

/**
 * Every step in one order that both families follow as a subsequence (bandits: basics, type, participants,
 * contexts, outcomes, arms; A/B tests: basics, type, participants, arms, filters, strata, metrics), so
 * positions compare across kinds.
 */
const ALL_STEPS: readonly StepInfo[] = [
  { id: 'basics', label: 'Basics' },
  { id: 'type', label: 'Type' },
  { id: 'participants', label: 'Participants' },
  { id: 'contexts', label: 'Contexts' },
  { id: 'outcomes', label: 'Outcomes' },
  { id: 'arms', label: 'Arms' },
  { id: 'filters', label: 'Filters' },
  { id: 'strata', label: 'Strata' },
  { id: 'metrics', label: 'Metrics and power' },
];

/** Position of a step in the full order, for comparing how far the user got. */
export function stepIndex(step: StepId): number {
  return ALL_STEPS.findIndex((s) => s.id === step);
}

const FREQUENTIST_STEPS: readonly StepId[] = ['basics', 'type', 'participants', 'arms', 'filters', 'strata', 'metrics'];
const BANDIT_STEPS: readonly StepId[] = ['basics', 'type', 'participants', 'contexts', 'outcomes', 'arms'];

/**
 * The editing steps of a design. Strata exist only for preassigned designs (online ones are not
 * stratified); bandits have no filters, strata or power, choose a datasource rather than participants, and
 * only contextual bandits declare contexts. Their arms come last because the priors depend on the outcome.
 */
export function stepsFor(kind: ExperimentKind | null): readonly StepInfo[] {
  if (isBanditKind(kind)) {
    return BANDIT_STEPS.filter((id) => id !== 'contexts' || kind === 'cmab_online').map((id) => ({
      id,
      label: id === 'participants' ? 'Datasource' : id === 'arms' ? 'Arms and priors' : (ALL_STEPS.find((s) => s.id === id)?.label ?? id),
    }));
  }
  return ALL_STEPS.filter((s) => FREQUENTIST_STEPS.includes(s.id) && (s.id !== 'strata' || kind !== 'freq_online'));
}

/** The steps any kind has, as persisted states may name them. */
export const STEP_IDS: readonly StepId[] = ALL_STEPS.map((s) => s.id);

export interface Basics {
  readonly name: string;
  readonly description: string;
  readonly designUrl: string;
  /** `YYYY-MM-DD`, a UTC calendar day. */
  readonly startDate: string;
  readonly endDate: string;
  readonly webhookIds: readonly string[];
}

export interface Source {
  readonly datasourceId: string;
  readonly mode: 'participant_type' | 'table';
  readonly participantType: string;
  readonly tableName: string;
  readonly primaryKey: string;
}

export interface WizardArm {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /**
   * Percent, as typed; used only when `useWeights`. For an A/B test the share of participants, for a bandit
   * how likely the arm is thought to win (the server turns it into a prior).
   */
  readonly weight: string;
  /** Bandit priors, as typed: Beta(α, β) for yes/no outcomes, Normal(μ, σ) for numeric ones and contexts. */
  readonly alpha: string;
  readonly beta: string;
  readonly mu: string;
  readonly sigma: string;
}

/** A context of a contextual bandit: what the backend reports about a participant with each draw. */
export interface WizardContext {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly valueType: ContextValueType;
}

/** A bandit's outcome settings, as typed. */
export interface BanditSettings {
  readonly rewardType: RewardType;
  readonly autofail: boolean;
  /** Whole hours, as typed. */
  readonly autofailWindow: string;
  /** The outcome a participant without one gets (0 or 1 for yes/no outcomes), as typed. */
  readonly autofailValue: string;
  /** Warehouse bandit: the column the outcome is read from. */
  readonly targetField: string;
}

/** Neutral priors: Beta(1, 1) is "every success rate equally likely", N(0, 1) a weak guess around 0. */
export const DEFAULT_PRIOR = { alpha: '1', beta: '1', mu: '0', sigma: '1' } as const;

export interface WizardMetric {
  readonly key: string;
  readonly field: string;
  /** Minimum effect worth detecting, in percent change of the baseline, as typed ("10", "2.5", "-5"). */
  readonly mde: string;
}

/** How the target sample size of a preassigned design is chosen. */
export type SampleChoice = 'primary' | 'every_metric' | 'available' | 'custom';

export interface PowerResult {
  /** `powerFingerprint` of the design it was computed for; a different design makes it stale. */
  readonly fingerprint: string;
  readonly analyses: ReadonlyArray<import('../api-types.ts').PowerAnalysis>;
  /** The desired_n the analysis was asked about (its MDE is `pct_change_with_desired_n`), or null. */
  readonly desiredN: number | null;
}

export interface WizardState {
  readonly step: StepId;
  /** The furthest step the user has opened; steps up to it that validate are shown as done. */
  readonly reached: StepId;
  readonly basics: Basics;
  readonly kind: ExperimentKind | null;
  readonly assignmentMode: 'random' | 'hash';
  readonly source: Source;
  readonly arms: readonly WizardArm[];
  readonly useWeights: boolean;
  readonly filters: readonly WizardFilter[];
  readonly strata: readonly string[];
  readonly metrics: readonly WizardMetric[];
  readonly powerPct: string;
  readonly confidencePct: string;
  readonly sampleChoice: SampleChoice;
  readonly customN: string;
  /** Online designs: an optional target, and whether to stop assigning once it is reached. */
  readonly onlineTarget: string;
  readonly stopAtTarget: boolean;
  readonly power: PowerResult | null;
  readonly bandit: BanditSettings;
  /** Contextual bandits only. */
  readonly contexts: readonly WizardContext[];
  /** Source of list keys; only ever grows. */
  readonly seq: number;
}

export const MAX_ARMS = 20;
export const MIN_ARMS = 2;
export const MAX_FILTERS = 20;
export const MAX_METRICS = 150;
export const MAX_STRATA = 150;
/** The API answers draws with at most ten context values, so a design may declare no more. */
export const MAX_CONTEXTS = 10;

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A new design: it starts today and runs 30 days, with a control and a treatment arm. */
export function initialState(today: string): WizardState {
  return {
    step: 'basics',
    reached: 'basics',
    basics: { name: '', description: '', designUrl: '', startDate: today, endDate: addDays(today, 29), webhookIds: [] },
    kind: null,
    assignmentMode: 'random',
    source: { datasourceId: '', mode: 'participant_type', participantType: '', tableName: '', primaryKey: '' },
    arms: [
      { key: 'a1', name: 'Control', description: '', weight: '50', ...DEFAULT_PRIOR },
      { key: 'a2', name: 'Treatment', description: '', weight: '50', ...DEFAULT_PRIOR },
    ],
    useWeights: false,
    filters: [],
    strata: [],
    metrics: [],
    powerPct: '80',
    confidencePct: '95',
    sampleChoice: 'primary',
    customN: '',
    onlineTarget: '',
    stopAtTarget: false,
    power: null,
    bandit: initialBandit(),
    contexts: [],
    seq: 3,
  };
}

export function initialBandit(): BanditSettings {
  return { rewardType: 'binary', autofail: false, autofailWindow: '24', autofailValue: '0', targetField: '' };
}

// A participant type is proposed first; the datasource step falls back to a table when there is none.
const emptySource = (): Source => ({ datasourceId: '', mode: 'participant_type', participantType: '', tableName: '', primaryKey: '' });

/**
 * What the datasource step asks for: a warehouse's participants (A/B tests), a warehouse table with its id
 * and outcome column (warehouse bandit), or any datasource, the "API only" one included (other bandits).
 */
type SourceShape = 'participants' | 'outcome_table' | 'any';
function sourceShape(kind: ExperimentKind | null): SourceShape {
  if (kind === 'mab_online_dwh') return 'outcome_table';
  return isBanditKind(kind) ? 'any' : 'participants';
}

/**
 * A new kind keeps what still fits. Moving to a kind whose datasource step asks something else starts that
 * step afresh (an "API only" choice cannot carry a warehouse table); crossing between A/B tests and bandits
 * also turns weights off, because they mean a share of participants in one and a belief in the other.
 */
function withKind(state: WizardState, kind: ExperimentKind): WizardState {
  if (state.kind === kind) return state;
  let next: WizardState = { ...state, kind };
  if (sourceShape(state.kind) !== sourceShape(kind)) {
    next = { ...next, source: emptySource(), filters: [], strata: [], metrics: [], power: null, bandit: { ...next.bandit, targetField: '' } };
  }
  if (isBanditKind(state.kind) !== isBanditKind(kind)) next = { ...next, useWeights: false };
  if (kind === 'cmab_online' && next.contexts.length === 0) {
    next = { ...next, seq: next.seq + 1, contexts: [{ key: `c${next.seq}`, name: '', description: '', valueType: 'binary' }] };
  }
  return next;
}

export type WizardAction =
  | { type: 'basics'; patch: Partial<Omit<Basics, 'webhookIds'>> }
  | { type: 'toggle_webhook'; id: string }
  | { type: 'kind'; kind: ExperimentKind }
  | { type: 'assignment_mode'; mode: 'random' | 'hash' }
  | { type: 'source'; patch: Partial<Source> }
  | { type: 'arm_add' }
  | { type: 'arm_remove'; key: string }
  | { type: 'arm_update'; key: string; patch: Partial<Omit<WizardArm, 'key'>> }
  | { type: 'use_weights'; on: boolean }
  | { type: 'filter_add' }
  | { type: 'filter_remove'; key: string }
  | { type: 'filter_update'; key: string; patch: Partial<Omit<WizardFilter, 'key'>> }
  | { type: 'stratum_toggle'; field: string }
  | { type: 'metric_add'; field?: string }
  | { type: 'metric_remove'; key: string }
  | { type: 'metric_update'; key: string; patch: Partial<Omit<WizardMetric, 'key'>> }
  | { type: 'metric_primary'; key: string }
  | { type: 'settings'; patch: Partial<Pick<WizardState, 'powerPct' | 'confidencePct' | 'sampleChoice' | 'customN' | 'onlineTarget' | 'stopAtTarget'>> }
  | { type: 'power_result'; result: PowerResult | null }
  | { type: 'bandit'; patch: Partial<BanditSettings> }
  | { type: 'context_add' }
  | { type: 'context_remove'; key: string }
  | { type: 'context_update'; key: string; patch: Partial<Omit<WizardContext, 'key'>> }
  | { type: 'go'; step: StepId }
  | { type: 'replace'; state: WizardState };

/**
 * Equal weights that add up to exactly 100 with two decimals: the remainder of the rounding goes to the
 * first arm (the control), e.g. 3 arms → 33.34, 33.33, 33.33.
 */
export function equalWeights(n: number): string[] {
  if (n <= 0) return [];
  const each = Math.floor(10000 / n) / 100;
  const first = Math.round((100 - each * (n - 1)) * 100) / 100;
  return [String(first), ...Array.from({ length: n - 1 }, () => String(each))];
}

function withEqualWeights(arms: readonly WizardArm[]): WizardArm[] {
  const weights = equalWeights(arms.length);
  return arms.map((a, i) => ({ ...a, weight: weights[i] ?? '' }));
}

const sameSource = (a: Source, b: Source) =>
  a.datasourceId === b.datasourceId && a.mode === b.mode && a.participantType === b.participantType && a.tableName === b.tableName && a.primaryKey === b.primaryKey;

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'basics':
      return { ...state, basics: { ...state.basics, ...action.patch } };
    case 'toggle_webhook': {
      const ids = state.basics.webhookIds;
      return { ...state, basics: { ...state.basics, webhookIds: ids.includes(action.id) ? ids.filter((i) => i !== action.id) : [...ids, action.id] } };
    }
    case 'kind':
      return withKind(state, action.kind);
    case 'assignment_mode':
      return { ...state, assignmentMode: action.mode };
    case 'source': {
      let source = { ...state.source, ...action.patch };
      // A new datasource starts its choice of participants afresh.
      if (action.patch.datasourceId !== undefined && action.patch.datasourceId !== state.source.datasourceId) {
        source = { ...source, participantType: action.patch.participantType ?? '', tableName: action.patch.tableName ?? '', primaryKey: action.patch.primaryKey ?? '' };
      }
      if (sameSource(source, state.source)) return state;
      // Filters, strata and metrics name columns of the old table; they would not fit the new one.
      const tableChanged = source.datasourceId !== state.source.datasourceId || source.mode !== state.source.mode || source.participantType !== state.source.participantType || source.tableName !== state.source.tableName;
      // The same goes for a warehouse bandit's outcome column.
      return tableChanged ? { ...state, source, filters: [], strata: [], metrics: [], power: null, bandit: { ...state.bandit, targetField: '' } } : { ...state, source };
    }
    case 'arm_add': {
      if (state.arms.length >= MAX_ARMS) return state;
      const arms = [...state.arms, { key: `a${state.seq}`, name: '', description: '', weight: '', ...DEFAULT_PRIOR }];
      return { ...state, seq: state.seq + 1, arms: state.useWeights ? withEqualWeights(arms) : arms };
    }
    case 'arm_remove': {
      if (state.arms.length <= MIN_ARMS) return state;
      const arms = state.arms.filter((a) => a.key !== action.key);
      return { ...state, arms: state.useWeights ? withEqualWeights(arms) : arms };
    }
    case 'arm_update':
      return { ...state, arms: state.arms.map((a) => (a.key === action.key ? { ...a, ...action.patch } : a)) };
    case 'use_weights':
      return { ...state, useWeights: action.on, arms: action.on ? withEqualWeights(state.arms) : state.arms };
    case 'filter_add':
      if (state.filters.length >= MAX_FILTERS) return state;
      return { ...state, seq: state.seq + 1, filters: [...state.filters, emptyFilter(`f${state.seq}`)] };
    case 'filter_remove':
      return { ...state, filters: state.filters.filter((f) => f.key !== action.key) };
    case 'filter_update':
      return { ...state, filters: state.filters.map((f) => (f.key === action.key ? { ...f, ...action.patch } : f)) };
    case 'stratum_toggle': {
      const on = state.strata.includes(action.field);
      if (!on && state.strata.length >= MAX_STRATA) return state;
      return { ...state, strata: on ? state.strata.filter((s) => s !== action.field) : [...state.strata, action.field] };
    }
    case 'metric_add':
      if (state.metrics.length >= MAX_METRICS) return state;
      return { ...state, seq: state.seq + 1, metrics: [...state.metrics, { key: `m${state.seq}`, field: action.field ?? '', mde: '10' }] };
    case 'metric_remove':
      return { ...state, metrics: state.metrics.filter((m) => m.key !== action.key) };
    case 'metric_update':
      return { ...state, metrics: state.metrics.map((m) => (m.key === action.key ? { ...m, ...action.patch } : m)) };
    case 'metric_primary': {
      const chosen = state.metrics.find((m) => m.key === action.key);
      return chosen ? { ...state, metrics: [chosen, ...state.metrics.filter((m) => m.key !== action.key)] } : state;
    }
    case 'settings':
      return { ...state, ...action.patch };
    case 'power_result':
      return { ...state, power: action.result };
    case 'bandit': {
      const bandit = { ...state.bandit, ...action.patch };
      // A yes/no outcome can only be counted as a failure or a success; anything else starts at failure.
      const fits = bandit.rewardType !== 'binary' || bandit.autofailValue.trim() === '0' || bandit.autofailValue.trim() === '1';
      return { ...state, bandit: fits ? bandit : { ...bandit, autofailValue: '0' } };
    }
    case 'context_add':
      if (state.contexts.length >= MAX_CONTEXTS) return state;
      return { ...state, seq: state.seq + 1, contexts: [...state.contexts, { key: `c${state.seq}`, name: '', description: '', valueType: 'binary' }] };
    case 'context_remove':
      // A contextual bandit needs at least one context.
      if (state.contexts.length <= 1) return state;
      return { ...state, contexts: state.contexts.filter((c) => c.key !== action.key) };
    case 'context_update':
      return { ...state, contexts: state.contexts.map((c) => (c.key === action.key ? { ...c, ...action.patch } : c)) };
    case 'go':
      return { ...state, step: action.step, reached: stepIndex(action.step) > stepIndex(state.reached) ? action.step : state.reached };
    case 'replace':
      return action.state;
  }
}
