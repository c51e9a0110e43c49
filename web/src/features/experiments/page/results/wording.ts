/**
 * The numbers of an analysis in words for people who run programmes, not statistics: how to format an
 * effect (points for numbers, percentage points for yes/no metrics), when a difference is "clear" (its
 * confidence interval excludes 0), which way is better (the design's intended change, else up), one
 * sentence per arm, and what each warning the server can raise means and what to do about it. Pure, so
 * the wording is unit-tested and the e2e test can format the API's numbers exactly as the page does.
 */
import type { AnalysisWarning, ArmAnalysis, FreqAnalysis, MetricAnalysis } from './analysis-types.ts';

export type MetricKind = 'binary' | 'numeric';
/** The interval plot's tones (`IntervalTone`), spelled out so this module has no JSX import and node tests can load it. */
export type EffectTone = 'baseline' | 'better' | 'worse' | 'neutral';
export type Direction = 'increase' | 'decrease';

const MINUS = '\u2212';

export function metricKind(m: Pick<MetricAnalysis, 'metric'>): MetricKind {
  return m.metric['metric_type'] === 'binary' ? 'binary' : 'numeric';
}

/** The confidence level of intervals at `alpha`: 0.05 → "95%", 0.1 → "90%". */
export function confidenceLevel(alpha: number): string {
  return `${Number(((1 - alpha) * 100).toPrecision(4))}%`;
}

/**
 * Digits that suit the size, with a true minus sign: 1234.5 → "1,235", 51.648 → "51.6", 1.1765 → "1.18",
 * 0.004006 → "0.00401" (three significant digits below 1).
 */
export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs === 0 ? 0 : Math.min(10, 2 - Math.floor(Math.log10(abs)));
  const text = abs.toLocaleString('en-US', { maximumFractionDigits: digits });
  return v < 0 && /[1-9]/.test(text) ? `${MINUS}${text}` : text;
}

function signed(v: number): string {
  const text = formatNumber(v);
  return text.startsWith(MINUS) || !/[1-9]/.test(text) ? text : `+${text}`;
}

/** A mean or proportion: yes/no metrics as percentages ("46.5%"), others as numbers. */
export function formatValue(v: number | null, kind: MetricKind): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return kind === 'binary' ? `${formatNumber(v * 100)}%` : formatNumber(v);
}

/** A difference between arms, signed: yes/no metrics in percentage points ("+2.1 pp"). */
export function formatEffect(v: number | null, kind: MetricKind): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return kind === 'binary' ? `${signed(v * 100)} pp` : signed(v);
}

/**
 * A p-value as text: "< 0.001", three decimals below 0.1, two above. When `alpha` is given and the rounded
 * text would read as exactly alpha, more digits are shown, so 0.0496 is never written "0.050" next to
 * "unlikely to be chance" at alpha 0.05.
 */
export function formatP(p: number | null, alpha?: number): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p < 0.001) return '< 0.001';
  const text = p < 0.1 ? p.toFixed(3) : p.toFixed(2);
  return alpha !== undefined && Number(text) === alpha && p !== alpha ? p.toPrecision(3) : text;
}

