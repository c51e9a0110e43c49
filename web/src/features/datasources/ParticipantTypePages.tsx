/**
 * The participant-type screens: create one from a table, and view/edit a saved one with its drift from
 * the live table (columns removed or retyped, the table gone) explained with what to do.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { datasourceKeys, datasourcePaths, useDatasource, useParticipantType } from './api.ts';
import { describeDrift, rowsFromDefinition } from './participant-type-form.ts';
import { ParticipantTypeForm } from './ParticipantTypeForm.tsx';

function useCrumbs(datasourceId: string) {
  const ds = useDatasource(datasourceId);
  return [
    { label: 'Datasources', to: '/datasources' },
    { label: ds.data?.name ?? 'Datasource', to: `/datasources/${encodeURIComponent(datasourceId)}` },
  ];
}

export function NewParticipantTypePage() {
  const { datasourceId = '' } = useParams();
  const [search] = useSearchParams();
  const crumbs = useCrumbs(datasourceId);
  return (
    <>
      <PageHeader title="New participant type" crumbs={crumbs}>
        <p className="muted page-intro">Describe a table of participants once; every experiment designed on it then offers these columns, with their descriptions.</p>
      </PageHeader>
      <section className="section" aria-label="Participant type">
        <ParticipantTypeForm datasourceId={datasourceId} initialTable={search.get('table') ?? undefined} />
      </section>
    </>
  );
}

export function ParticipantTypePage() {
  const { datasourceId = '', participantType = '' } = useParams();
  const crumbs = useCrumbs(datasourceId);
  const detail = useParticipantType(datasourceId, participantType);
  const [deleting, setDeleting] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api.delete(datasourcePaths.participantType(datasourceId, participantType)),
    onSuccess: async () => {
      toast(`Participant type “${participantType}” deleted`);
      // Navigate before invalidating: the datasource's key prefix covers this page's own query, which would
      // refetch the deleted participant type (a 404) while the page is still mounted.
      await navigate(`/datasources/${encodeURIComponent(datasourceId)}`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: datasourceKeys.one(datasourceId) }), queryClient.invalidateQueries({ queryKey: ['datasources'] })]);
    },
  });

  const header = (
    <PageHeader
      title={participantType}
      crumbs={crumbs}
      actions={
        <Button variant="danger" onClick={() => setDeleting(true)}>
          Delete participant type
        </Button>
      }
    >
      {detail.isSuccess && (
        <p className="muted page-intro">
          Participants from the table <code>{detail.data.current.table_name}</code>.
        </p>
      )}
    </PageHeader>
  );

  return (
    <>
      {header}
      {detail.isPending && <Loading label="Comparing the participant type with its table…" />}
      {detail.isError && (
<ErrorCallout title="Could not read the participant type and its table" error={detail.error} onRetry={() => void detail.refetch()} />
      )}
      {detail.isError && (
        <p>
          If the warehouse cannot be reached, check the <Link to={`/datasources/${encodeURIComponent(datasourceId)}`}>datasource's connection</Link>.
        </p>
      )}
      {detail.isSuccess && (
        <>
          {detail.data.drift.schema_diff.length > 0 && (
            <Callout tone="warning" title="The table changed since this participant type was saved">
              <ul className="drift-list">
                {detail.data.drift.schema_diff.map((d, i) => {
                  const { what, todo } = describeDrift(d);
                  return (
                    <li key={i}>
                      <strong>{what}</strong> {todo}
                    </li>
                  );
                })}
              </ul>
            </Callout>
          )}
          <section className="section" aria-label="Participant type">
            <ParticipantTypeForm
              key={`${detail.data.current.participant_type}:${detail.dataUpdatedAt}`}
              datasourceId={datasourceId}
              existing={{ name: detail.data.current.participant_type, table: detail.data.current.table_name, rows: rowsFromDefinition(detail.data.proposed) }}
            />
          </section>
        </>
      )}
      <ConfirmDialog
        open={deleting}
        title={`Delete participant type “${participantType}”?`}
        confirmLabel="Delete participant type"
        busy={remove.isPending}
        onClose={() => {
          setDeleting(false);
          remove.reset();
        }}
        onConfirm={() => remove.mutate()}
      >
        <p>The table and its data stay in the warehouse, and experiments already designed keep working. New experiments can no longer pick this type.</p>
        {remove.isError && <ErrorCallout title="Could not delete the participant type" error={remove.error} />}
      </ConfirmDialog>
    </>
  );
}
