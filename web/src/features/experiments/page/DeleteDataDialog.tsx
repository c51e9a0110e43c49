/**
 * Deleting an experiment's collected data while keeping its design: the person ticks assignments (a bandit's
 * draws) and/or snapshots, reads exactly what goes with the counts the page knows, then confirms.
 */
import { useEffect, useState } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { ErrorCallout } from '../../../ui/Callout.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { CheckboxField } from '../../../ui/Field.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { assignmentsLabel, dataKindOf, deletedToast, deletionSentences, snapshotsLabel, type DataChoice, type DataCounts } from './delete-data-words.ts';
import { useDeleteExperimentData } from './experiment-mutations.ts';

const NOTHING: DataChoice = { assignments: false, snapshots: false };

export function DeleteDataDialog({ open, onClose, config, counts }: { open: boolean; onClose: () => void; config: ExperimentConfig; counts: DataCounts }) {
  const toast = useToast();
  const remove = useDeleteExperimentData(config.datasource_id, config.experiment_id);
  const [choice, setChoice] = useState<DataChoice>(NOTHING);
  const { reset } = remove;
  useEffect(() => {
    if (open) {
      setChoice(NOTHING);
      reset();
    }
  }, [open, reset]);

  const kind = dataKindOf(config);
  const sentences = deletionSentences(kind, choice, counts, config.stopped_assignments_reason === 'target_n');
  const nothing = !choice.assignments && !choice.snapshots;
  const set = (patch: Partial<DataChoice>) => {
    setChoice((c) => ({ ...c, ...patch }));
    remove.reset();
  };
  const confirm = () =>
    remove.mutate(choice, {
      onSuccess: () => {
        toast(deletedToast(kind, choice));
        onClose();
      },
    });

  return (
    <Dialog
      open={open}
      title="Delete data"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" busy={remove.isPending} disabled={nothing} aria-describedby="delete-data-summary" onClick={confirm}>
            Delete data
          </Button>
        </>
      }
    >
      <fieldset className="checkbox-group">
        <legend>What to delete</legend>
        <CheckboxField label={assignmentsLabel(kind, counts.assignments)} checked={choice.assignments} onChange={(e) => set({ assignments: e.target.checked })} data-autofocus />
        <CheckboxField label={snapshotsLabel(counts)} checked={choice.snapshots} onChange={(e) => set({ snapshots: e.target.checked })} />
      </fieldset>
      {/* Read out as the choice changes, so a screen reader hears what the button will delete. */}
      <div id="delete-data-summary" className="stack delete-data-summary" aria-live="polite">
        {nothing ? <p className="muted">Choose what to delete.</p> : sentences.map((s) => <p key={s}>{s}</p>)}
      </div>
      {remove.isError && <ErrorCallout title="The data was not deleted" error={remove.error} />}
    </Dialog>
  );
}
