/**
 * The bandit's snapshots: the analysis the worker stores every few hours (and on request), as a chart of
 * each arm's expected reward over the snapshots and as a list with each arm's numbers then. "Take a
 * snapshot now" asks the worker for one and follows it until it can be opened. Each stored snapshot can be
 * opened in the section above "as of" its time, downloaded (the results CSV as it was then) or deleted after
 * a confirmation.
 */
import { useState } from 'react';
import { describeError } from '../../../../api/errors.ts';
import { Button } from '../../../../ui/Button.tsx';
import { Badge, EmptyState, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import { TimeSeriesChart } from '../../../../ui/charts/TimeSeriesChart.tsx';
import { Section } from '../../../../ui/Page.tsx';
import type { RewardType } from '../../api-types.ts';
import { isBanditAnalysis, type BanditSnapshot, type HistoryArm } from './bandit-types.ts';
import { DeleteSnapshotDialog } from '../DeleteSnapshotDialog.tsx';
import { useFollowedSnapshot } from '../followed-snapshot.ts';
import { FollowedSnapshotStatus } from '../PendingSnapshot.tsx';
import { SNAPSHOT_PAGE_SIZE, useSnapshotList } from '../snapshot-queries.ts';
import { SNAPSHOT_STATUS, SNAPSHOTS_CLOSED_NOTE, snapshotsClosed, snapshotTime } from '../snapshot-words.ts';
import { useResultsDownload } from '../results/queries.ts';
import { snapshotSeries } from './history-series.ts';
import { rewardFormatter, rewardNoun } from './posterior-words.ts';

export function BanditSnapshots({
  organizationId,
  ds,
  exp,
  arms,
  rewardType,
  endDate,
  openId,
  onOpen,
}: {
  organizationId: string;
  ds: string;
  exp: string;
  arms: readonly Pick<HistoryArm, 'arm_id' | 'arm_name'>[];
  rewardType: RewardType;
  endDate: string;
  /** The snapshot shown above, if any. */
  openId: string | null;
  onOpen: (id: string | null) => void;
}) {
  const list = useSnapshotList<{ items: BanditSnapshot[]; next_page_token: string }>(organizationId, ds, exp);
  const follow = useFollowedSnapshot(organizationId, ds, exp, () => list.refetch());
  // The server takes snapshots until a day after the end date (422 afterwards); say so instead of failing.
  const closed = snapshotsClosed(endDate);
  const [deleting, setDeleting] = useState<BanditSnapshot | null>(null);
  const items = list.data?.items ?? [];
  const series = snapshotSeries(items, arms);
  const done = items.filter((s) => s.status === 'success').length;
  const format = rewardFormatter(rewardType);

  return (
    <Section
      id="bandit-snapshots"
      title="Snapshots"
      actions={
        <Button onClick={follow.start} busy={follow.busy} disabled={closed}>
          Take a snapshot now
        </Button>
      }
    >
      <p className="field-hint">
        A snapshot keeps the arms’ numbers as they were at one moment, so you can look back at how the bandit’s belief changed. The server takes one every few hours while
        the experiment runs.
      </p>
      {closed && <p className="field-hint">{SNAPSHOTS_CLOSED_NOTE}</p>}
      <FollowedSnapshotStatus follow={follow} openLabel="Open its numbers" onOpen={onOpen} />
      {list.isPending ? (
        <Loading label="Loading snapshots…" />
      ) : list.isError ? (
        <ErrorCallout title="Could not load the snapshots" error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No snapshots yet">
          <p>The first scheduled one is taken a few hours after the experiment starts. Take one now to keep today’s numbers.</p>
        </EmptyState>
      ) : (
        <div className="stack">
          {done >= 2 && (
            <TimeSeriesChart
              title={`Expected ${rewardNoun(rewardType)} by arm at each snapshot`}
              caption="Each point is one snapshot; the band is the arm’s credible interval then."
              series={series}
              formatY={format}
              timeHeading="Snapshot taken"
            />
          )}
          <SnapshotTable items={items} arms={arms} format={format} noun={rewardNoun(rewardType)} ds={ds} exp={exp} openId={openId} onOpen={onOpen} onDelete={setDeleting} />
          {list.data?.next_page_token && <p className="field-hint">Showing the latest {SNAPSHOT_PAGE_SIZE} snapshots.</p>}
        </div>
      )}
      <DeleteSnapshotDialog
        organizationId={organizationId}
        ds={ds}
        exp={exp}
        snapshot={deleting && { id: deleting.id, label: snapshotTime(deleting.created_at) }}
        body="The stored numbers are removed for good, from this page and from the results API. The experiment and what the bandit has learned are not affected."
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          if (id === openId) onOpen(null);
          follow.forget(id);
        }}
      />
    </Section>
  );
}

