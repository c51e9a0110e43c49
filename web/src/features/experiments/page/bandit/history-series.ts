/**
 * From the bandit's history and snapshots to the series the time charts draw (`ui/charts/TimeSeriesChart`):
 * one series per arm, in the arms' order.
 * - Traffic: the arm's share of each bucket's draws, at the bucket's start; buckets without draws are left
 *   out (a share of nobody means nothing), so the line joins the periods that had participants.
 * - Expected reward: the posterior mean with its credible interval at each bucket's end, starting from the
 *   prior at the first bucket's start, so the line shows where the belief began and how it moved.
 * - Snapshots: the posterior mean and interval each stored analysis had, at the time it was taken.
 */
import type { Series } from '../../../../ui/charts/TimeSeriesChart.tsx';
import { isBanditAnalysis, type BanditAnalysis, type BanditHistory, type BanditSnapshot } from './bandit-types.ts';

export function trafficSeries(history: BanditHistory): Series[] {
  return history.arms.map((arm, k) => ({
    key: arm.arm_id,
    label: arm.arm_name,
    points: history.buckets.filter((b) => b.draws > 0).map((b) => ({ t: Date.parse(b.start), y: b.arms[k]?.draw_share ?? null })),
  }));
}

export function posteriorSeries(history: BanditHistory): Series[] {
  const first = history.buckets[0];
  return history.arms.map((arm, k) => ({
    key: arm.arm_id,
    label: arm.arm_name,
    points: [
      ...(first ? [{ t: Date.parse(first.start), y: arm.prior.mean, lower: arm.prior.ci_lower, upper: arm.prior.ci_upper }] : []),
      ...history.buckets.map((b) => {
        const a = b.arms[k];
        return { t: Date.parse(b.end), y: a?.post_mean ?? null, lower: a?.post_ci_lower ?? null, upper: a?.post_ci_upper ?? null };
      }),
    ],
  }));
}

/** Successful bandit snapshots, oldest first. */
export function snapshotSeries(snapshots: readonly BanditSnapshot[], arms: readonly { arm_id: string; arm_name: string }[]): Series[] {
  const done = snapshots
    .filter((s) => s.status === 'success' && isBanditAnalysis(s.data))
    .map((s) => ({ t: Date.parse(s.created_at), data: s.data as BanditAnalysis }))
    .sort((a, b) => a.t - b.t);
  return arms.map((arm) => ({
    key: arm.arm_id,
    label: arm.arm_name,
    points: done.map(({ t, data }) => {
      const a = data.arm_analyses.find((x) => x.arm_id === arm.arm_id);
      return { t, y: a?.post_pred_mean ?? null, lower: a?.post_pred_ci_lower ?? null, upper: a?.post_pred_ci_upper ?? null };
    }),
  }));
}
