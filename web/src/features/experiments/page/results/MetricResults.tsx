/**
 * One metric's results: a sentence per arm, the forest plot of differences from the baseline, and the
 * table of every number (means, differences, raw and multiple-comparison p-values, covariate-adjusted
 * differences), with what the columns mean and which participants had no value.
 */
import { useId } from 'react';
import { IntervalPlot } from '../../../../ui/charts/IntervalPlot.tsx';
import { Callout } from '../../../../ui/Callout.tsx';
import type { FreqAnalysis, MetricAnalysis } from './analysis-types.ts';
import { effectRows } from './effect-rows.ts';
import {
  adjustedSentence,
  armSentence,
  confidenceLevel,
  formatEffect,
  formatP,
  formatValue,
  isClear,
  metricKind,
  missingSentence,
  type Direction,
} from './wording.ts';

const n = (v: number) => v.toLocaleString('en-US');

/** A value with its interval on a line of its own below (the text reads "+1.18 (−3.7 to +6.05)"). */
function WithInterval({ value, lower, upper, format }: { value: number | null; lower: number | null; upper: number | null; format: (v: number | null) => string }) {
  return (
    <>
      {format(value)}
      {lower !== null && upper !== null && (
        <>
          {' '}
          <span className="result-ci">
            ({format(lower)} to {format(upper)})
          </span>
        </>
      )}
    </>
  );
}

