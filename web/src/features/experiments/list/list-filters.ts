/**
 * The experiments list's filters: what the screen shows, how they sit in the address (so a reload, a shared
 * link or Back keeps them) and the admin API query they become. Pure, so the round trip is unit-tested.
 *
 * Address form, short and readable: `?q=reminder&status=drafts&type=bandits&ds=ds_…`. Defaults are left out,
 * and unknown values read as the default, so an edited or outdated link still opens a working list.
 */
import type { ExperimentState, ExperimentType } from '../api-types.ts';
import { BANDIT_KINDS } from '../bandit-design.ts';

/** The status choices, each a set of lifecycle states; the first is the default. */
export const STATUS_CHOICES = [
  { value: 'current', label: 'Drafts and committed', states: ['assigned', 'committed'] },
  { value: 'drafts', label: 'Drafts only', states: ['assigned'] },
  { value: 'committed', label: 'Committed only', states: ['committed'] },
  { value: 'abandoned', label: 'Abandoned only', states: ['abandoned'] },
  { value: 'all', label: 'Every status, abandoned too', states: ['assigned', 'committed', 'abandoned'] },
] as const satisfies readonly { value: string; label: string; states: readonly ExperimentState[] }[];

export type StatusChoice = (typeof STATUS_CHOICES)[number]['value'];


/** The type choices: every type, one type, or every bandit kind at once. */
export const TYPE_CHOICES = [
  { value: '', label: 'Every type', types: [] },
  { value: 'freq_preassigned', label: 'Preassigned A/B', types: ['freq_preassigned'] },
  { value: 'freq_online', label: 'Online A/B', types: ['freq_online'] },
  { value: 'bandits', label: 'Any bandit', types: BANDIT_KINDS },
  { value: 'mab_online', label: 'Bandit', types: ['mab_online'] },
  { value: 'mab_online_dwh', label: 'Bandit (warehouse)', types: ['mab_online_dwh'] },
  { value: 'cmab_online', label: 'Contextual bandit', types: ['cmab_online'] },
] as const satisfies readonly { value: string; label: string; types: readonly ExperimentType[] }[];

export type TypeChoice = (typeof TYPE_CHOICES)[number]['value'];

export interface ListFilters {
  /** Words looked for in names and descriptions; trimmed. */
  readonly search: string;
  readonly status: StatusChoice;
  readonly type: TypeChoice;
  /** A datasource id, or '' for every datasource. */
  readonly datasource: string;
}

export const DEFAULT_FILTERS: ListFilters = { search: '', status: 'current', type: '', datasource: '' };

/** The API's `search` parameter is capped at 100 characters; longer text is cut rather than refused. */
export const SEARCH_MAX_LENGTH = 100;

function oneOf<T extends string>(value: string | null, choices: readonly { value: T }[], fallback: T): T {
  return choices.find((c) => c.value === value)?.value ?? fallback;
}

export function filtersFromParams(params: URLSearchParams): ListFilters {
  return {
    search: (params.get('q') ?? '').trim().slice(0, SEARCH_MAX_LENGTH),
    status: oneOf(params.get('status'), STATUS_CHOICES, DEFAULT_FILTERS.status),
    type: oneOf(params.get('type'), TYPE_CHOICES, DEFAULT_FILTERS.type),
    datasource: params.get('ds') ?? '',
  };
}

/** The address query for these filters, defaults left out (so the plain list is plain `/experiments`). */
export function paramsFromFilters(filters: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search) params.set('q', filters.search);
  if (filters.status !== DEFAULT_FILTERS.status) params.set('status', filters.status);
  if (filters.type) params.set('type', filters.type);
  if (filters.datasource) params.set('ds', filters.datasource);
  return params;
}

export function isFiltered(filters: ListFilters): boolean {
  return paramsFromFilters(filters).toString() !== '';
}

export interface ExperimentListQuery {
  readonly page_size: number;
  readonly page_token?: string | undefined;
  readonly state: readonly ExperimentState[];
  readonly experiment_type: readonly ExperimentType[];
  readonly search?: string | undefined;
  readonly datasource_id?: string | undefined;
}

/** The query of `GET /v1/m/organizations/{org}/experiments` for one page of these filters. */
export function apiQuery(filters: ListFilters, pageSize: number, pageToken?: string): ExperimentListQuery {
  const status = STATUS_CHOICES.find((c) => c.value === filters.status) ?? STATUS_CHOICES[0];
  const type = TYPE_CHOICES.find((c) => c.value === filters.type) ?? TYPE_CHOICES[0];
  return {
    page_size: pageSize,
    page_token: pageToken,
    state: status.states,
    experiment_type: type.types,
    search: filters.search || undefined,
    datasource_id: filters.datasource || undefined,
  };
}

/** "3 experiments" / "1 experiment". */
export function experimentCount(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'experiment' : 'experiments'}`;
}

/**
 * The count line under the table: how many there are in all, which of them this page shows, and (for the
 * default view) that abandoned drafts are left out, so nobody wonders where theirs went.
 */
export function countLine(filters: ListFilters, total: number, firstIndex: number, shown: number): string {
  const range = shown > 0 && shown < total ? ` Showing ${(firstIndex + 1).toLocaleString('en-US')}–${(firstIndex + shown).toLocaleString('en-US')}.` : '';
  if (isFiltered(filters)) return `${experimentCount(total)} ${total === 1 ? 'matches' : 'match'} the filters.${range}`;
  return `${experimentCount(total)}, drafts and committed; abandoned drafts are not listed.${range}`;
}
