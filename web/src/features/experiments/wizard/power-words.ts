/**
 * A power analysis (`POST …/power`, one per metric) in sentences: how many participants the design needs,
 * how many it has, and otherwise the smallest change it can detect. Numbers come from the server; only the
 * wording is made here (the server's own `msg` is used for the cases it alone can explain).
 */
import type { PowerAnalysis } from '../api-types.ts';

export interface PowerWords {
  readonly tone: 'success' | 'warning' | 'danger' | 'info';
  readonly headline: string;
  readonly details: readonly string[];
}

const integer = (n: number) => Math.round(n).toLocaleString('en-US');

/** A relative change as a signed percentage with at most one decimal: 0.1 → "+10%", -0.025 → "−2.5%". */
export function signedPercent(fraction: number): string {
  const p = Math.round(fraction * 1000) / 10;
  return `${p < 0 ? '−' : '+'}${Math.abs(p)}%`;
}

/** A metric value: a share for yes/no metrics, three significant digits otherwise. */
export function metricValue(value: number, binary: boolean): string {
  if (binary) return `${(Math.round(value * 1000) / 10).toString()}%`;
  return Number(value.toPrecision(3)).toLocaleString('en-US');
}

export function describePower(a: PowerAnalysis, opts: { powerPct: string; confidencePct: string; desiredN: number | null }): PowerWords {
  const m = a.metric_spec;
  const field = m.field_name;
  const binary = m.metric_type === 'binary';
  const available = m.available_n ?? 0;
  const withValue = m.available_nonnull_n ?? available;
  const details: string[] = [];
  const change = m.metric_pct_change != null ? signedPercent(m.metric_pct_change) : null;
  const fromTo = m.metric_baseline != null && m.metric_target != null ? ` (from ${metricValue(m.metric_baseline, binary)} to ${metricValue(m.metric_target, binary)})` : '';
  const how = `with ${opts.powerPct}% power at ${opts.confidencePct}% confidence`;

  if (withValue < available) {
    details.push(
      `Only ${integer(withValue)} of the ${integer(available)} eligible participants have a value for ${field}, and power counts only those. If participants without a value should not be assigned, add a "has a value" filter on ${field}.`,
    );
  }
  if (opts.desiredN !== null && a.pct_change_with_desired_n != null) {
    details.push(`With ${integer(opts.desiredN)} participants the experiment can detect a change of ${signedPercent(a.pct_change_with_desired_n)} or more in ${field}.`);
  }

  const type = a.msg?.type;
  if (type === 'sufficient' && a.target_n != null) {
    return {
      tone: 'success',
      headline: `${field}: ${integer(a.target_n)} participants needed, ${integer(withValue)} available — enough.`,
      details: [`To detect a change of ${change ?? 'the size you gave'}${fromTo} ${how}, the experiment needs ${integer(a.target_n)} participants across all arms.`, ...details],
    };
  }
  if (type === 'insufficient' && a.target_n != null) {
    const possible =
      a.pct_change_possible != null
        ? `With all ${integer(withValue)} you can detect a change of ${signedPercent(a.pct_change_possible)} or more${a.target_possible != null ? ` (to ${metricValue(a.target_possible, binary)})` : ''}.`
        : `With the ${integer(withValue)} available no change of ${field} can be detected reliably.`;
    return {
      tone: 'warning',
      headline: `${field}: ${integer(a.target_n)} participants needed, only ${integer(withValue)} available.`,
      details: [`To detect a change of ${change ?? 'the size you gave'}${fromTo} ${how}, ${integer(a.target_n - withValue)} more participants would be needed.`, possible, ...details],
    };
  }
  return {
    tone: type === 'no available n' || type === 'insufficient' ? 'danger' : 'warning',
    headline: `${field}: ${a.msg?.msg.trim() || 'the power could not be calculated.'}`,
    details,
  };
}
