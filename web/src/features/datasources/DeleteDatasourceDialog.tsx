/** Deleting a datasource, which takes its experiments, assignments, API keys and participant types with it: the user types "delete" after reading exactly what goes. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { forgetDeleted } from '../../api/forget-deleted.ts';
import { ErrorCallout } from '../../ui/Callout.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { formatInteger } from '../../ui/format.ts';
import { useToast } from '../../ui/Toast.tsx';
import { datasourcePaths, type DatasourceDetail } from './api.ts';

const count = (n: number, one: string, many: string) => `${formatInteger(n)} ${n === 1 ? one : many}`;

export function DeleteDatasourceDialog({ open, onClose, datasource, participantTypeCount }: { open: boolean; onClose: () => void; datasource: DatasourceDetail; participantTypeCount: number }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api.delete(datasourcePaths.one(datasource.id)),
    onSuccess: async () => {
      toast(`Datasource “${datasource.name}” deleted`);
      await navigate('/datasources');
      await forgetDeleted(queryClient, [['datasource', datasource.id]]);
      await queryClient.invalidateQueries({ queryKey: ['datasources'] });
    },
  });
  return (
    <ConfirmDialog
      open={open}
      title={`Delete datasource “${datasource.name}”?`}
      confirmLabel="Delete datasource"
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
        <li>{count(datasource.experiment_count, 'experiment', 'experiments')}, with all their arms, assignments and outcomes;</li>
        <li>{count(datasource.api_key_count, 'API key', 'API keys')}: clients using them are refused at once;</li>
        <li>{count(participantTypeCount, 'participant type', 'participant types')} and the saved connection settings.</li>
      </ul>
      <p>The warehouse itself and its data are not touched.</p>
      {remove.isError && <ErrorCallout title="Could not delete the datasource" error={remove.error} />}
    </ConfirmDialog>
  );
}
