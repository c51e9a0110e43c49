/**
 * What stops each wizard step from going on, in words. A problem names the field it belongs to by the same
 * path the server's 422 uses under `design_spec` (`arms.1.arm_name`, `filters.0.value`, `end_date`), so
 * client and server problems land next to the same input. The first problem of a step is also the reason
 * shown beside its disabled Next button.
 */
import type { FieldCatalog } from './catalog.ts';
import { currentPower, parseNumber, parseWholeNumber, resolveDesiredN } from './design-spec.ts';
import { familyOf, filterValueProblems, operatorsFor } from './filters.ts';
import { armPriorProblems, banditSourceProblems, contextProblems, outcomeProblems } from './bandit-validation.ts';
import { isBanditKind, MAX_ARMS, MAX_FILTERS, MIN_ARMS, stepsFor, type StepId, type WizardState } from './state.ts';

export interface Problem {
  readonly field: string;
  readonly message: string;
}

export interface ValidationContext {
  /** The fields of the chosen participants; null while loading or when nothing is chosen. */
  readonly catalog: FieldCatalog | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function validDay(text: string): boolean {
  return DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

function basics(state: WizardState): Problem[] {
  const b = state.basics;
  const out: Problem[] = [];
  if (b.name.trim() === '') out.push({ field: 'experiment_name', message: 'Give the experiment a name.' });
  else if (b.name.trim().length > 100) out.push({ field: 'experiment_name', message: 'The name is longer than 100 characters.' });
  if (b.description.length > 2000) out.push({ field: 'description', message: 'The description is longer than 2,000 characters.' });
  const url = b.designUrl.trim();
  if (url !== '' && (!isHttpUrl(url) || url.length > 500)) {
    out.push({ field: 'design_url', message: 'The design document URL must be a web address starting with http:// or https://.' });
  }
  if (!validDay(b.startDate)) out.push({ field: 'start_date', message: 'Choose a start date.' });
  if (!validDay(b.endDate)) out.push({ field: 'end_date', message: 'Choose an end date.' });
  else if (validDay(b.startDate) && b.endDate < b.startDate) out.push({ field: 'end_date', message: 'The end date must not be before the start date.' });
  return out;
}

function type(state: WizardState): Problem[] {
  return state.kind ? [] : [{ field: 'experiment_type', message: 'Choose the type of experiment: an A/B test or a bandit.' }];
}

function participants(state: WizardState, ctx: ValidationContext): Problem[] {
  if (isBanditKind(state.kind)) return banditSourceProblems(state, ctx);
  const s = state.source;
  if (!s.datasourceId) return [{ field: 'datasource', message: 'Choose a datasource.' }];
  if (s.mode === 'participant_type' && !s.participantType) return [{ field: 'participant_type', message: 'Choose a participant type.' }];
  if (s.mode === 'table') {
    if (!s.tableName) return [{ field: 'table_name', message: 'Choose a table.' }];
    if (!s.primaryKey) return [{ field: 'primary_key', message: 'Choose the column that identifies each participant.' }];
  }
  if (!ctx.catalog) return [{ field: 'participants', message: 'Wait for the fields of the chosen participants to load.' }];
  if (!ctx.catalog.primaryKey) return [{ field: 'participant_type', message: 'This participant type has no unique id field; mark one on its datasource page.' }];
  return [];
}

function arms(state: WizardState): Problem[] {
  const out: Problem[] = [];
  if (state.arms.length < MIN_ARMS) out.push({ field: 'arms', message: `An experiment needs at least ${MIN_ARMS} arms.` });
  if (state.arms.length > MAX_ARMS) out.push({ field: 'arms', message: `An experiment can have at most ${MAX_ARMS} arms.` });
  const seen = new Map<string, number>();
  state.arms.forEach((a, i) => {
    const name = a.name.trim();
    if (name === '') out.push({ field: `arms.${i}.arm_name`, message: `Name arm ${i + 1}.` });
    else if (name.length > 100) out.push({ field: `arms.${i}.arm_name`, message: `The name of arm ${i + 1} is longer than 100 characters.` });
    else if (seen.has(name.toLowerCase())) out.push({ field: `arms.${i}.arm_name`, message: `Arm ${i + 1} has the same name as arm ${(seen.get(name.toLowerCase()) ?? 0) + 1}.` });
    else seen.set(name.toLowerCase(), i);
    if (a.description.length > 2000) out.push({ field: `arms.${i}.arm_description`, message: `The description of arm ${i + 1} is longer than 2,000 characters.` });
  });
  const bandit = isBanditKind(state.kind);
  if (state.useWeights) {
    const what = bandit ? 'chance' : 'weight';
    state.arms.forEach((a, i) => {
      const w = parseNumber(a.weight);
      if (w === null || w <= 0 || w >= 100) out.push({ field: `arms.${i}.arm_weight`, message: `The ${what} of arm ${i + 1} must be a number above 0 and below 100.` });
    });
    const sum = weightSum(state);
    if (sum !== null && Math.abs(sum - 100) > 1e-6) out.push({ field: 'arms', message: weightMessage(sum, bandit ? 'chances' : 'weights') });
  } else if (bandit) {
    out.push(...armPriorProblems(state));
  }
  return out;
}

/** The sum of the typed weights, or null while one of them is not a number. */
export function weightSum(state: WizardState): number | null {
  let sum = 0;
  for (const a of state.arms) {
    const w = parseNumber(a.weight);
    if (w === null) return null;
    sum += w;
  }
  return Math.round(sum * 1e6) / 1e6;
}

/** The live line under the weights (a bandit's chances of winning): what they add up to and what is left. */
export function weightMessage(sum: number | null, noun: 'weights' | 'chances' = 'weights'): string {
  if (sum === null) return `Every ${noun === 'weights' ? 'weight' : 'chance'} must be a number.`;
  if (Math.abs(sum - 100) <= 1e-6) return `The ${noun} add up to 100%.`;
  const diff = Math.round(Math.abs(100 - sum) * 1e6) / 1e6;
  return sum < 100 ? `The ${noun} add up to ${sum}%; add ${diff}% more to reach 100%.` : `The ${noun} add up to ${sum}%; remove ${diff}% to get to 100%.`;
}

function filters(state: WizardState, ctx: ValidationContext): Problem[] {
  const out: Problem[] = [];
  if (state.filters.length > MAX_FILTERS) out.push({ field: 'filters', message: `At most ${MAX_FILTERS} filters.` });
  state.filters.forEach((f, i) => {
    const field = ctx.catalog?.filters.find((c) => c.name === f.field);
    if (!f.field) {
      out.push({ field: `filters.${i}.field_name`, message: `Choose the field of filter ${i + 1}.` });
      return;
    }
    if (!field) {
      out.push({ field: `filters.${i}.field_name`, message: `Filter ${i + 1}: '${f.field}' cannot be filtered on in this table.` });
      return;
    }
    if (!operatorsFor(field.type).includes(f.op) || familyOf(field.type) === 'unsupported') {
      out.push({ field: `filters.${i}.relation`, message: `Filter ${i + 1}: choose how to compare ${f.field}.` });
      return;
    }
    const problems = filterValueProblems(f, field.type);
    const first = problems.values ?? problems.low ?? problems.high;
    if (first) out.push({ field: `filters.${i}.value`, message: `Filter ${i + 1} (${f.field}): ${first}` });
  });
  return out;
}

function strata(state: WizardState, ctx: ValidationContext): Problem[] {
  if (state.kind !== 'freq_preassigned') return [];
  const known = new Set(ctx.catalog?.strata.map((f) => f.name) ?? []);
  const out: Problem[] = [];
  state.strata.forEach((s, i) => {
    if (!known.has(s)) out.push({ field: `strata.${i}.field_name`, message: `'${s}' cannot be a stratum of this table; remove it.` });
  });
  return out;
}

function metrics(state: WizardState, ctx: ValidationContext): Problem[] {
  const out: Problem[] = [];
  if (state.metrics.length === 0) out.push({ field: 'metrics', message: 'Add at least one metric: the outcome the experiment should change.' });
  const seen = new Set<string>();
  state.metrics.forEach((m, i) => {
    if (!m.field) out.push({ field: `metrics.${i}.field_name`, message: `Choose the field of metric ${i + 1}.` });
    else if (!ctx.catalog?.metrics.some((f) => f.name === m.field)) out.push({ field: `metrics.${i}.field_name`, message: `'${m.field}' is not a numeric or yes/no field of this table.` });
    else if (seen.has(m.field)) out.push({ field: `metrics.${i}.field_name`, message: `${m.field} is already a metric.` });
    seen.add(m.field);
    const mde = parseNumber(m.mde);
    if (mde === null) out.push({ field: `metrics.${i}.metric_pct_change`, message: `Enter the minimum effect of metric ${i + 1} as a percent change, e.g. 10 or 2.5.` });
    else if (mde === 0) out.push({ field: `metrics.${i}.metric_pct_change`, message: `The minimum effect of metric ${i + 1} cannot be 0%.` });
    else if (mde <= -100) out.push({ field: `metrics.${i}.metric_pct_change`, message: `A decrease of metric ${i + 1} cannot be 100% or more.` });
  });
  const power = parseNumber(state.powerPct);
  if (power === null || power < 50 || power >= 100) out.push({ field: 'power', message: 'Power must be a percentage from 50 to 99.9.' });
  const confidence = parseNumber(state.confidencePct);
  if (confidence === null || confidence < 50 || confidence >= 100) out.push({ field: 'alpha', message: 'Confidence must be a percentage from 50 to 99.9.' });
  if (out.length > 0) return out;

  const power_ = currentPower(state, ctx.catalog);
  if (state.kind === 'freq_preassigned') {
    if (state.sampleChoice === 'custom') {
      const n = parseWholeNumber(state.customN);
      if (n === null) out.push({ field: 'desired_n', message: 'Enter how many participants to assign, as a whole number.' });
      else if (n < state.arms.length) out.push({ field: 'desired_n', message: `Assign at least one participant per arm (${state.arms.length}).` });
    } else if (!power_) {
      out.push({ field: 'desired_n', message: 'Check power to work out the sample size, or enter a custom number.' });
    } else {
      const n = resolveDesiredN(state, power_);
      if (n === null || n < state.arms.length) out.push({ field: 'desired_n', message: 'The power check gave no usable sample size for this choice; pick another option or enter a custom number.' });
    }
  } else if (state.onlineTarget.trim() !== '' || state.stopAtTarget) {
    const n = parseWholeNumber(state.onlineTarget);
    if (n === null || n < 1) out.push({ field: 'desired_n', message: state.stopAtTarget ? 'Enter the target sample size to stop at, as a whole number.' : 'The target sample size must be a whole number.' });
  }
  return out;
}

export function validateStep(step: StepId, state: WizardState, ctx: ValidationContext): Problem[] {
  switch (step) {
    case 'basics':
      return basics(state);
    case 'type':
      return type(state);
    case 'participants':
      return participants(state, ctx);
    case 'contexts':
      return contextProblems(state);
    case 'outcomes':
      return outcomeProblems(state, ctx);
    case 'arms':
      return arms(state);
    case 'filters':
      return filters(state, ctx);
    case 'strata':
      return strata(state, ctx);
    case 'metrics':
      return metrics(state, ctx);
  }
}

/**
 * The first step that is not done (every step before it is), i.e. the furthest the step list lets the user
 * jump; the design is complete when it returns null.
 */
export function firstIncompleteStep(state: WizardState, ctx: ValidationContext): StepId | null {
  for (const s of stepsFor(state.kind)) if (validateStep(s.id, state, ctx).length > 0) return s.id;
  return null;
}

/** Whether the step list may jump to `step`: every step before it is valid. */
export function canReach(step: StepId, state: WizardState, ctx: ValidationContext): boolean {
  for (const s of stepsFor(state.kind)) {
    if (s.id === step) return true;
    if (validateStep(s.id, state, ctx).length > 0) return false;
  }
  return false;
}
