/**
 * The results section's reads and writes, as TanStack queries: the live analysis (slow, so cached for a
 * few minutes and never refetched on focus), one snapshot (the list, taking and deleting are
 * `../snapshot-queries.ts`, shared with the bandit section), and the results download. Keys sit under `experiment-results`,
 * so the experiment page's own invalidations (commit, stop) do not re-run the analysis.
 */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, downloadFile, withQuery } from '../../../../api/client.ts';
import { experimentPath } from '../../queries.ts';
import { SNAPSHOT_POLL_MS, snapshotsPath } from '../snapshot-queries.ts';
import type { FreqAnalysis, LiveOptions, Snapshot } from './analysis-types.ts';

const enc = encodeURIComponent;
const ANALYSIS_STALE_MS = 5 * 60_000;

export const resultKeys = {
  all: ['experiment-results'] as const,
  analysis: (ds: string, exp: string, o: LiveOptions) => ['experiment-results', 'analysis', ds, exp, o.baselineArmId ?? null, o.adjust ?? null, o.inference ?? null] as const,
  // Not under the list's key: refreshing the list must not refetch single snapshots (a deleted one would 404).
  snapshot: (ds: string, exp: string, id: string) => ['experiment-results', 'snapshot', ds, exp, id] as const,
};

function liveQuery(o: LiveOptions) {
  return { baseline_arm_id: o.baselineArmId, adjust: o.adjust, inference: o.inference };
}

export function useLiveAnalysis(ds: string, exp: string, options: LiveOptions, enabled: boolean) {
  return useQuery({
    queryKey: resultKeys.analysis(ds, exp, options),
    queryFn: () => api.get<FreqAnalysis>(`${experimentPath(ds, exp)}/analyze`, liveQuery(options)),
    enabled,
    staleTime: ANALYSIS_STALE_MS,
    refetchOnWindowFocus: false,
    // Changing the baseline, the adjustment or the inference keeps the old numbers on screen (marked as updating) until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

export function useSnapshot(organizationId: string, ds: string, exp: string, id: string | null) {
  return useQuery({
    queryKey: resultKeys.snapshot(ds, exp, id ?? ''),
    queryFn: () => api.get<{ snapshot: Snapshot }>(`${snapshotsPath(organizationId, ds, exp)}/${enc(id ?? '')}`),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.snapshot.status === 'running' ? SNAPSHOT_POLL_MS : false),
  });
}

export type DownloadFormat = 'csv' | 'json';

/** What a download serves: the live analysis with its options, or one snapshot. */
export type DownloadSource = { readonly kind: 'live'; readonly options: LiveOptions } | { readonly kind: 'snapshot'; readonly snapshotId: string };

export function resultsDownloadPath(ds: string, exp: string, source: DownloadSource, format: DownloadFormat): string {
  const query = source.kind === 'live' ? { format, ...liveQuery(source.options) } : { format, snapshot_id: source.snapshotId };
  return withQuery(`${experimentPath(ds, exp)}/results`, query);
}

export function useResultsDownload(ds: string, exp: string, source: DownloadSource) {
  return useMutation({
    mutationFn: async (format: DownloadFormat) => ({
      format,
      bytes: await downloadFile(resultsDownloadPath(ds, exp, source, format), `experiment_${exp}_results.${format}`),
    }),
  });
}
