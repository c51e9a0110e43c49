/**
 * The bottom of the experiment page: what cannot be undone, set apart from everything else. A committed
 * experiment's collected data can be deleted while its design stays (to start over, e.g. after a test run);
 * any experiment can be deleted outright.
 */
import { useState } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { Section } from '../../../ui/Page.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { dataKindOf, type DataCounts } from './delete-data-words.ts';
import { DeleteDataDialog } from './DeleteDataDialog.tsx';
import { DeleteExperimentDialog } from './DeleteExperimentDialog.tsx';
import { useSnapshotList } from './snapshot-queries.ts';

export function DangerZone({ config, organizationId }: { config: ExperimentConfig; organizationId: string }) {
  const [open, setOpen] = useState<'data' | 'experiment' | null>(null);
  const committed = config.state === 'committed';
  // The same list (and cache entry) the snapshot sections show; only committed experiments have snapshots.
  const snapshots = useSnapshotList<{ items: { status: string }[]; next_page_token: string }>(organizationId, config.datasource_id, config.experiment_id, committed);
  const counts: DataCounts = {
    assignments: config.assign_summary.sample_size,
    snapshots: !committed ? 0 : snapshots.data ? snapshots.data.items.length : null,
    moreSnapshots: (snapshots.data?.next_page_token ?? '') !== '',
  };
  const kind = dataKindOf(config);
  return (
    <div className="danger-zone">
      <Section id="danger-zone" title="Delete data or the experiment">
        {committed && (
          <div className="danger-zone-item">
            <div>
              <h3>Delete collected data</h3>
              <p>
                Start over with the same design: delete the {kind === 'bandit' ? 'draws and their outcomes' : 'assignments'}, the snapshots of the results, or both. You choose, and see
                what goes, before anything is deleted.
              </p>
            </div>
            <Button variant="danger" onClick={() => setOpen('data')}>
              Delete data…
            </Button>
          </div>
        )}
        <div className="danger-zone-item">
          <div>
            <h3>Delete this experiment</h3>
            <p>The experiment and everything under it go for good. You are asked to confirm first.</p>
          </div>
          <Button variant="danger" onClick={() => setOpen('experiment')}>
            Delete experiment…
          </Button>
        </div>
      </Section>
      {committed && <DeleteDataDialog open={open === 'data'} onClose={() => setOpen(null)} config={config} counts={counts} />}
      <DeleteExperimentDialog open={open === 'experiment'} onClose={() => setOpen(null)} config={config} organizationId={organizationId} kind={kind} counts={counts} />
    </div>
  );
}
