/**
 * An experiment's snapshots, for the A/B results section and the bandit section alike: the list (polled
 * while the worker computes one), taking one and deleting one. One key per experiment, so whichever section
 * takes or deletes a snapshot refreshes the list. Single snapshots (`results/queries.ts`) live under another
 * key: refreshing the list must not refetch a snapshot that was just deleted (a 404).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';

const enc = encodeURIComponent;
export const SNAPSHOT_POLL_MS = 1000;
/** Enough for a quarter of 6-hourly snapshots; the lists say when there are more. */
export const SNAPSHOT_PAGE_SIZE = 400;

export const snapshotListKey = (ds: string, exp: string) => ['experiment-snapshots', ds, exp] as const;

export function snapshotsPath(organizationId: string, ds: string, exp: string): string {
  return `/v1/m/organizations/${enc(organizationId)}/datasources/${enc(ds)}/experiments/${enc(exp)}/snapshots`;
}

/** The latest page of snapshots; `T` is the page shape the section reads (A/B or bandit analyses). */
export function useSnapshotList<T extends { readonly items: readonly { readonly status: string }[] }>(organizationId: string, ds: string, exp: string, enabled = true) {
  return useQuery({
    queryKey: snapshotListKey(ds, exp),
    queryFn: () => api.get<T>(snapshotsPath(organizationId, ds, exp), { page_size: SNAPSHOT_PAGE_SIZE }),
    enabled,
    // The worker computes snapshots in the background (the scheduled ones too): watch until they settle.
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status === 'running') ? SNAPSHOT_POLL_MS : false),
  });
}

export function useTakeSnapshot(organizationId: string, ds: string, exp: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ id: string }>(snapshotsPath(organizationId, ds, exp)),
    onSuccess: () => client.invalidateQueries({ queryKey: snapshotListKey(ds, exp) }),
  });
}

export function useDeleteSnapshot(organizationId: string, ds: string, exp: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${snapshotsPath(organizationId, ds, exp)}/${enc(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: snapshotListKey(ds, exp) }),
  });
}
