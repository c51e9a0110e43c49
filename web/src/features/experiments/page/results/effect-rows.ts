/**
 * The rows of a metric's forest plot and its snapshot-history lines, built from the analysis: the
 * baseline at 0, each other arm's difference with its interval, and (when the analysis adjusted for
 * covariates) the adjusted difference on its own row right below.
 */
import type { IntervalRow } from '../../../../ui/charts/IntervalPlot.tsx';
import type { Series } from '../../../../ui/charts/TimeSeriesChart.tsx';
import type { FreqAnalysis, MetricAnalysis } from './analysis-types.ts';
import { effectTone, type Direction } from './wording.ts';

export function effectRows(m: MetricAnalysis, direction: Direction | null): IntervalRow[] {
  const rows: IntervalRow[] = [];
  for (const a of m.arm_analyses) {
    if (a.is_baseline) {
      rows.push({ key: a.arm_id, label: `${a.arm_name} (baseline)`, estimate: 0, lower: null, upper: null, tone: 'baseline' });
      continue;
    }
    rows.push({ key: a.arm_id, label: a.arm_name, estimate: a.estimate, lower: a.ci_lower, upper: a.ci_upper, tone: effectTone(a.ci_lower, a.ci_upper, direction) });
    const adj = a.adjusted;
    if (adj && adj.estimate !== null) {
      rows.push({
        key: `${a.arm_id}:adjusted`,
        label: `${a.arm_name}, adjusted`,
        estimate: adj.estimate,
        lower: adj.ci_lower,
        upper: adj.ci_upper,
        tone: effectTone(adj.ci_lower, adj.ci_upper, direction),
      });
    }
  }
  return rows;
}

/** One analysis at the moment it describes (a snapshot's time), for history charts. */
export interface TimedAnalysis {
  readonly t: number;
  readonly analysis: FreqAnalysis;
}

/**
 * Per non-baseline arm of the latest analysis, its difference from the baseline (the interval as a band)
 * at each moment, oldest first. Arms are matched by id; a moment without the metric or the arm is a gap.
 */
export function effectSeries(history: readonly TimedAnalysis[], metricName: string): Series[] {
  const ordered = [...history].sort((x, y) => x.t - y.t);
  const latest = ordered.at(-1)?.analysis;
  const arms = latest?.metric_analyses.find((m) => m.metric_name === metricName)?.arm_analyses.filter((a) => !a.is_baseline) ?? [];
  return arms.map((arm) => ({
    key: arm.arm_id,
    label: arm.arm_name,
    points: ordered.map(({ t, analysis }) => {
      const row = analysis.metric_analyses.find((m) => m.metric_name === metricName)?.arm_analyses.find((r) => r.arm_id === arm.arm_id && !r.is_baseline);
      return { t, y: row?.estimate ?? null, lower: row?.ci_lower ?? null, upper: row?.ci_upper ?? null };
    }),
  }));
}
