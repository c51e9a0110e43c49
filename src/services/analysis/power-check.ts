/**
 * The `underpowered` warning of a frequentist analysis: for each metric whose design states a minimum
 * effect (`metric_pct_change` or `metric_target`), the minimum detectable effect at the sample the
 * experiment has (`stats/observed-power.ts`), judged only once the sample can no longer grow — the end
 * date has passed, or assignment stopped. Before that, a small sample is just an experiment still running,
 * not a warning. That holds for preassigned experiments too: their participants are fixed at commit, but
 * their metric values keep arriving in the warehouse until the end (counting only participants with a value
 * early on would cry wolf), and whether the chosen size suffices was the design's power check.
 */
import type { ClusterShape } from '../../stats/cluster-power.ts';
import type { ArmMomentsSnapshot } from '../../stats/ols.ts';
import { observedPower, type ObservedPower } from '../../stats/observed-power.ts';
import type { PowerMetric } from '../../stats/power-types.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { StoredDesign } from '../experiments/stored-design.ts';
import type { AnalysisWarning } from './analysis-response.ts';

/** Why the sample is final, as the warning's details name it. */
export type FinalSampleReason = 'assignments_stopped' | 'end_date';

const REASON_TEXT: Record<FinalSampleReason, string> = {
  assignments_stopped: 'assignment has stopped',
  end_date: 'the end date has passed',
};

/** Null while an online experiment can still take participants. */
export function finalSampleReason(loaded: LoadedExperiment, now: Date): FinalSampleReason | null {
  const e = loaded.experiment;
  // A preassigned experiment is "stopped" from its creation (nobody new is assigned); only its end counts.
  if (e.experiment_type !== 'freq_preassigned' && e.stopped_assignments_at != null) return 'assignments_stopped';
  if (new Date(e.end_date).getTime() <= now.getTime()) return 'end_date';
  return null;
}

export interface MetricSample {
  readonly spec: StoredDesign['metrics'][number];
  readonly metricType: 'numeric' | 'binary';
  /** The unadjusted per-arm moments the analysis used. */
  readonly moments: ArmMomentsSnapshot;
}

export interface PowerCheck {
  readonly warning: AnalysisWarning | null;
  readonly notes: string[];
}

/**
 * The warning (one entry for every underpowered metric, since the UI shows one explanation per code) and
 * notes on metrics that could not be judged. Nothing while the sample can still grow.
 */
export function powerCheck(input: {
  readonly loaded: LoadedExperiment;
  readonly design: StoredDesign;
  readonly metrics: readonly MetricSample[];
  readonly baseline: number;
  readonly clustered: boolean;
  readonly now: Date;
}): PowerCheck {
  const reason = finalSampleReason(input.loaded, input.now);
  if (reason === null) return { warning: null, notes: [] };
  const power = input.design.power;
  const alpha = input.design.alpha;
  const notes: string[] = [];
  const short: { sample: MetricSample; n: number; result: ObservedPower }[] = [];
  for (const sample of input.metrics) {
    const { spec, moments } = sample;
    if (spec.metric_pct_change == null && spec.metric_target == null) continue;
    let cluster: ClusterShape | null = null;
    if (input.clustered) {
      // The analysis has the clusters but not the outcome's ICC; the design's is the one power was planned with.
      if (spec.icc == null || spec.cv == null) {
        notes.push(`No power check for ${spec.field_name}: the design gives no icc and cv for this cluster design.`);
        continue;
      }
      const n = moments.n.reduce((a, b) => a + b, 0);
      const clusters = moments.clusterCount ?? 0;
      if (clusters === 0) continue;
      cluster = { icc: spec.icc, cv: spec.cv, avgClusterSize: Math.max(1, n / clusters) };
    }
    const nb = moments.n[input.baseline] ?? 0;
    if (nb === 0) continue;
    const metric: PowerMetric = {
      field_name: spec.field_name,
      metric_type: sample.metricType,
      metric_baseline: moments.mean[input.baseline]!,
      metric_stddev: Math.sqrt(moments.ssr[input.baseline]! / nb),
      metric_pct_change: spec.metric_pct_change ?? null,
      metric_target: spec.metric_target ?? null,
      available_n: moments.assigned.reduce((a, b) => a + b, 0),
      available_nonnull_n: moments.n.reduce((a, b) => a + b, 0),
    };
    const result = observedPower({ metric, nPerArm: moments.n, baseline: input.baseline, power, alpha, cluster });
    if (result?.underpowered) short.push({ sample, n: metric.available_nonnull_n!, result });
  }
  if (short.length === 0) return { warning: null, notes };

  const levels = `${percent(power)} power, ${percent(alpha)} significance`;
  const clauses = short.map(({ sample, n, result }) => {
    const base = sample.moments.mean[input.baseline]!;
    const who = `With ${n.toLocaleString('en-US')} participants with a value of ${sample.spec.field_name}`;
    return `${who}, this experiment can reliably detect ${detectable(result, base)} (${levels}), not ${designed(result, sample.spec.metric_target != null)}`;
  });
  const message =
    `${clauses.join('; ')}; 'no clear difference' ${short.length > 1 ? 'on these metrics' : 'here'} is weak evidence. ` +
    `The sample will not grow: ${REASON_TEXT[reason]}.`;
  return {
    warning: {
      warning: 'underpowered',
      message,
      details: {
        reason,
        power,
        alpha,
        metrics: short.map(({ sample, n, result }) => ({
          metric_name: sample.spec.field_name,
          metric_type: sample.metricType,
          num_observations: n,
          baseline_mean: sample.moments.mean[input.baseline]!,
          designed_target: result.designed_target,
          designed_pct_change: result.designed_pct_change,
          detectable_target: result.detectable.target_possible,
          detectable_pct_change: result.detectable.pct_change_possible,
          effective_n: [...result.effective_n],
          design_effect: result.design_effect,
        })),
      },
    },
    notes,
  };
}

/** 0.18 → "18%", 0.025 → "2.5%". */
function percent(x: number): string {
  const p = Math.abs(x) * 100;
  return `${p >= 10 ? Math.round(p) : Number(p.toPrecision(2))}%`;
}

function value(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function detectable(r: ObservedPower, base: number): string {
  const { target_possible: to, pct_change_possible: pct } = r.detectable;
  if (to === null) return 'no change of any size';
  if (pct !== null) return `a change of ${percent(pct)} or more`;
  return `a change of ${value(Math.abs(to - base))} or more (from ${value(base)} to ${value(to)})`;
}

function designed(r: ObservedPower, hasTarget: boolean): string {
  const pct = r.designed_pct_change;
  if (hasTarget) return `the change to ${value(r.designed_target)}${pct !== null ? ` (${percent(pct)})` : ''} it was designed for`;
  return `the ${pct !== null ? percent(pct) : value(r.designed_target)} it was designed for`;
}
