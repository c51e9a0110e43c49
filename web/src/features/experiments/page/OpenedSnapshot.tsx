/**
 * A stored snapshot opened "as of" its time, for the A/B results and the bandit's numbers alike: loading,
 * a snapshot that no longer exists (deleted, or an old address), one still being computed (followed until
 * it is done), one that failed or holds another kind of analysis, and otherwise the "As of" note, the
 * section's own view of the stored data and that snapshot's download. Focus moves to the section title
 * once the outcome is on screen, if the person asked for the change.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../../../api/errors.ts';
import { Callout, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { useFocusTitle, type TitleFocus } from './open-snapshot.ts';
import type { Snapshot } from './results/analysis-types.ts';
import { useSnapshot } from './results/queries.ts';
import { ResultsDownload } from './results/ResultsDownload.tsx';
import { snapshotTime } from './snapshot-words.ts';

export interface OpenedSnapshotWords {
  /** What the section shows: "results" or "numbers". */
  readonly contents: string;
  /** Where the other snapshots are listed: "history" or "list". */
  readonly list: string;
  /** The sentence under "As of …". */
  readonly stored: string;
  /** What a stored analysis of the wrong kind is called, for the rare mismatch. */
  readonly kind: string;
}

export function OpenedSnapshot<T extends Snapshot['data']>({
  organizationId,
  ds,
  exp,
  snapshotId,
  focus,
  words,
  holds,
  downloadContents,
  children,
}: {
  organizationId: string;
  ds: string;
  exp: string;
  snapshotId: string;
  focus: TitleFocus;
  words: OpenedSnapshotWords;
  /** Whether the stored data is the analysis this section draws. */
  holds: (data: Snapshot['data']) => data is T;
  downloadContents?: string;
  children: (data: T, takenAt: string) => ReactNode;
}) {
  const snapshot = useSnapshot(organizationId, ds, exp, snapshotId);
  useFocusTitle(focus, !snapshot.isPending);
  if (snapshot.isPending) return <Loading label="Loading the snapshot…" />;
  if (snapshot.isError) {
    return snapshot.error instanceof ApiError && snapshot.error.status === 404 ? (
      <Callout tone="warning" title="This snapshot no longer exists">
        <p>
          It may have been deleted. Go back to the live {words.contents}, or open another snapshot from the {words.list} below.
        </p>
      </Callout>
    ) : (
      <ErrorCallout title="The snapshot could not be loaded" error={snapshot.error} onRetry={() => void snapshot.refetch()} />
    );
  }
  const s = snapshot.data.snapshot;
  if (s.status === 'running') return <Loading label={`This snapshot is still being computed; its ${words.contents} appear here when the worker is done…`} />;
  if (s.status === 'failed' || !holds(s.data)) {
    return (
      <Callout tone="warning" title={`This snapshot has no ${words.contents}`}>
        <p>{s.status === 'failed' ? (s.details?.message ?? 'It failed without a message.') : `It holds no ${words.kind}.`}</p>
      </Callout>
    );
  }
  return (
    <div className="stack">
      <Callout tone="info" title={`As of ${snapshotTime(s.created_at)}`}>
        <p>{words.stored}</p>
      </Callout>
      {children(s.data, s.created_at)}
      <ResultsDownload datasourceId={ds} experimentId={exp} source={{ kind: 'snapshot', snapshotId: s.id }} {...(downloadContents !== undefined && { contents: downloadContents })} />
    </div>
  );
}
