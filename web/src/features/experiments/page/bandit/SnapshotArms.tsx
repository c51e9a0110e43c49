/**
 * A bandit snapshot opened in "How the arms are doing": the arms as the snapshot stored them, "as of" its
 * time, drawn by the same view as the live numbers, with the snapshot's own download. One still being
 * computed is followed until it is done; a failed one says why; one that does not exist (deleted, or an old
 * address) says so, and the section's button leads back to the live numbers.
 */
import type { StoredBanditDesign } from '../../api-types.ts';
import type { TitleFocus } from '../open-snapshot.ts';
import { OpenedSnapshot, type OpenedSnapshotWords } from '../OpenedSnapshot.tsx';
import { isBanditAnalysis } from './bandit-types.ts';
import { PosteriorView } from './PosteriorView.tsx';
import { downloadContents } from './posterior-words.ts';
import { snapshotArms } from './snapshot-arms.ts';

const BANDIT_SNAPSHOT_WORDS: OpenedSnapshotWords = {
  contents: 'numbers',
  list: 'list',
  stored: 'These are the arms’ numbers stored when the snapshot was taken. They do not change as outcomes arrive.',
  kind: 'bandit analysis',
};

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
  return (
    <OpenedSnapshot
      organizationId={organizationId}
      ds={ds}
      exp={exp}
      snapshotId={snapshotId}
      focus={focus}
      words={BANDIT_SNAPSHOT_WORDS}
      holds={isBanditAnalysis}
      downloadContents={downloadContents(design)}
    >
      {(analysis, takenAt) => <PosteriorView view={snapshotArms(analysis, design, takenAt)} design={design} />}
    </OpenedSnapshot>
  );
}
