/**
 * The bandit section's reads and writes as TanStack queries: the history (polled every few seconds while the
 * experiment is live and the tab is visible — TanStack pauses interval refetches in hidden tabs — and never
 * faster than three times its last response time, so a bandit with millions of draws does not keep the
 * server busy), and the contextual bandit's analysis at typed context values. Keys sit under the experiment area's prefix, so
 * commit, stop and resume refresh them too.
 */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../../api/client.ts';
import { ApiError } from '../../../../api/errors.ts';
import { experimentPath } from '../../queries.ts';
import type { BanditAnalysis, BanditHistory, BucketChoice } from './bandit-types.ts';

export const LIVE_POLL_MS = 3000;

export const banditKeys = {
  history: (ds: string, exp: string, bucket: BucketChoice) => ['experiments-area', 'bandit-history', ds, exp, bucket] as const,
};

export interface TimedHistory {
  readonly history: BanditHistory;
  /** How long the server took: the poll waits at least three times that. */
  readonly fetchMs: number;
}

export function useBanditHistory(ds: string, exp: string, bucket: BucketChoice, options: { live: boolean; enabled?: boolean }) {
  return useQuery({
    queryKey: banditKeys.history(ds, exp, bucket),
    queryFn: async (): Promise<TimedHistory> => {
      const started = performance.now();
      const history = await api.get<BanditHistory>(`${experimentPath(ds, exp)}/bandit_history`, { bucket });
      return { history, fetchMs: performance.now() - started };
    },
    enabled: options.enabled ?? true,
    refetchInterval: options.live ? (q) => Math.max(LIVE_POLL_MS, 3 * (q.state.data?.fetchMs ?? 0)) : false,
    placeholderData: keepPreviousData,
    // A 422 (a bucket too short for the history) will not fix itself by asking again.
    retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status === 422),
  });
}

export interface ContextInput {
  readonly context_id: string;
  readonly context_value: number;
}

export function useCmabPrediction(ds: string, exp: string) {
  return useMutation({
    mutationFn: (inputs: readonly ContextInput[]) => api.post<BanditAnalysis>(`${experimentPath(ds, exp)}/analyze_cmab`, { context_inputs: inputs }),
  });
}
