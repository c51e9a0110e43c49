/**
 * Editing a committed experiment's registry entry (`PATCH …/experiments/{id}`): the form as typed, what is
 * wrong with it (keyed by the API's field names, so the server's 422s land on the same inputs), and the
 * patch holding only what changed — an untouched date is not re-sent, so an end date set by an API client
 * to midnight is not silently moved to the end of that day.
 */
import type { ExperimentConfig } from '../api-types.ts';
import { endOfDay, startOfDay, utcDay } from '../status.ts';
import { isHttpUrl } from '../wizard/validation.ts';

export type Impact = '' | 'high' | 'medium' | 'low' | 'negative' | 'unclear';

export interface RegistryForm {
  readonly name: string;
  readonly description: string;
  readonly design_url: string;
  readonly start_date: string;
  readonly end_date: string;
  readonly decision: string;
  readonly impact: Impact;
}

export const IMPACTS: ReadonlyArray<{ value: Impact; label: string }> = [
  { value: '', label: 'Not decided yet' },
  { value: 'high', label: 'High: a clear, important improvement' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low: small or uncertain improvement' },
  { value: 'negative', label: 'Negative: made things worse' },
  { value: 'unclear', label: 'Unclear: the result does not say' },
];

export function registryFormOf(config: ExperimentConfig): RegistryForm {
  const d = config.design_spec;
  return {
    name: d.experiment_name,
    description: d.description ?? '',
    design_url: d.design_url ?? '',
    start_date: utcDay(d.start_date),
    end_date: utcDay(d.end_date),
    decision: config.decision,
    impact: (IMPACTS.some((i) => i.value === config.impact) ? config.impact : '') as Impact,
  };
}

export function registryProblems(form: RegistryForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (form.name.trim() === '') out.name = 'Give the experiment a name.';
  else if (form.name.trim().length > 100) out.name = 'The name is longer than 100 characters.';
  if (form.description.length > 2000) out.description = 'The description is longer than 2,000 characters.';
  if (form.design_url.trim() !== '' && !isHttpUrl(form.design_url.trim())) out.design_url = 'The design document URL must start with http:// or https://.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.start_date)) out.start_date = 'Choose a start date.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.end_date)) out.end_date = 'Choose an end date.';
  else if (!out.start_date && form.end_date < form.start_date) out.end_date = 'The end date must not be before the start date.';
  if (form.decision.length > 2000) out.decision = 'The decision is longer than 2,000 characters.';
  return out;
}

/** The PATCH body: only fields that differ from the stored experiment. */
export function registryPatch(config: ExperimentConfig, form: RegistryForm): Record<string, string> {
  const before = registryFormOf(config);
  const patch: Record<string, string> = {};
  if (form.name.trim() !== before.name) patch.name = form.name.trim();
  if (form.description !== before.description) patch.description = form.description;
  if (form.design_url.trim() !== before.design_url) patch.design_url = form.design_url.trim();
  if (form.start_date !== before.start_date) patch.start_date = startOfDay(form.start_date);
  if (form.end_date !== before.end_date) patch.end_date = endOfDay(form.end_date);
  if (form.decision !== before.decision) patch.decision = form.decision;
  if (form.impact !== before.impact) patch.impact = form.impact;
  return patch;
}
