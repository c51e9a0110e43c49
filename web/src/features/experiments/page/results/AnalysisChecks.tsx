/**
 * The checks that say whether the effects can be trusted, above them: every warning of the analysis in
 * plain words with what to do (the server's own message folded under it), and, when nothing was found,
 * one line each for the sample-ratio and balance checks. Problems with the covariate adjustment and
 * participants missing from the warehouse are said here too.
 */
import { Callout } from '../../../../ui/Callout.tsx';
import type { FreqAnalysis } from './analysis-types.ts';
import { balanceOkSentence, explainWarning, srmOkSentence } from './wording.ts';

export function AnalysisChecks({ analysis }: { analysis: FreqAnalysis }) {
  const warned = new Set(analysis.warnings.map((w) => w.warning));
  const balanceOk = warned.has('imbalance') ? null : balanceOkSentence(analysis);
  const absent = analysis.num_missing_participants;
  const adj = analysis.adjustment;
  return (
    <div className="result-checks">
      {analysis.warnings.map((w, i) => {
        const e = explainWarning(w, analysis);
        return (
          <Callout key={`${w.warning}-${i}`} tone="warning" role="alert" title={e.known ? e.title : `Warning: ${e.title}`}>
            <p>{e.summary}</p>
            {e.actions.length > 0 && (
              <>
                <p className="result-todo">What to do:</p>
                <ul className="plain-list">
                  {e.actions.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              </>
            )}
            {e.known && (
              <details className="result-server-message">
                <summary>The check’s own words</summary>
                <p className="small">{w.message}</p>
              </details>
            )}
          </Callout>
        );
      })}
      <ul className="result-check-list">
        {!warned.has('sample_ratio_mismatch') && <li><span aria-hidden="true">✓ </span>{srmOkSentence(analysis)}</li>}
        {balanceOk && <li><span aria-hidden="true">✓ </span>{balanceOk}</li>}
        {absent > 0 && (
          <li>
            {absent.toLocaleString('en-US')} of {analysis.num_participants.toLocaleString('en-US')} assigned participants are not in the warehouse table yet, so they have
            no values; see the missing values under each metric.
          </li>
        )}
        {adj.error && <li>The estimates could not be adjusted for covariates: {adj.error}</li>}
        {adj.dropped.map((d) => (
          <li key={d.field}>
            {d.field} was left out of the covariate adjustment: {d.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
