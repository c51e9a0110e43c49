/**
 * A bandit snapshot opened in "How the arms are doing": the arms as the snapshot stored them, "as of" its
 * time, drawn by the same view as the live numbers, with the snapshot's own download. One still being
 * computed is followed until it is done; a failed one says why; one that does not exist (deleted, or an old
 * address) says so, and the section's button leads back to the live numbers.
 */
import { ApiError } from '../../../../api/errors.ts';
import { Callout, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import type { StoredBanditDesign } from '../../api-types.ts';
import { useFocusTitle, type TitleFocus } from '../open-snapshot.ts';
import { useSnapshot } from '../results/queries.ts';
import { ResultsDownload } from '../results/ResultsDownload.tsx';
import { snapshotTime } from '../snapshot-words.ts';
import { isBanditAnalysis } from './bandit-types.ts';
import { PosteriorView } from './PosteriorView.tsx';
import { downloadContents } from './posterior-words.ts';
import { snapshotArms } from './snapshot-arms.ts';

export function SnapshotArms({
  organizationId,
  ds,
  exp,
  snapshotId,
  design,
  focus,
}: {
  organizationId: string;
  ds: string;
  exp: string;
  snapshotId: string;
  design: StoredBanditDesign;
  focus: TitleFocus;
}) {
  const snapshot = useSnapshot(organizationId, ds, exp, snapshotId);
  useFocusTitle(focus, !snapshot.isPending);
  if (snapshot.isPending) return <Loading label="Loading the snapshot…" />;
  if (snapshot.isError) {
    return snapshot.error instanceof ApiError && snapshot.error.status === 404 ? (
      <Callout tone="warning" title="This snapshot does not exist">
        <p>It may have been deleted. Go back to the live numbers, or open another snapshot from the list below.</p>
      </Callout>
    ) : (
      <ErrorCallout title="The snapshot could not be loaded" error={snapshot.error} onRetry={() => void snapshot.refetch()} />
    );
  }
  const s = snapshot.data.snapshot;
  if (s.status === 'running') return <Loading label="This snapshot is still being computed; its numbers appear here when the worker is done…" />;
  if (s.status === 'failed' || !isBanditAnalysis(s.data)) {
    return (
      <Callout tone="warning" title="This snapshot has no numbers">
        <p>{s.status === 'failed' ? (s.details?.message ?? 'It failed without a message.') : 'It holds no bandit analysis.'}</p>
      </Callout>
    );
  }
  return (
    <div className="stack">
      <Callout tone="info" title={`As of ${snapshotTime(s.created_at)}`}>
        <p>These are the arms’ numbers stored when the snapshot was taken. They do not change as outcomes arrive.</p>
      </Callout>
      <PosteriorView view={snapshotArms(s.data, design, s.created_at)} design={design} />
      <ResultsDownload datasourceId={ds} experimentId={exp} source={{ kind: 'snapshot', snapshotId: s.id }} contents={downloadContents(design)} />
    </div>
  );
}
