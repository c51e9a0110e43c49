/**
 * How the bandit moved over time: each arm's share of new participants per period, and each arm's expected
 * reward with its credible interval at the end of each period. The period length is automatic (at most 60
 * periods) or chosen; a length the server refuses (too many periods) is explained next to the choice.
 */
import { useState } from 'react';
import { ApiError } from '../../../../api/errors.ts';
import { TimeSeriesChart } from '../../../../ui/charts/TimeSeriesChart.tsx';
import { EmptyState, ErrorCallout, Loading } from '../../../../ui/Callout.tsx';
import { SelectField } from '../../../../ui/Field.tsx';
import { Section } from '../../../../ui/Page.tsx';
import type { BanditHistory, BucketChoice } from './bandit-types.ts';
import { useBanditHistory, type TimedHistory } from './bandit-queries.ts';
import { posteriorSeries, trafficSeries } from './history-series.ts';
import { bucketWords, durationWords, rewardFormatter, rewardNoun } from './posterior-words.ts';

const BUCKETS: { value: BucketChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'minute', label: 'Minutes' },
  { value: 'hour', label: 'Hours' },
  { value: 'day', label: 'Days (UTC)' },
];

const share = (v: number) => `${Math.round(v * 100)}%`;

export function TrafficOverTime({ ds, exp, live, auto }: { ds: string; exp: string; live: boolean; auto: TimedHistory }) {
  const [bucket, setBucket] = useState<BucketChoice>('auto');
  const chosen = useBanditHistory(ds, exp, bucket, { live, enabled: bucket !== 'auto' });
  const refused = bucket !== 'auto' && chosen.error instanceof ApiError && chosen.error.status === 422 ? chosen.error.fieldMessage('bucket') : undefined;
  const shown = bucket === 'auto' ? auto.history : refused ? undefined : chosen.data?.history;

  return (
    <Section id="traffic" title="Traffic and learning over time">
      <div className="bandit-page-bucket">
        <SelectField
          label="Period length"
          value={bucket}
          options={BUCKETS}
          onChange={(e) => setBucket(e.target.value as BucketChoice)}
          error={refused}
          hint="Automatic keeps to at most 60 periods. Periods start on the minute, hour or day in UTC."
        />
      </div>
      {refused ? null : bucket !== 'auto' && chosen.isPending ? (
        <Loading label="Loading the history…" />
      ) : bucket !== 'auto' && chosen.isError && !chosen.data ? (
        <ErrorCallout title="Could not load the history" error={chosen.error} onRetry={() => void chosen.refetch()} />
      ) : shown ? (
        <Charts history={shown} />
      ) : null}
    </Section>
  );
}

function Charts({ history }: { history: BanditHistory }) {
  if (history.buckets.length === 0) {
    return (
      <EmptyState title="No traffic yet">
        <p>Nobody has been drawn yet. Once your backend asks for arms, each period shows where new participants went and what the bandit believed.</p>
      </EmptyState>
    );
  }
  const period = bucketWords(history.bucket_seconds);
  const noun = rewardNoun(history.reward_type);
  return (
    <div className="stack">
      <h3>Where new participants went</h3>
      <TimeSeriesChart
        title="Share of new participants by arm"
        caption={`Each point is one ${period} period: the share of the participants drawn in it who got each arm. The bandit sends more participants to arms that look better, so the leading arm’s share grows as outcomes come in. Periods with no new participant are skipped.`}
        series={trafficSeries(history)}
        formatY={share}
        yDomain={[0, 1]}
        timeHeading="Period starting"
      />
      <h3>What the bandit believed</h3>
      <TimeSeriesChart
        title={`Expected ${noun} by arm over time`}
        caption={`The line is what the bandit believed at the end of each ${period} period, from the starting belief on the left; the shaded band is the ${Math.round(history.credible_level * 100)}% credible interval. Bands narrow as outcomes arrive.`}
        series={posteriorSeries(history)}
        formatY={rewardFormatter(history.reward_type)}
        timeHeading="At"
      />
      <p className="field-hint">
        {history.buckets.length} {history.buckets.length === 1 ? 'period' : 'periods'} of {durationWords(history.bucket_seconds)},{' '}
        {history.buckets.reduce((n, b) => n + b.draws, 0).toLocaleString('en-US')} participants drawn and{' '}
        {history.buckets.reduce((n, b) => n + b.outcomes, 0).toLocaleString('en-US')} outcomes reported.
      </p>
    </div>
  );
}
