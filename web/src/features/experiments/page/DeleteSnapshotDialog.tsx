/**
 * Deleting a snapshot after a confirmation, for both snapshot lists. `label` names the snapshot (its time as
 * the list shows it); `body` says what goes and what stays, in the section's words.
 */
import { ErrorCallout } from '../../../ui/Callout.tsx';
import { ConfirmDialog } from '../../../ui/Dialog.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import { useDeleteSnapshot } from './snapshot-queries.ts';

export function DeleteSnapshotDialog({
  organizationId,
  ds,
  exp,
  snapshot,
  body,
  onClose,
  onDeleted,
}: {
  organizationId: string;
  ds: string;
  exp: string;
  snapshot: { readonly id: string; readonly label: string } | null;
  body: string;
  onClose: () => void;
  onDeleted?: (id: string) => void;
}) {
  const toast = useToast();
  const remove = useDeleteSnapshot(organizationId, ds, exp);
  return (
    <ConfirmDialog
      open={snapshot !== null}
      title={snapshot ? `Delete the snapshot of ${snapshot.label}?` : ''}
      confirmLabel="Delete snapshot"
      busy={remove.isPending}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() =>
        snapshot &&
        remove.mutate(snapshot.id, {
          onSuccess: () => {
            onDeleted?.(snapshot.id);
            toast(`The snapshot of ${snapshot.label} was deleted.`);
            onClose();
          },
        })
      }
    >
      <p>{body}</p>
      {remove.isError && <ErrorCallout title="The snapshot was not deleted" error={remove.error} />}
    </ConfirmDialog>
  );
}