function SnapshotTable({
  items,
  arms,
  format,
  noun,
  ds,
  exp,
  openId,
  onOpen,
  onDelete,
}: {
  items: readonly BanditSnapshot[];
  arms: readonly Pick<HistoryArm, 'arm_id' | 'arm_name'>[];
  format: (v: number) => string;
  noun: string;
  ds: string;
  exp: string;
  openId: string | null;
  onOpen: (id: string) => void;
  onDelete: (s: BanditSnapshot) => void;
}) {
  const cell = (s: BanditSnapshot, armId: string) => {
    if (!isBanditAnalysis(s.data)) return '—';
    const a = s.data.arm_analyses.find((x) => x.arm_id === armId);
    if (!a || a.post_pred_mean === null) return '—';
    const ci = a.post_pred_ci_lower !== null && a.post_pred_ci_upper !== null ? `${format(a.post_pred_ci_lower)} to ${format(a.post_pred_ci_upper)}` : null;
    return (
      <>
        {format(a.post_pred_mean)}
        {ci && <span className="bandit-page-ci">{ci}</span>}
      </>
    );
  };
  return (
    <div className="table-wrap">
      <table className="table bandit-page-snapshots">
        <caption>Snapshots, newest first: each arm’s expected {noun} then, with its 95% credible interval</caption>
        <thead>
          <tr>
            <th scope="col">Taken</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Outcomes
            </th>
            {arms.map((a) => (
              <th key={a.arm_id} scope="col" className="num">
                {a.arm_name}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id} aria-current={s.id === openId ? 'true' : undefined}>
              <th scope="row" className="nowrap">
                {snapshotTime(s.created_at)}
              </th>
              <td>
                <Badge tone={SNAPSHOT_STATUS[s.status].tone}>{SNAPSHOT_STATUS[s.status].label}</Badge>
                {s.status === 'failed' && s.details && <div className="small muted">{s.details.message}</div>}
                {s.id === openId && <div className="small muted">Shown above</div>}
              </td>
              <td className="num">{isBanditAnalysis(s.data) ? s.data.n_outcomes.toLocaleString('en-US') : '—'}</td>
              {arms.map((a) => (
                <td key={a.arm_id} className="num">
                  {cell(s, a.arm_id)}
                </td>
              ))}
              <td className="actions nowrap">
                {s.status === 'success' && isBanditAnalysis(s.data) && (
                  <Button size="small" onClick={() => onOpen(s.id)} aria-label={`Open the snapshot of ${snapshotTime(s.created_at)}`} disabled={s.id === openId}>
                    Open
                  </Button>
                )}
                {s.status === 'success' && <SnapshotCsv ds={ds} exp={exp} snapshot={s} />}
                <Button size="small" variant="ghost" onClick={() => onDelete(s)} aria-label={`Delete the snapshot of ${snapshotTime(s.created_at)}`}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The snapshot's results CSV, as the results API serves it; a failure is said in the button's place. */
function SnapshotCsv({ ds, exp, snapshot }: { ds: string; exp: string; snapshot: BanditSnapshot }) {
  const download = useResultsDownload(ds, exp, { kind: 'snapshot', snapshotId: snapshot.id });
  return (
    <>
      <Button size="small" busy={download.isPending} onClick={() => download.mutate('csv')} aria-label={`Download the snapshot of ${snapshotTime(snapshot.created_at)} as CSV`}>
        CSV
      </Button>
      {download.isError && (
        <span className="small field-error" role="alert">
          Not downloaded: {describeError(download.error)}
        </span>
      )}
    </>
  );
}
