/**
 * Snapshot history: the analyses stored over time (by the worker every few hours, or on request), as a
 * chart per metric of each arm's difference from the baseline with its interval, and as a list to open,
 * or delete, one. "Take a snapshot now" asks the worker for one and follows it until it is done.
 */
import { useState } from 'react';
import { Button } from '../../../../ui/Button.tsx';
import { Badge, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import { TimeSeriesChart } from '../../../../ui/charts/TimeSeriesChart.tsx';
import { Section } from '../../../../ui/Page.tsx';
import type { ExperimentConfig } from '../../api-types.ts';
import { DeleteSnapshotDialog } from '../DeleteSnapshotDialog.tsx';
import { useFollowedSnapshot } from '../followed-snapshot.ts';
import { SNAPSHOT_PAGE_SIZE, useSnapshotList } from '../snapshot-queries.ts';
import { FollowedSnapshotStatus } from '../PendingSnapshot.tsx';
import { SNAPSHOT_STATUS, SNAPSHOTS_CLOSED_NOTE, snapshotsClosed, snapshotTime } from '../snapshot-words.ts';
import { isFreqAnalysis, type Snapshot, type SnapshotPage } from './analysis-types.ts';
import { effectSeries, type TimedAnalysis } from './effect-rows.ts';
import { confidenceLevel, formatEffect, metricKind } from './wording.ts';

export function SnapshotHistory({
  config,
  organizationId,
  openId,
  onOpen,
}: {
  config: ExperimentConfig;
  organizationId: string;
  openId: string | null;
  onOpen: (id: string | null) => void;
}) {
  const ds = config.datasource_id;
  const exp = config.experiment_id;
  const list = useSnapshotList<SnapshotPage>(organizationId, ds, exp);
  const follow = useFollowedSnapshot(organizationId, ds, exp, () => list.refetch());
  const [deleting, setDeleting] = useState<Snapshot | null>(null);
  // The server takes snapshots until a day after the end date (422 afterwards); say so instead of failing.
  const closed = snapshotsClosed(config.design_spec.end_date);

  const items = list.data?.items ?? [];
  const history: TimedAnalysis[] = items.flatMap((s) => (s.status === 'success' && isFreqAnalysis(s.data) ? [{ t: Date.parse(s.created_at), analysis: s.data }] : []));
  const latest = [...history].sort((a, b) => b.t - a.t)[0]?.analysis;

  return (
    <Section
      id="snapshot-history"
      title="Snapshot history"
      actions={
        <Button onClick={follow.start} busy={follow.busy} disabled={closed}>
          Take a snapshot now
        </Button>
      }
    >
      <p className="field-hint">
        A snapshot stores the analysis as it was at one moment, with the default options (the first arm as baseline, adjusted for the design’s covariates). Equipoise
        takes one every 6 hours from a day before the start to a day after the end; reading one back costs the warehouse nothing.
      </p>
      {closed && <p className="field-hint">{SNAPSHOTS_CLOSED_NOTE}</p>}
      <FollowedSnapshotStatus follow={follow} openLabel="Open its results" onOpen={onOpen} />
      {list.isPending ? (
        <Loading label="Loading the snapshots…" />
      ) : list.isError ? (
        <ErrorCallout title="The snapshots could not be loaded" error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty-inline">No snapshots yet. Take one now to start the history, or wait for the next scheduled one.</p>
      ) : (
        <>
          {latest &&
            latest.metric_analyses.map((m) => {
              const kind = metricKind(m);
              const baseline = m.arm_analyses.find((a) => a.is_baseline)?.arm_name ?? 'the baseline';
              return (
                <TimeSeriesChart
                  key={m.metric_name}
                  title={`${m.metric_name}: difference from ${baseline} at each snapshot`}
                  caption={`Each line is an arm’s difference from ${baseline} when the snapshot was taken; the shaded band is its ${confidenceLevel(latest.alpha)} confidence interval. Bands narrow as data arrive, and early lines often wander: read the latest point, not the trend.`}
                  series={effectSeries(history, m.metric_name)}
                  formatY={(v) => formatEffect(v, kind)}
                  yInclude={[0]}
                  timeHeading="Snapshot"
                />
              );
            })}
          <div className="table-wrap">
            <table className="table snapshot-table">
              <caption className="visually-hidden">Snapshots, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Taken</th>
                  <th scope="col">Status</th>
                  <th scope="col">Details</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => {
                  const when = snapshotTime(s.created_at);
                  return (
                    <tr key={s.id} aria-current={s.id === openId ? 'true' : undefined}>
                      <th scope="row">{when}</th>
                      <td>
                        <Badge tone={SNAPSHOT_STATUS[s.status].tone}>{SNAPSHOT_STATUS[s.status].label}</Badge>
                      </td>
                      <td className="snapshot-details">
                        {s.status === 'failed'
                          ? (s.details?.message ?? 'Failed without a message.')
                          : s.status === 'running'
                            ? 'The worker is analysing; this usually takes seconds.'
                            : isFreqAnalysis(s.data)
                              ? `${s.data.num_participants.toLocaleString('en-US')} participants${s.id === openId ? ' · shown above' : ''}`
                              : 'Stored.'}
                      </td>
                      <td className="actions">
                        {s.status === 'success' && isFreqAnalysis(s.data) && (
                          <Button size="small" onClick={() => onOpen(s.id)} aria-label={`Open the snapshot of ${when}`} disabled={s.id === openId}>
                            Open
                          </Button>
                        )}
                        <Button size="small" variant="ghost" onClick={() => setDeleting(s)} aria-label={`Delete the snapshot of ${when}`}>
                          Delete
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {list.data.next_page_token !== '' && <p className="field-hint">Showing the latest {SNAPSHOT_PAGE_SIZE} snapshots.</p>}
        </>
      )}
      <DeleteSnapshotDialog
        organizationId={organizationId}
        ds={ds}
        exp={exp}
        snapshot={deleting && { id: deleting.id, label: snapshotTime(deleting.created_at) }}
        body="The stored analysis is removed for good, from this page and from the results API. The experiment and its live results are not affected."
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          if (id === openId) onOpen(null);
          follow.forget(id);
        }}
      />
    </Section>
  );
}
