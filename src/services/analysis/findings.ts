/**
 * Turning analysis findings into `experiment.warning` events without repeating them. Each experiment keeps
 * one row per kind (`analysis_findings`): whether the finding is active and its fingerprint. An analysis
 * (live, snapshot or export) raises a warning only when a finding becomes active, or stays active with a
 * different fingerprint:
 *
 * - `sample_ratio_mismatch`: active at p < 0.001; fingerprint = which arms are over- and which
 *   under-represented (so a mismatch that flips direction is news);
 * - `imbalance`: the balance test of the pre-treatment columns at p < 0.001; fingerprint = the columns;
 * - `underpowered`: active while the analysis carries that warning (a final sample too small for the
 *   design's minimum effect); fingerprint = the underpowered metrics, sorted. No hysteresis: it is a
 *   comparison of effect sizes, not a p-value, and clears when no metric is underpowered.
 *
 * An active p-value finding clears only once p ≥ 0.01, so a p-value hovering around 0.001 across snapshots
 * does not raise the same warning again and again. The event and the state change are written in one
 * transaction, under the row's lock, so concurrent analyses raise a finding once.
 */
import { sql } from 'kysely';
import type { ServiceDeps } from '../context.ts';
import { emitExperimentEvent } from '../webhook-outbox.ts';
import type { AnalysisWarning, ExperimentAnalysisResponse } from './analysis-response.ts';
import { IMBALANCE_ALPHA } from './frequentist-analysis.ts';
import { DEFAULT_SRM_ALPHA } from '../../stats/srm.ts';

/** An active finding stays active until its p-value reaches this (hysteresis). */
export const CLEAR_ALPHA = 0.01;

type Kind = 'sample_ratio_mismatch' | 'imbalance' | 'underpowered';

interface Observation {
  readonly kind: Kind;
  /** Whether the finding is active now, given whether it was before. */
  readonly activeNow: (wasActive: boolean) => boolean;
  readonly fingerprint: string;
  readonly details: Record<string, unknown>;
  readonly message: string;
}

export interface ExperimentIdentity {
  readonly id: string;
  readonly organization_id: string;
  readonly datasource_id: string;
}

/** Active below `raiseBelow`; once active, until p reaches CLEAR_ALPHA. */
function pValueRule(p: number | null, raiseBelow: number): (wasActive: boolean) => boolean {
  return (wasActive) => p !== null && (p < raiseBelow || (wasActive && p < CLEAR_ALPHA));
}

function observations(response: ExperimentAnalysisResponse): Observation[] {
  const out: Observation[] = [];
  const warning = (kind: Kind): AnalysisWarning | undefined => response.warnings.find((w) => w.warning === kind);
  const srm = response.sample_ratio_mismatch;
  const armIds = response.metric_analyses[0]?.arm_analyses.map((a) => a.arm_id) ?? [];
  out.push({
    kind: 'sample_ratio_mismatch',
    activeNow: pValueRule(srm.p_value, DEFAULT_SRM_ALPHA),
    fingerprint: srm.observed.map((o, j) => `${armIds[j] ?? j}${o >= (srm.expected[j] ?? 0) ? '+' : '-'}`).join(','),
    details: { unit: srm.unit, observed: srm.observed, expected: srm.expected, chi_square: srm.chi_square, p_value: srm.p_value },
    message: warning('sample_ratio_mismatch')?.message ?? 'Sample ratio mismatch.',
  });
  const balance = response.balance_check;
  if (balance) {
    out.push({
      kind: 'imbalance',
      activeNow: pValueRule(balance.p_value, IMBALANCE_ALPHA),
      fingerprint: [...balance.fields].sort().join(','),
      details: { fields: balance.fields, f_statistic: balance.f_statistic, p_value: balance.p_value, numerator_df: balance.numerator_df, denominator_df: balance.denominator_df },
      message: warning('imbalance')?.message ?? 'Covariate imbalance between arms.',
    });
  }
  const underpowered = warning('underpowered');
  const short = (underpowered?.details?.['metrics'] as { metric_name: string }[] | undefined) ?? [];
  out.push({
    kind: 'underpowered',
    activeNow: () => underpowered !== undefined,
    fingerprint: short.map((m) => m.metric_name).sort().join(','),
    details: underpowered?.details ?? {},
    message: underpowered?.message ?? 'No metric is underpowered.',
  });
  return out;
}

/** Records this analysis's findings and raises the warnings that are new; returns the kinds raised. */
export async function recordFindings(deps: Pick<ServiceDeps, 'db' | 'clock' | 'publicUrl'>, experiment: ExperimentIdentity, response: ExperimentAnalysisResponse): Promise<Kind[]> {
  const now = deps.clock.now();
  const raised: Kind[] = [];
  for (const o of observations(response)) {
    const raisedNow = await deps.db.transaction().execute(async (trx) => {
      const lock = () =>
        trx
          .selectFrom('analysis_findings')
          .selectAll()
          .where('experiment_id', '=', experiment.id)
          .where('kind', '=', o.kind)
          .forUpdate()
          .executeTakeFirst();
      let previous = await lock();
      const activeNow = o.activeNow(previous?.active === true);
      if (!previous) {
        if (!activeNow) return false;
        // First sighting; a concurrent analysis may insert the same row, in which case we fall through and
        // decide under its lock like any later analysis.
        const inserted = await sql<{ experiment_id: string }>`
          INSERT INTO analysis_findings (experiment_id, kind, active, fingerprint, details, raised_at, checked_at)
          VALUES (${experiment.id}, ${o.kind}, true, ${o.fingerprint}, ${JSON.stringify(o.details)}::jsonb, ${now}, ${now})
          ON CONFLICT (experiment_id, kind) DO NOTHING
          RETURNING experiment_id`.execute(trx);
        if (inserted.rows.length > 0) {
          await raise(trx);
          return true;
        }
        previous = await lock();
        if (!previous) return false;
      }
      const news = activeNow && (!previous.active || previous.fingerprint !== o.fingerprint);
      await trx
        .updateTable('analysis_findings')
        .set({
          active: activeNow,
          fingerprint: activeNow ? o.fingerprint : previous.fingerprint,
          details: JSON.stringify(o.details),
          checked_at: now,
          ...(news ? { raised_at: now } : {}),
        })
        .where('experiment_id', '=', experiment.id)
        .where('kind', '=', o.kind)
        .execute();
      if (news) await raise(trx);
      return news;

      async function raise(t: typeof trx): Promise<void> {
        await emitExperimentEvent(t, { publicUrl: deps.publicUrl, now }, {
          type: 'experiment.warning',
          experiment,
          data: { warning: o.kind, message: o.message, details: o.details },
        });
      }
    });
    if (raisedNow) raised.push(o.kind);
  }
  return raised;
}