/** "p = 0.64" or "p < 0.001". */
export function pPhrase(p: number | null, alpha?: number): string {
  const text = formatP(p, alpha);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/**
 * Which way the design hoped the metric would move: the sign of `metric_pct_change`, or `metric_target`
 * against the baseline (the design's power-check baseline, else the baseline arm's mean). Null when the
 * design does not say.
 */
export function intendedDirection(metric: Readonly<Record<string, unknown>>, baseline: number | null | undefined): Direction | null {
  const pct = metric['metric_pct_change'];
  if (typeof pct === 'number' && pct !== 0) return pct > 0 ? 'increase' : 'decrease';
  const target = metric['metric_target'];
  if (typeof target === 'number' && typeof baseline === 'number' && Number.isFinite(baseline) && target !== baseline) return target > baseline ? 'increase' : 'decrease';
  return null;
}

/**
 * How to draw an effect: better or worse only when its interval excludes 0 (a clear difference), judged
 * by the intended direction, or "up is better" when the design names none.
 */
export function effectTone(lower: number | null, upper: number | null, direction: Direction | null): EffectTone {
  if (lower === null || upper === null) return 'neutral';
  const up = lower > 0;
  const down = upper < 0;
  if (!up && !down) return 'neutral';
  return up === ((direction ?? 'increase') === 'increase') ? 'better' : 'worse';
}

/** Whether the difference is unlikely to be chance at the design's alpha. */
export function isClear(p: number | null, alpha: number): boolean {
  return p !== null && p < alpha;
}

export interface SentenceContext {
  readonly metricName: string;
  readonly baseline: ArmAnalysis;
  readonly kind: MetricKind;
  readonly alpha: number;
  readonly direction: Direction | null;
  /** Comparisons in the multiple-testing family (every non-baseline arm of every metric). */
  readonly numTests: number;
}

/**
 * One sentence on an arm against the baseline, e.g. "Reminder SMS: weekly_minutes higher than Control by
 * 2.1 (53.8 vs 51.6; 95% CI of the difference +0.4 to +3.8); unlikely to be chance (p = 0.012)."
 */
export function armSentence(a: ArmAnalysis, ctx: SentenceContext): string {
  const { metricName, kind, alpha } = ctx;
  const base = ctx.baseline.arm_name;
  if (a.estimate === null) {
    return `${a.arm_name}: no estimate for ${metricName}, because ${a.num_observations === 0 ? 'no participant in this arm has a value yet' : 'the difference could not be computed'}.`;
  }
  const level = confidenceLevel(alpha);
  const interval = a.ci_lower !== null && a.ci_upper !== null ? `${level} CI ${formatEffect(a.ci_lower, kind)} to ${formatEffect(a.ci_upper, kind)}` : `no ${level} CI`;
  if (!isClear(a.p_value, alpha)) {
    return (
      `${a.arm_name}: no clear difference in ${metricName} from ${base} (${formatEffect(a.estimate, kind)}, ${interval}; ${pPhrase(a.p_value, alpha)}). ` +
      'A difference this size could well be chance.'
    );
  }
  const up = a.estimate > 0;
  const size = kind === 'binary' ? `${formatNumber(Math.abs(a.estimate) * 100)} percentage points` : formatNumber(Math.abs(a.estimate));
  const means = a.mean !== null && ctx.baseline.mean !== null ? `${formatValue(a.mean, kind)} vs ${formatValue(ctx.baseline.mean, kind)}; ` : '';
  let s = `${a.arm_name}: ${metricName} ${up ? 'higher' : 'lower'} than ${base} by ${size} (${means}${level} CI of the difference ${formatEffect(a.ci_lower, kind)} to ${formatEffect(a.ci_upper, kind)}); unlikely to be chance (${pPhrase(a.p_value, alpha)}).`;
  if (ctx.direction) s += up === (ctx.direction === 'increase') ? ' That is the direction the design hoped for.' : ' That is the opposite of what the design hoped for.';
  if (ctx.numTests > 1 && a.p_value_holm !== null && a.p_value_holm >= alpha) {
    s += ` Allowing for the ${ctx.numTests} comparisons in this analysis it is less certain (Holm-adjusted ${pPhrase(a.p_value_holm, alpha)}), so treat it as a lead to confirm.`;
  }
  return s;
}

/** The covariate-adjusted estimate of an arm in one clause, or null when there is none. */
export function adjustedSentence(a: ArmAnalysis, ctx: Pick<SentenceContext, 'kind' | 'alpha'>, fields: readonly string[]): string | null {
  const adj = a.adjusted;
  if (!adj || adj.estimate === null || a.is_baseline) return null;
  const level = confidenceLevel(ctx.alpha);
  const interval = adj.ci_lower !== null && adj.ci_upper !== null ? `, ${level} CI ${formatEffect(adj.ci_lower, ctx.kind)} to ${formatEffect(adj.ci_upper, ctx.kind)}` : '';
  return `Adjusted for ${fields.join(', ') || 'covariates'}: ${formatEffect(adj.estimate, ctx.kind)}${interval}; ${pPhrase(adj.p_value, ctx.alpha)}${isClear(adj.p_value, ctx.alpha) ? '' : ' (no clear difference)'}.`;
}

/** Participants without a value for the metric, in words; null when none is missing. */
export function missingSentence(m: MetricAnalysis, analysis: Pick<FreqAnalysis, 'num_participants' | 'num_missing_participants'>): string | null {
  const missing = m.arm_analyses.reduce((n, a) => n + a.num_missing_values, 0);
  if (missing === 0) return null;
  const perArm = m.arm_analyses.map((a) => `${a.arm_name} ${a.num_missing_values.toLocaleString('en-US')}`).join(', ');
  const absent = analysis.num_missing_participants;
  const where =
    absent === 0
      ? 'they are in the warehouse table but the value is empty'
      : absent >= missing
        ? 'they are not in the warehouse table at all'
        : `${absent.toLocaleString('en-US')} are not in the warehouse table at all, the others have an empty value`;
  return (
    `${missing.toLocaleString('en-US')} of ${analysis.num_participants.toLocaleString('en-US')} participants have no value for ${m.metric_name} (${perArm}): ${where}. ` +
    'They are left out of this metric’s numbers. If one arm misses many more than another, the comparison may be biased.'
  );
}

/** The planned split of the sample-ratio check as people write it: "50/50", "40/30/30". */
export function plannedSplit(expected: readonly number[]): string {
  const total = expected.reduce((a, b) => a + b, 0);
  if (total <= 0) return expected.map(() => '?').join('/');
  return expected.map((e) => Number(((e / total) * 100).toPrecision(3))).join('/');
}

export interface WarningExplanation {
  readonly code: string;
  readonly title: string;
  readonly summary: string;
  /** What to do, one step per item. */
  readonly actions: readonly string[];
  /** False for codes this screen does not know: shown verbatim. */
  readonly known: boolean;
}

/** Arm names in design order, from the first metric (every metric lists every arm). */
function armNames(analysis: FreqAnalysis): string[] {
  return analysis.metric_analyses[0]?.arm_analyses.map((a) => a.arm_name) ?? [];
}

/** Every warning the server can raise, in plain words with what to do; unknown codes as they came. */
export function explainWarning(w: AnalysisWarning, analysis: FreqAnalysis): WarningExplanation {
  switch (w.warning) {
    case 'sample_ratio_mismatch': {
      const srm = analysis.sample_ratio_mismatch;
      const names = armNames(analysis);
      const sizes = srm.observed.map((o, j) => `${names[j] ?? `arm ${j + 1}`} ${o.toLocaleString('en-US')}`).join(', ');
      return {
        code: w.warning,
        known: true,
        title: 'The arms are not the sizes you planned',
        summary:
          `Arm sizes (${sizes} ${srm.unit}) differ from the ${plannedSplit(srm.expected)} split you planned more than chance would explain (${pPhrase(srm.p_value)}). ` +
          'Something dropped or duplicated participants in some arms, and whatever did it may also affect the outcome, so do not trust the effects below until you find the cause.',
        actions: [
          'Check that your backend asks Equipoise for every participant’s arm and records the arm it gets, for every arm alike.',
          'Look for anything that loses participants in one arm only: a page or message that fails in one variant, or a filter applied after assignment.',
          'Check that no assignments were deleted or imported by hand, and that participants are not counted twice under different ids.',
        ],
      };
    }
    case 'imbalance': {
      const b = analysis.balance_check;
      const fields = b?.fields.join(', ') ?? 'the pre-treatment columns';
      return {
        code: w.warning,
        known: true,
        title: 'The arms differed before the experiment started',
        summary:
          `Among the participants found in the warehouse, the arms differ in ${fields} more than chance would explain (${pPhrase(b?.p_value ?? null)}). ` +
          'Random assignment should make the arms alike on things measured before the experiment, so part of any difference below may have been there from the start.',
        actions: [
          'Compare the estimates adjusted for covariates with the unadjusted ones: the adjusted ones correct for these columns. If they disagree, trust neither without a closer look.',
          'Check whether participants are missing from the warehouse table more in one arm than another (see the missing values under each metric).',
          'For an online experiment, check that nothing about a participant decided their arm (for example, asking for arms of some groups first).',
        ],
      };
    }
    case 'underpowered':
      return {
        code: w.warning,
        known: true,
        title: 'The experiment may be too small',
        summary:
          'It cannot grow any more (it is preassigned, stopped or past its end date), and with the participants it has, an effect of the size you planned for could easily go unnoticed: “no clear difference” here does not mean “no effect”.',
        actions: [
          'Read “no clear difference” as inconclusive, and report it with its confidence interval.',
          'If you run it again, size it with the power check for the effect you care about, or plan for the larger effect this one could detect (in the check’s own words below).',
        ],
      };
    default:
      return { code: w.warning, known: false, title: w.warning, summary: w.message, actions: [] };
  }
}

/** The sample-ratio check when it found nothing, in one line. */
export function srmOkSentence(analysis: FreqAnalysis): string {
  const srm = analysis.sample_ratio_mismatch;
  const names = armNames(analysis);
  const sizes = srm.observed.map((o, j) => `${names[j] ?? `arm ${j + 1}`} ${o.toLocaleString('en-US')}`).join(', ');
  return `Arm sizes match the ${plannedSplit(srm.expected)} split you planned (${sizes} ${srm.unit}; ${pPhrase(srm.p_value)}).`;
}

/** The balance check when it found nothing, in one line; null when there was none. */
export function balanceOkSentence(analysis: FreqAnalysis): string | null {
  const b = analysis.balance_check;
  if (!b || b.imbalance) return null;
  return `Before the experiment the arms looked alike on ${b.fields.join(', ')}, as random assignment should make them (${pPhrase(b.p_value)}).`;
}
