/**
 * The admin API reads of the experiment screens, as TanStack queries. Reads of other areas' resources sit
 * under that area's key prefix (`['datasources', org]`, `['datasource', id]`, `['webhooks', org]`), so the
 * datasources and webhooks screens' invalidations refresh them too; the trailing `experiments-area` keeps
 * them apart from those screens' own entries, whose shapes differ. Mutations here invalidate `experimentKeys`.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  ApiKeySummary,
  DatasourceSummary,
  ExperimentConfig,
  ExperimentForUi,
  ParticipantType,
  ParticipantTypeInspection,
  SampleCall,
  TableInspection,
  WebhookSummary,
} from './api-types.ts';
import type { ExperimentListQuery } from './list/list-filters.ts';

const enc = encodeURIComponent;

export const experimentKeys = {
  all: ['experiments-area'] as const,
  list: (org: string, query?: ExperimentListQuery) => (query ? (['experiments-area', 'list', org, query] as const) : (['experiments-area', 'list', org] as const)),
  one: (ds: string, exp: string) => ['experiments-area', 'experiment', ds, exp] as const,
};

/** One page of the organization list; `total` counts every match, over all pages. */
export interface ExperimentListPage {
  readonly items: ExperimentConfig[];
  readonly next_page_token: string;
  readonly total: number;
}

export function experimentPath(ds: string, exp: string): string {
  return `/v1/m/datasources/${enc(ds)}/experiments/${enc(exp)}`;
}

/** The UI address of an experiment's page. */
export function experimentPage(ds: string, exp: string): string {
  return `/datasources/${enc(ds)}/experiments/${enc(exp)}`;
}

/** A page of the organization's experiments (`list/list-filters.ts` builds the query); none: all of them. */
export function useOrganizationExperiments(organizationId: string, query?: ExperimentListQuery) {
  return useQuery({
    queryKey: experimentKeys.list(organizationId, query),
    queryFn: () => api.get<ExperimentListPage>(`/v1/m/organizations/${enc(organizationId)}/experiments`, query ? { ...query } : undefined),
    // The previous page stays on screen while the next loads, so paging and filtering do not flash a spinner.
    placeholderData: keepPreviousData,
  });
}

export function useExperiment(datasourceId: string, experimentId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: experimentKeys.one(datasourceId, experimentId),
    queryFn: () => api.get<ExperimentForUi>(experimentPath(datasourceId, experimentId)),
    enabled: options.enabled ?? true,
    // A preassignment that is still being written is worth watching until it is done.
    refetchInterval: (q) => (q.state.data?.config.assignment_progress?.status === 'running' ? 1000 : false),
  });
}

export function useOrganizationDatasources(organizationId: string) {
  return useQuery({
    queryKey: ['datasources', organizationId, 'experiments-area'],
    queryFn: () => api.get<{ items: DatasourceSummary[] }>(`/v1/m/organizations/${enc(organizationId)}/datasources`),
  });
}

export function useOrganizationWebhooks(organizationId: string) {
  return useQuery({
    queryKey: ['webhooks', organizationId, 'experiments-area'],
    queryFn: () => api.get<{ items: WebhookSummary[] }>(`/v1/m/organizations/${enc(organizationId)}/webhooks`),
  });
}

export function useParticipantTypes(datasourceId: string) {
  return useQuery({
    queryKey: ['datasource', datasourceId, 'participant-types', 'experiments-area'],
    queryFn: () => api.get<{ items: ParticipantType[] }>(`/v1/m/datasources/${enc(datasourceId)}/participants`),
    enabled: datasourceId !== '',
  });
}

/** Filters with their values or ranges (`expensive=true`: the warehouse lists distinct values), metrics, strata. */
export function useParticipantTypeInspection(datasourceId: string, participantType: string) {
  return useQuery({
    queryKey: ['datasource', datasourceId, 'participant-type', participantType, 'experiments-area'],
    queryFn: () => api.get<ParticipantTypeInspection>(`/v1/m/datasources/${enc(datasourceId)}/participants/${enc(participantType)}/inspect`, { expensive: true }),
    enabled: datasourceId !== '' && participantType !== '',
    staleTime: 60_000,
  });
}

export function useTables(datasourceId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['datasource', datasourceId, 'tables', 'experiments-area'],
    queryFn: () => api.get<{ tables: string[] }>(`/v1/m/datasources/${enc(datasourceId)}/inspect`),
    enabled: enabled && datasourceId !== '',
    staleTime: 60_000,
  });
}

export function useTableInspection(datasourceId: string, table: string) {
  return useQuery({
    queryKey: ['datasource', datasourceId, 'table', table, 'experiments-area'],
    queryFn: () => api.get<TableInspection>(`/v1/m/datasources/${enc(datasourceId)}/inspect/${enc(table)}`),
    enabled: datasourceId !== '' && table !== '',
    staleTime: 60_000,
  });
}

export function useSampleCalls(datasourceId: string, experimentId: string) {
  return useQuery({
    queryKey: ['experiments-area', 'sample-calls', datasourceId, experimentId],
    queryFn: () => api.get<{ calls: SampleCall[] } | null>(`${experimentPath(datasourceId, experimentId)}/sample-calls`),
  });
}

export function useApiKeys(datasourceId: string) {
  return useQuery({
    queryKey: ['datasource', datasourceId, 'apikeys', 'experiments-area'],
    queryFn: () => api.get<{ items: ApiKeySummary[] }>(`/v1/m/datasources/${enc(datasourceId)}/apikeys`),
  });
}
