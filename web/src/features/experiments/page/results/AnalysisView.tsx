/**
 * One analysis on screen, live or from a snapshot: what it covers and how to read it, its checks
 * (warnings first), then each metric's results. The caller adds the controls and downloads around it,
 * and `actions` beside the summary.
 */
import type { ReactNode } from 'react';
import type { ExperimentConfig } from '../../api-types.ts';
import type { FreqAnalysis } from './analysis-types.ts';
import { AnalysisChecks } from './AnalysisChecks.tsx';
import { MetricResults } from './MetricResults.tsx';
import { confidenceLevel, intendedDirection } from './wording.ts';

export function AnalysisView({ analysis, config, actions }: { analysis: FreqAnalysis; config: ExperimentConfig; actions?: ReactNode }) {
  const level = confidenceLevel(analysis.alpha);
  const clustered = analysis.metric_analyses.some((m) => m.covariance === 'CR1');
  return (
    <div className="stack">
      <div className="result-summary-row">
        <p className="result-summary">
          {analysis.num_participants.toLocaleString('en-US')} participants, analysed{' '}
          {new Date(analysis.created_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}. Intervals are {level} confidence intervals, from the design’s
          significance level of {analysis.alpha}; standard errors are robust ({clustered ? 'CR1, by cluster' : 'HC1'}) and tests use the{' '}
          {analysis.inference === 't' ? 't' : 'normal (z)'} distribution.
        </p>
        {actions}
      </div>
      <AnalysisChecks analysis={analysis} />
      {analysis.metric_analyses.map((m) => {
        const baselineArm = m.arm_analyses.find((a) => a.is_baseline);
        const planned = config.power_analyses?.analyses.find((p) => p.metric_spec.field_name === m.metric_name)?.metric_spec.metric_baseline;
        return <MetricResults key={m.metric_name} metric={m} analysis={analysis} direction={intendedDirection(m.metric, planned ?? baselineArm?.mean)} />;
      })}
    </div>
  );
}
