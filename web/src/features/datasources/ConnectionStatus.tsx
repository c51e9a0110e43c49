/**
 * Whether Equipoise can read the datasource's warehouse right now. The status comes from the table list
 * (cached by the server for five minutes, so opening the page is cheap); when that fails, a connection
 * test of the saved settings says in plain words why, and what to do.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { formatInteger } from '../../ui/format.ts';
import { datasourceKeys, datasourcePaths, useTables, type ConnectionTest } from './api.ts';
import { ConnectionResult } from './ConnectionResult.tsx';

/** Re-reads the table list from the warehouse (not the cache) into the shared query, errors included. */
export function useRefreshTables(datasourceId: string) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function refresh() {
    setBusy(true);
    try {
      await queryClient
        .fetchQuery({ queryKey: datasourceKeys.tables(datasourceId), queryFn: () => api.get<{ tables: string[] }>(datasourcePaths.tables(datasourceId), { refresh: true }), staleTime: 0, retry: false })
        .catch(() => undefined);
      await queryClient.invalidateQueries({ queryKey: ['datasource', datasourceId, 'table'] });
      await queryClient.invalidateQueries({ queryKey: datasourceKeys.diagnosis(datasourceId) });
    } finally {
      setBusy(false);
    }
  }
  return { refresh, busy };
}

export function ConnectionStatus({ datasourceId, onEdit }: { datasourceId: string; onEdit: () => void }) {
  const tables = useTables(datasourceId);
  const { refresh, busy } = useRefreshTables(datasourceId);
  const diagnosis = useQuery({
    queryKey: datasourceKeys.diagnosis(datasourceId),
    queryFn: () => api.post<ConnectionTest>(datasourcePaths.test(datasourceId)),
    enabled: tables.isError,
    retry: false,
    staleTime: 0,
  });
  const again = (
    <Button size="small" onClick={() => void refresh()} busy={busy}>
      Check again
    </Button>
  );

  if (tables.isPending) return <Loading label="Checking the connection…" />;
  if (tables.isSuccess) {
    const n = tables.data.tables.length;
    return (
      <Callout tone={n === 0 ? 'warning' : 'success'} role="status" title={n === 0 ? 'Connected, but no tables found' : 'Connected'}>
        <p>
          {n === 0
            ? 'The warehouse answered but shows no tables or views. Check the database, schemas (search path) or dataset in the settings, and that the user may read them.'
            : `Equipoise can read this warehouse: ${formatInteger(n)} ${n === 1 ? 'table or view' : 'tables and views'}.`}
        </p>
        <div className="row">{again}</div>
      </Callout>
    );
  }
  const actions = (
    <div className="row">
      <Button size="small" variant="primary" onClick={onEdit}>
        Edit settings
      </Button>
      {again}
    </div>
  );
  if (diagnosis.isPending) return <Loading label="The warehouse could not be read; working out why…" />;
  if (diagnosis.isSuccess && !diagnosis.data.ok) return <ConnectionResult result={diagnosis.data} actions={actions} />;
  // The diagnosis connected after all (a passing failure) or could not run: show what the list said.
  return (
    <>
      <ErrorCallout title="Could not read the warehouse" error={tables.error} />
      {actions}
    </>
  );
}
