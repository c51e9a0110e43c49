/**
 * Deleting an experiment with everything under it: the person reads what goes, types "delete" (as for a
 * datasource), and lands on the experiments list.
 */
import { ErrorCallout } from '../../../ui/Callout.tsx';
import { ConfirmDialog } from '../../../ui/Dialog.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import type { DataCounts, DataKind } from './delete-data-words.ts';
import { useDeleteExperiment } from './experiment-mutations.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;

export function DeleteExperimentDialog({
  open,
  onClose,
  config,
  organizationId,
  kind,
  counts,
}: {
  open: boolean;
  onClose: () => void;
  config: ExperimentConfig;
  organizationId: string;
  kind: DataKind;
  counts: DataCounts;
}) {
  const toast = useToast();
  const name = config.design_spec.experiment_name;
  const remove = useDeleteExperiment(organizationId, config.datasource_id, config.experiment_id, () => toast(`Experiment “${name}” deleted`));
  const arms = config.design_spec.arms.length;
  const snapshots = counts.snapshots === null ? 'its snapshots' : counts.moreSnapshots ? `more than ${plural(counts.snapshots, 'snapshot', 'snapshots')}` : plural(counts.snapshots, 'snapshot', 'snapshots');
  return (
    <ConfirmDialog
      open={open}
      title={`Delete experiment “${name}”?`}
      confirmLabel="Delete experiment"
      confirmWord="delete"
      busy={remove.isPending}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => remove.mutate()}
    >
      <p>This deletes, for good:</p>
      <ul>
        <li>the design with its {plural(arms, 'arm', 'arms')}, and the registry;</li>
        <li>{kind === 'bandit' ? `${plural(counts.assignments, 'draw', 'draws')} with their outcomes;` : `${plural(counts.assignments, 'assignment', 'assignments')};`}</li>
        {config.state === 'committed' && <li>{snapshots} of the results.</li>}
      </ul>
      {config.state === 'committed' && <p>Your backend’s calls for this experiment then answer “not found”.</p>}
      {remove.isError && <ErrorCallout title="Could not delete the experiment" error={remove.error} />}
    </ConfirmDialog>
  );
}
