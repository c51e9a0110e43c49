/**
 * A 422 from creating an experiment or checking its power, sorted to where the user can fix it: each
 * `loc` under `design_spec` names a wizard field (the same keys `validation.ts` uses) on a known step, and
 * the wizard goes to the first such step. Problems with no field (or unknown paths) stay general and are
 * shown at the top of the step. Bandit designs add their own fields (contexts, outcome and autofail
 * settings, priors on arms: `arms.0.alpha_init`); a field on a step the kind does not have stays general.
 */
import type { FieldProblem } from '../../../api/errors.ts';
import { stepsFor, type ExperimentKind, type StepId } from './state.ts';

export interface PlacedErrors {
  /** Message per wizard field key (`arms.0.arm_name`, `filters.2.value`, `desired_n`…). */
  readonly byField: Readonly<Record<string, string>>;
  /** Problems that belong to no field, in words. */
  readonly general: readonly string[];
  /** The earliest step holding a field problem, or null. */
  readonly step: StepId | null;
}

const STEP_OF: Record<string, StepId> = {
  experiment_name: 'basics',
  description: 'basics',
  design_url: 'basics',
  start_date: 'basics',
  end_date: 'basics',
  webhooks: 'basics',
  experiment_type: 'type',
  table_name: 'participants',
  primary_key: 'participants',
  cluster_key: 'participants',
  arms: 'arms',
  filters: 'filters',
  strata: 'strata',
  metrics: 'metrics',
  desired_n: 'metrics',
  desired_n_clusters: 'metrics',
  power: 'metrics',
  alpha: 'metrics',
  fstat_thresh: 'metrics',
  assignment_mode: 'type',
  stop_at_desired_n: 'metrics',
  // Bandits: the outcome column sits with the datasource; priors sit with the arms they belong to.
  target_field_name: 'participants',
  contexts: 'contexts',
  reward_type: 'outcomes',
  enable_autofail: 'outcomes',
  autofail_window: 'outcomes',
  autofail_outcome_value: 'outcomes',
  prior_type: 'arms',
};

/**
 * The wizard key for a server path (already without `body`): `design_spec.filters.0.value.1` →
 * `filters.0.value` (a filter's values are edited together), `webhooks.0` → `webhooks`.
 */
export function wizardKeyOf(path: string): string | null {
  const parts = path.split('.').filter((p) => p !== '');
  if (parts[0] === 'webhooks') return 'webhooks';
  if (parts[0] !== 'design_spec') return null;
  const rest = parts.slice(1);
  const head = rest[0];
  if (!head || !(head in STEP_OF)) return null;
  return rest.slice(0, 3).join('.');
}

export function stepOfKey(key: string): StepId | null {
  return STEP_OF[key.split('.')[0] ?? ''] ?? null;
}

export function placeServerErrors(fields: readonly FieldProblem[], kind: ExperimentKind | null): PlacedErrors {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  const order = stepsFor(kind).map((s) => s.id);
  let step: StepId | null = null;
  for (const f of fields) {
    const key = wizardKeyOf(f.path);
    const s = key ? stepOfKey(key) : null;
    if (!key || !s || !order.includes(s)) {
      general.push(f.path ? `${f.path}: ${f.message}` : f.message);
      continue;
    }
    byField[key] = byField[key] ? `${byField[key]} ${f.message}` : f.message;
    if (step === null || order.indexOf(s) < order.indexOf(step)) step = s;
  }
  return { byField, general, step };
}
