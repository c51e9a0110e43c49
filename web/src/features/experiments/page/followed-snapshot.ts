/**
 * "Take a snapshot now", followed: the mutation, the snapshot it created (polled while the worker computes
 * it) and a refresh of the list once it settles. The list polls only while it knows of a running snapshot
 * and may have been fetched before the new one existed, so only the status change matters.
 */
import { useEffect, useState } from 'react';
import { useSnapshot } from './results/queries.ts';
import { useTakeSnapshot } from './snapshot-queries.ts';

export function useFollowedSnapshot(organizationId: string, ds: string, exp: string, refreshList: () => unknown) {
  const take = useTakeSnapshot(organizationId, ds, exp);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const pending = useSnapshot(organizationId, ds, exp, pendingId);
  const status = pending.data?.snapshot.status;
  useEffect(() => {
    if (status && status !== 'running') void refreshList();
    // refreshList is a new function each render; the status change alone decides.
  }, [status]);
  return {
    take,
    pendingId,
    pending,
    busy: take.isPending || status === 'running',
    start: () => {
      take.reset();
      take.mutate(undefined, { onSuccess: ({ id }) => setPendingId(id) });
    },
    /** Forget the followed snapshot (it was deleted). */
    forget: (id: string) => setPendingId((current) => (current === id ? null : current)),
  };
}
