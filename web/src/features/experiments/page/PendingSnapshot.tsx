/**
 * The snapshot someone just asked for, followed until the worker settles it: a status while it runs, the
 * reason if it failed, and a way to open it once it is there. Shared by the A/B and bandit snapshot lists.
 */
import { Button } from '../../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../../ui/Callout.tsx';
import type { useFollowedSnapshot } from './followed-snapshot.ts';
import { snapshotTime, type SnapshotStatus } from './snapshot-words.ts';

export interface PendingSnapshotState {
  readonly status: SnapshotStatus;
  readonly created_at: string;
  readonly details: { readonly message: string } | null;
}

/** What became of "Take a snapshot now": a refusal, a lost track, or the snapshot's progress. */
export function FollowedSnapshotStatus({ follow, openLabel, onOpen }: { follow: ReturnType<typeof useFollowedSnapshot>; openLabel: string; onOpen: (id: string) => void }) {
  const { take, pending, pendingId } = follow;
  return (
    <>
      {take.isError && <ErrorCallout title="No snapshot could be taken" error={take.error} />}
      {pendingId && pending.isError && <ErrorCallout title="Could not follow the new snapshot" error={pending.error} onRetry={() => void pending.refetch()} />}
      {pendingId && pending.data && <PendingSnapshot snapshot={pending.data.snapshot} openLabel={openLabel} onOpen={() => onOpen(pending.data.snapshot.id)} />}
    </>
  );
}

function PendingSnapshot({ snapshot, openLabel, onOpen }: { snapshot: PendingSnapshotState; openLabel: string; onOpen: () => void }) {
  if (snapshot.status === 'running') {
    return (
      <Callout tone="info" role="status" title="Taking a snapshot…">
        <p>The worker analyses the experiment in the background; this usually takes a few seconds. You can keep working.</p>
      </Callout>
    );
  }
  if (snapshot.status === 'failed') {
    return (
      <Callout tone="danger" title="The snapshot failed">
        <p>{snapshot.details?.message ?? 'No reason was recorded.'}</p>
        <p>If the warehouse was unreachable, check the datasource’s connection, then take another.</p>
      </Callout>
    );
  }
  return (
    <Callout tone="success" role="status" title={`Snapshot taken at ${snapshotTime(snapshot.created_at)}`}>
      <Button size="small" onClick={onOpen}>
        {openLabel}
      </Button>
    </Callout>
  );
}
