/**
 * A bandit experiment's learning on its page: the arms now (posteriors with credible intervals, the leader,
 * the numbers and a summary in words), a contextual bandit's predictions for typed context values, traffic
 * and belief over time, and the snapshots. While the experiment is committed the numbers refresh every few
 * seconds in a visible tab (a person can pause that); the arm counts elsewhere on the page follow them.
 * With `?snapshot=<id>` the first section shows that snapshot "as of" its time instead (`SnapshotArms.tsx`)
 * and the live updates pause until the person goes back to the live numbers. Drafts get a one-line note,
 * abandoned experiments nothing.
 */
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useOrganization } from '../../../../org/organization.tsx';
import { Button } from '../../../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import { Section } from '../../../../ui/Page.tsx';
import { describeError } from '../../../../api/errors.ts';
import type { ExperimentConfig, StoredBanditDesign } from '../../api-types.ts';
import { experimentKeys } from '../../queries.ts';
import { useFocusTitle, useOpenSnapshot, type TitleFocus } from '../open-snapshot.ts';
import { LIVE_POLL_MS, useBanditHistory, type TimedHistory } from './bandit-queries.ts';
import { BanditSnapshots } from './BanditSnapshots.tsx';
import { CmabPrediction } from './CmabPrediction.tsx';
import { PosteriorView } from './PosteriorView.tsx';
import { downloadContents } from './posterior-words.ts';
import { ResultsDownload } from '../results/ResultsDownload.tsx';
import type { DownloadSource } from '../results/queries.ts';
import { SnapshotArms } from './SnapshotArms.tsx';
import { TrafficOverTime } from './TrafficOverTime.tsx';

const TITLE = 'How the arms are doing';
const SNAPSHOT_TITLE = 'How the arms were doing';
const LIVE_DOWNLOAD: DownloadSource = { kind: 'live', options: {} };

export function BanditSection({ config, design }: { config: ExperimentConfig; design: StoredBanditDesign }) {
  if (config.state === 'abandoned') return null;
  if (config.state === 'assigned') {
    return (
      <Section id="posteriors" title={TITLE}>
        <p className="muted">Once the experiment is committed, this shows what the bandit learns from each outcome and where it sends participants, updated live.</p>
      </Section>
    );
  }
  return <CommittedBandit config={config} design={design} />;
}

/** hh:mm:ss on a 24-hour clock: the seconds are what show the numbers are fresh. */
const clockTime = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function CommittedBandit({ config, design }: { config: ExperimentConfig; design: StoredBanditDesign }) {
  const { current } = useOrganization();
  const client = useQueryClient();
  const ds = config.datasource_id;
  const exp = config.experiment_id;
  const open = useOpenSnapshot();
  const [paused, setPaused] = useState(false);
  // While a snapshot is open nobody sees the live numbers (nor the pause button): stop asking for them.
  const live = !paused && open.openId === null;
  const history = useBanditHistory(ds, exp, 'auto', { live });
  const data = history.data?.history;
  const drawn = data?.arms.reduce((n, a) => n + a.n_draws, 0);

  // The arms table and status line read the experiment's config: refresh it when the draws moved on.
  useEffect(() => {
    if (drawn !== undefined && drawn !== config.assign_summary.sample_size) void client.invalidateQueries({ queryKey: experimentKeys.one(ds, exp) });
  }, [drawn, config.assign_summary.sample_size, client, ds, exp]);

  const actions = open.openId ? (
    <Button size="small" onClick={() => open.setOpen(null)}>
      Back to the live numbers
    </Button>
  ) : (
    data && (
      <>
        <span className="muted small bandit-page-updated">
          {paused ? 'Paused' : 'Live'} · updated {clockTime(history.dataUpdatedAt)}
        </span>
        <Button size="small" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume live updates' : 'Pause live updates'}
        </Button>
      </>
    )
  );

  return (
    <>
      <Section
        id="posteriors"
        title={
          <span ref={open.titleRef} tabIndex={-1} className="focus-target">
            {open.openId ? SNAPSHOT_TITLE : TITLE}
          </span>
        }
        actions={actions}
      >
        {open.openId ? (
          <SnapshotArms organizationId={current.id} ds={ds} exp={exp} snapshotId={open.openId} design={design} focus={open} />
        ) : (
          <LiveArms history={history} live={live} design={design} ds={ds} exp={exp} focus={open} />
        )}
      </Section>
      {design.experiment_type === 'cmab_online' && <CmabPrediction ds={ds} exp={exp} design={design} />}
      {history.data && <TrafficOverTime ds={ds} exp={exp} live={live} auto={history.data} />}
      <BanditSnapshots organizationId={current.id} ds={ds} exp={exp} arms={design.arms} rewardType={design.reward_type} endDate={config.design_spec.end_date} openId={open.openId} onOpen={open.setOpen} />
    </>
  );
}

function LiveArms({
  history,
  live,
  design,
  ds,
  exp,
  focus,
}: {
  history: UseQueryResult<TimedHistory>;
  live: boolean;
  design: StoredBanditDesign;
  ds: string;
  exp: string;
  focus: TitleFocus;
}) {
  useFocusTitle(focus, !history.isPending);
  const data = history.data?.history;
  if (history.isPending) return <Loading label="Loading what the bandit has learned…" />;
  if (!data) return <ErrorCallout title="Could not load the bandit’s numbers" error={history.error} onRetry={() => void history.refetch()} />;
  return (
    <>
      {history.isError && (
        <Callout tone="warning" title={`Showing the numbers from ${clockTime(history.dataUpdatedAt)}`}>
          <p>
            The latest refresh failed: {describeError(history.error)} {live ? `It is tried again every ${LIVE_POLL_MS / 1000} seconds.` : 'Resume live updates to try again.'}
          </p>
        </Callout>
      )}
      <PosteriorView view={data} design={design} />
      <ResultsDownload datasourceId={ds} experimentId={exp} source={LIVE_DOWNLOAD} contents={downloadContents(design)} />
    </>
  );
}
