/**
 * The assignments CSV (participant id, arm, time, and the design's strata) from the session-authenticated
 * admin route. After a download the page says how many rows arrived and shows the first few, so a wrong or
 * empty file is noticed here and not in a spreadsheet later; failures are shown, never only logged.
 */
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { Button } from '../../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../../ui/Callout.tsx';
import { parseCsv, saveTextFile } from '../csv.ts';
import { experimentPath } from '../queries.ts';

const PREVIEW_ROWS = 5;

export function AssignmentsDownload({ datasourceId, experimentId, expectedRows }: { datasourceId: string; experimentId: string; expectedRows: number }) {
  const download = useMutation({
    mutationFn: async () => {
      const body = await api.get<unknown>(`${experimentPath(datasourceId, experimentId)}/assignments/csv`);
      const text = typeof body === 'string' ? body : '';
      const table = parseCsv(text);
      const name = `experiment_${experimentId}_assignments.csv`;
      saveTextFile(text, name);
      return { name, table };
    },
  });
  const result = download.data;
  return (
    <div className="stack">
      <div className="row">
        <Button onClick={() => download.mutate()} busy={download.isPending}>
          Download assignments (CSV)
        </Button>
        <span className="muted small">
          One row per participant: id, arm id and name, when they were assigned{expectedRows > 0 ? `, and the strata — ${expectedRows.toLocaleString('en-US')} rows expected` : ''}.
        </span>
      </div>
      {download.isError && <ErrorCallout title="The assignments could not be downloaded" error={download.error} onRetry={() => download.mutate()} />}
      {result && (
        <Callout tone={result.table.rows.length > 0 ? 'success' : 'warning'} role="status" title={`Downloaded ${result.table.rows.length.toLocaleString('en-US')} ${result.table.rows.length === 1 ? 'row' : 'rows'} (${result.name})`}>
          {result.table.rows.length === 0 ? (
            <p>The file has only its header: no participant is assigned yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table csv-preview">
                <caption className="muted small">
                  The first {Math.min(PREVIEW_ROWS, result.table.rows.length)} rows; columns: {result.table.header.join(', ')}
                </caption>
                <thead>
                  <tr>
                    {result.table.header.map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.table.rows.slice(0, PREVIEW_ROWS).map((r, i) => (
                    <tr key={i}>
                      {r.map((v, j) => (
                        <td key={j}>{v}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Callout>
      )}
    </div>
  );
}
