/**
 * Download the results on screen as CSV (one row per metric and arm, for spreadsheets) or JSON (everything,
 * checks included). The server names the file; a live download analyses again with the same options, a
 * snapshot's is the stored analysis. Says what arrived, and why not when it failed.
 */
import { Button } from '../../../../ui/Button.tsx';
import { Callout, ErrorCallout } from '../../../../ui/Callout.tsx';
import { useResultsDownload, type DownloadSource } from './queries.ts';

export function ResultsDownload({
  datasourceId,
  experimentId,
  source,
  contents = 'CSV has one row per metric and arm with every number above and the warnings that concern it; JSON also has the checks and notes.',
}: {
  datasourceId: string;
  experimentId: string;
  source: DownloadSource;
  /** What the two files hold, in a sentence. */
  contents?: string;
}) {
  const download = useResultsDownload(datasourceId, experimentId, source);
  const what = source.kind === 'live' ? 'these results' : 'this snapshot';
  return (
    <div className="result-download">
      <div className="row">
        <Button onClick={() => download.mutate('csv')} busy={download.isPending && download.variables === 'csv'} disabled={download.isPending}>
          Download CSV
        </Button>
        <Button onClick={() => download.mutate('json')} busy={download.isPending && download.variables === 'json'} disabled={download.isPending}>
          Download JSON
        </Button>
        <span className="muted small">
          {`Download ${what}: ${contents}`}
          {source.kind === 'live' && ' The file is analysed afresh, so it can differ slightly if data arrived since.'}
        </span>
      </div>
      {download.isError && <ErrorCallout title="The results could not be downloaded" error={download.error} onRetry={() => download.variables && download.mutate(download.variables)} />}
      {download.isSuccess && (
        <Callout tone="success" role="status">
          <p>
            Saved the {download.data.format.toUpperCase()} file ({download.data.bytes.toLocaleString('en-US')} bytes) to your downloads.
          </p>
        </Callout>
      )}
    </div>
  );
}