export function MetricResults({ metric, analysis, direction }: { metric: MetricAnalysis; analysis: FreqAnalysis; direction: Direction | null }) {
  const kind = metricKind(metric);
  const alpha = analysis.alpha;
  const level = confidenceLevel(alpha);
  const baseline = metric.arm_analyses.find((a) => a.is_baseline) ?? metric.arm_analyses[0];
  const adjustedFields = analysis.adjustment.fields;
  const hasAdjusted = metric.arm_analyses.some((a) => a.adjusted !== null && !a.is_baseline);
  const missing = missingSentence(metric, analysis);
  const headingId = useId();
  if (!baseline) return null;
  const ctx = { metricName: metric.metric_name, baseline, kind, alpha, direction, numTests: analysis.multiple_testing.num_tests };
  const directionText = direction === 'decrease' ? 'The design aims to lower it.' : direction === 'increase' ? 'The design aims to raise it.' : 'The design names no direction; higher is shown as better.';

  return (
    <section className="metric-results" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {metric.metric_name} <span className="muted small">{kind === 'binary' ? 'yes/no, shown as the share of yes' : 'a number, shown as the mean'}</span>
      </h3>
      {metric.error && (
        <Callout tone="warning" title="No effect could be estimated for this metric">
          <p>{metric.error}</p>
        </Callout>
      )}
      <ul className="result-sentences">
        {metric.arm_analyses
          .filter((a) => !a.is_baseline)
          .map((a) => {
            const adjusted = adjustedSentence(a, ctx, adjustedFields);
            return (
              <li key={a.arm_id} className={isClear(a.p_value, alpha) ? 'result-clear' : undefined}>
                {armSentence(a, ctx)}
                {adjusted && <span className="muted"> {adjusted}</span>}
              </li>
            );
          })}
      </ul>
      <IntervalPlot
        title={`Difference in ${metric.metric_name} from ${baseline.arm_name}`}
        caption={
          <>
            Dots are each arm’s difference from {baseline.arm_name}; bars are {level} confidence intervals, the differences the data are consistent with. Green
            means clearly better and red clearly worse (the bar does not cross 0); grey means no clear difference. {directionText}
          </>
        }
        rows={effectRows(metric, direction)}
        reference={0}
        referenceLabel="no difference"
        format={(v) => formatEffect(v, kind)}
        columns={{ estimate: 'Difference', interval: `${level} CI` }}
      />
      <div className="table-wrap">
        <table className="table result-table">
          <caption className="visually-hidden">{`${metric.metric_name} by arm`}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Arm
              </th>
              <th scope="colgroup" colSpan={2} className="result-group">
                Participants
              </th>
              <th scope="col" rowSpan={2} className="num">
                {kind === 'binary' ? 'Share' : 'Mean'} ({level} CI)
              </th>
              <th scope="col" rowSpan={2} className="num">
                Difference from {baseline.arm_name} ({level} CI)
              </th>
              <th scope="col" rowSpan={2} className="num">
                <span className="nowrap">p-value</span>
              </th>
              <th scope="colgroup" colSpan={2} className="result-group">
                p adjusted for multiple comparisons
              </th>
              {hasAdjusted && (
                <th scope="colgroup" colSpan={2} className="result-group">
                  Adjusted for covariates
                </th>
              )}
            </tr>
            <tr>
              <th scope="col" className="num">
                With a value
              </th>
              <th scope="col" className="num">
                Missing
              </th>
              <th scope="col" className="num">
                Holm
              </th>
              <th scope="col" className="num">
                BH
              </th>
              {hasAdjusted && (
                <>
                  <th scope="col" className="num">
                    Difference ({level} CI)
                  </th>
                  <th scope="col" className="num">
                    <span className="nowrap">p-value</span>
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {metric.arm_analyses.map((a) => (
              <tr key={a.arm_id}>
                <th scope="row">
                  {a.arm_name}
                  {a.is_baseline && <span className="muted"> (baseline)</span>}
                </th>
                <td className="num">{n(a.num_observations)}</td>
                <td className="num">{n(a.num_missing_values)}</td>
                <td className="num">
                  <WithInterval value={a.mean} lower={a.mean_ci_lower} upper={a.mean_ci_upper} format={(v) => formatValue(v, kind)} />
                </td>
                <td className="num">{a.is_baseline ? '—' : <WithInterval value={a.estimate} lower={a.ci_lower} upper={a.ci_upper} format={(v) => formatEffect(v, kind)} />}</td>
                <td className="num">{a.is_baseline ? '—' : formatP(a.p_value, alpha)}</td>
                <td className="num">{a.is_baseline ? '—' : formatP(a.p_value_holm, alpha)}</td>
                <td className="num">{a.is_baseline ? '—' : formatP(a.p_value_bh, alpha)}</td>
                {hasAdjusted && (
                  <>
                    <td className="num">
                      {a.is_baseline || !a.adjusted ? (
                        '—'
                      ) : (
                        <WithInterval value={a.adjusted.estimate} lower={a.adjusted.ci_lower} upper={a.adjusted.ci_upper} format={(v) => formatEffect(v, kind)} />
                      )}
                    </td>
                    <td className="num">{a.is_baseline || !a.adjusted ? '—' : formatP(a.adjusted.p_value, alpha)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="result-glossary">
        <summary>What the columns mean</summary>
        <dl>
          <dt>Difference</dt>
          <dd>
            The arm’s {kind === 'binary' ? 'share, in percentage points (pp),' : 'mean'} minus {baseline.arm_name}’s. The {level} confidence interval (CI) is the range of
            differences the data are consistent with.
          </dd>
          <dt>p-value</dt>
          <dd>
            How often a difference at least this large would turn up by chance if the arms did not really differ. Below {formatP(alpha)} it is called unlikely to be
            chance.
          </dd>
          <dt>p, Holm and p, BH — adjusted for multiple comparisons</dt>
          <dd>
            This analysis makes {analysis.multiple_testing.num_tests} comparisons (every arm against {baseline.arm_name}, for every metric), so some will look clear by
            luck. Holm’s p-values allow for that strictly; Benjamini–Hochberg’s (BH) control the share of false discoveries and are less strict.
          </dd>
          {hasAdjusted && (
            <>
              <dt>Adjusted for covariates</dt>
              <dd>
                The same comparison with the arms made alike on {adjustedFields.join(', ')}, measured before the experiment (Lin’s regression adjustment). It answers the
                same question, usually with a narrower interval.
              </dd>
            </>
          )}
        </dl>
      </details>
      {missing && <p className="field-hint">{missing}</p>}
    </section>
  );
}
