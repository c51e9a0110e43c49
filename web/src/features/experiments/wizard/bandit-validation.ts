/**
 * The bandit steps' problems, in words, keyed like the server's 422 paths under `design_spec`
 * (`arms.0.alpha_init`, `contexts.1.context_name`, `autofail_window`, `target_field_name`), so client and
 * server problems land next to the same input. The rules mirror `src/domain/bandit-design-spec.ts`; the
 * ones only the live warehouse can check (the outcome column's type) are checked again by the server.
 */
import { priorTypeOf, rewardTypeOfColumn } from './bandit-spec.ts';
import { parseNumber, parseWholeNumber } from './design-spec.ts';
import { isBanditKind, MAX_CONTEXTS, type WizardState } from './state.ts';
import type { Problem, ValidationContext } from './validation.ts';

/** Longest autofail wait the wizard accepts: a year. Longer would never fire during an experiment. */
export const MAX_AUTOFAIL_HOURS = 8760;

/**
 * Datasource step: any datasource will do, except that a warehouse bandit needs its table, id and outcome
 * column, either chosen one by one or taken from a participant type (which fills in the table and id).
 */
export function banditSourceProblems(state: WizardState, ctx: ValidationContext): Problem[] {
  const s = state.source;
  if (!s.datasourceId) return [{ field: 'datasource', message: 'Choose a datasource.' }];
  if (state.kind !== 'mab_online_dwh') return [];
  if (s.mode === 'participant_type') {
    if (!s.participantType) return [{ field: 'participant_type', message: 'Choose a participant type, or a table.' }];
    if (!s.tableName) return [{ field: 'participant_type', message: 'Wait for the participant type to load.' }];
    if (!s.primaryKey) return [{ field: 'participant_type', message: 'This participant type has no unique id field; mark one on its datasource page, or choose a table.' }];
  }
  if (!s.tableName) return [{ field: 'table_name', message: 'Choose the table that holds the outcomes.' }];
  if (!s.primaryKey) return [{ field: 'primary_key', message: 'Choose the column that identifies each participant.' }];
  const target = state.bandit.targetField;
  if (!target) return [{ field: 'target_field_name', message: 'Choose the column that holds the outcome.' }];
  if (target === s.primaryKey) return [{ field: 'target_field_name', message: 'The outcome column cannot be the id column.' }];
  if (!ctx.catalog) return [{ field: 'participants', message: 'Wait for the columns of the table to load.' }];
  if (!rewardTypeOfColumn(ctx.catalog, target)) {
    const offered = s.mode === 'participant_type' ? 'an outcome column this participant type offers' : 'a yes/no or number column of this table';
    return [{ field: 'target_field_name', message: `'${target}' is not ${offered}.` }];
  }
  return [];
}

export function contextProblems(state: WizardState): Problem[] {
  const out: Problem[] = [];
  if (state.contexts.length === 0) out.push({ field: 'contexts', message: 'Add at least one context.' });
  if (state.contexts.length > MAX_CONTEXTS) out.push({ field: 'contexts', message: `A contextual bandit can have at most ${MAX_CONTEXTS} contexts.` });
  const seen = new Map<string, number>();
  state.contexts.forEach((c, i) => {
    const name = c.name.trim();
    if (name === '') out.push({ field: `contexts.${i}.context_name`, message: `Name context ${i + 1}.` });
    else if (name.length > 100) out.push({ field: `contexts.${i}.context_name`, message: `The name of context ${i + 1} is longer than 100 characters.` });
    else if (seen.has(name.toLowerCase())) out.push({ field: `contexts.${i}.context_name`, message: `Context ${i + 1} has the same name as context ${(seen.get(name.toLowerCase()) ?? 0) + 1}.` });
    else seen.set(name.toLowerCase(), i);
    if (c.description.length > 2000) out.push({ field: `contexts.${i}.context_description`, message: `The description of context ${i + 1} is longer than 2,000 characters.` });
  });
  return out;
}

export function outcomeProblems(state: WizardState, ctx: ValidationContext): Problem[] {
  const b = state.bandit;
  const out: Problem[] = [];
  if (state.kind === 'mab_online_dwh') {
    const fixed = rewardTypeOfColumn(ctx.catalog, b.targetField);
    if (fixed && fixed !== b.rewardType) out.push({ field: 'reward_type', message: `The column ${b.targetField} decides the type of outcome; choose it again on the Datasource step.` });
  }
  if (!b.autofail) return out;
  const hours = parseWholeNumber(b.autofailWindow);
  if (hours === null || hours < 1 || hours > MAX_AUTOFAIL_HOURS) {
    out.push({ field: 'autofail_window', message: `Enter how many hours to wait, as a whole number from 1 to ${MAX_AUTOFAIL_HOURS.toLocaleString('en-US')}.` });
  }
  const value = parseNumber(b.autofailValue);
  if (b.rewardType === 'binary') {
    if (value !== 0 && value !== 1) out.push({ field: 'autofail_outcome_value', message: 'For yes/no outcomes, count a missing outcome as a failure (0) or a success (1).' });
  } else if (value === null) {
    out.push({ field: 'autofail_outcome_value', message: 'Enter the outcome to count, as a number (e.g. 0).' });
  }
  return out;
}

/** Explicit priors: Beta α and β above 0, or a Normal μ (any number) and σ above 0. */
export function armPriorProblems(state: WizardState): Problem[] {
  if (!isBanditKind(state.kind)) return [];
  const beta = priorTypeOf(state.kind, state.bandit.rewardType) === 'beta';
  const out: Problem[] = [];
  const positive = (text: string) => {
    const n = parseNumber(text);
    return n !== null && n > 0;
  };
  state.arms.forEach((a, i) => {
    if (beta) {
      if (!positive(a.alpha)) out.push({ field: `arms.${i}.alpha_init`, message: `α of arm ${i + 1} must be a number above 0.` });
      if (!positive(a.beta)) out.push({ field: `arms.${i}.beta_init`, message: `β of arm ${i + 1} must be a number above 0.` });
    } else {
      if (parseNumber(a.mu) === null) out.push({ field: `arms.${i}.mu_init`, message: `μ of arm ${i + 1} must be a number.` });
      if (!positive(a.sigma)) out.push({ field: `arms.${i}.sigma_init`, message: `σ of arm ${i + 1} must be a number above 0.` });
    }
  });
  return out;
}
