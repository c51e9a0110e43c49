/**
 * Results export: the analysis as JSON, or as CSV with one row per metric and arm, for the public API
 * (`X-API-Key`; peers offer this only in their UI) and for the admin UI's download (bearer session). Live
 * by default; `snapshot_id` (or `latest`) serves a stored snapshot instead, which costs the warehouse
 * nothing and gives the same numbers every time. Both callers share the snapshot rules and the CSV.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ApiKeyActor, ServiceContext, UserActor } from '../context.ts';
import { csvField } from '../assignments/export-assignments.ts';
import type { BanditExperimentAnalysis } from '../bandits/analysis.ts';
import type { AnalysisWarning, ExperimentAnalysisResponse } from './analysis-response.ts';
import { analyzeExperimentForKey, analyzeExperimentForUser, type AnalyzeOptions, type AnyAnalysis } from './analyze-experiment.ts';

export interface ResultsRequest {
  /** `latest` (the latest successful snapshot) or a snapshot id; absent: analyse now. */
  readonly snapshotId?: string | undefined;
  readonly options: AnalyzeOptions;
}

/** The analysis and, when it was read from a snapshot, that snapshot's id (`latest` resolved). */
export interface ExperimentResults {
  readonly analysis: AnyAnalysis;
  readonly snapshotId: string | null;
}

// A contextual bandit has no single answer without context values; the export gives it at its draws' mean context, like snapshots.
const LIVE_EXPORT: AnalyzeOptions = { banditContexts: 'draw-mean' };

/** `GET /v1/experiments/{id}/results[/csv]`: the key was checked against the experiment's datasource. */
export async function experimentResults(ctx: ServiceContext<ApiKeyActor>, experimentId: string, request: ResultsRequest): Promise<AnyAnalysis> {
  if (request.snapshotId === undefined) return analyzeExperimentForKey(ctx, experimentId, { ...request.options, ...LIVE_EXPORT });
  refuseLiveOptions(request.options);
  const exp = await ctx.db.selectFrom('experiments').select(['id', 'datasource_id']).where('id', '=', experimentId).executeTakeFirst();
  if (!exp || exp.datasource_id !== ctx.actor.datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  return (await storedSnapshot(ctx.db, experimentId, request.snapshotId)).analysis;
}

/** `GET /v1/m/datasources/{ds}/experiments/{exp}/results`: the admin UI's download, same numbers as the public export. */
export async function experimentResultsForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, request: ResultsRequest): Promise<ExperimentResults> {
  if (request.snapshotId === undefined) {
    return { analysis: await analyzeExperimentForUser(ctx, datasourceId, experimentId, { ...request.options, ...LIVE_EXPORT }), snapshotId: null };
  }
  refuseLiveOptions(request.options);
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  return storedSnapshot(ctx.db, experimentId, request.snapshotId);
}

function refuseLiveOptions(o: AnalyzeOptions): void {
  if (o.baselineArmId !== undefined || o.inference !== undefined || o.adjust !== undefined) {
    throw new ValidationError([
      { loc: ['query', 'snapshot_id'], msg: 'baseline_arm_id, inference and adjust apply to live analyses; a snapshot is served as it was taken', type: 'value_error' },
    ]);
  }
}

/** A successful snapshot of the experiment: by id, or the latest one. */
async function storedSnapshot(db: Kysely<DB>, experimentId: string, snapshotId: string): Promise<ExperimentResults> {
  let q = db.selectFrom('snapshots').select(['id', 'data']).where('experiment_id', '=', experimentId).where('status', '=', 'success');
  q = snapshotId === 'latest' ? q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1) : q.where('id', '=', snapshotId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFoundError(snapshotId === 'latest' ? 'This experiment has no successful snapshot yet.' : 'Snapshot not found, or it has not succeeded.');
  return { analysis: row.data as AnyAnalysis, snapshotId: row.id };
}

const CSV_COLUMNS = [
  'metric_name',
  'arm_id',
  'arm_name',
  'is_baseline',
  'estimate',
  'std_error',
  't_stat',
  'p_value',
  'p_value_holm',
  'p_value_bh',
  'ci_lower',
  'ci_upper',
  'mean',
  'mean_ci_lower',
  'mean_ci_upper',
  'num_observations',
  'num_missing_values',
  'adjusted_estimate',
  'adjusted_std_error',
  'adjusted_p_value',
  'adjusted_p_value_holm',
  'adjusted_p_value_bh',
  'adjusted_ci_lower',
  'adjusted_ci_upper',
  'adjusted_mean',
  // Last, so readers that address columns by position keep working.
  'warnings',
] as const;

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvField(v);
}

/**
 * One row per metric and arm, header first, LF line endings; numbers at full precision (shortest text that
 * reads back as the same double), missing numbers empty. `warnings` names the codes that concern the row,
 * so a spreadsheet reader sees them next to the numbers; the JSON has their messages and details, the SRM
 * and balance figures and the notes.
 */
export function resultsCsv(r: AnyAnalysis): string {
  return r.type === 'bandit' ? banditResultsCsv(r) : frequentistResultsCsv(r);
}

/**
 * The warning codes that concern one metric's rows: sample-ratio mismatch and imbalance concern the whole
 * experiment; `underpowered` only the metrics its details list. Sorted and joined by `;`.
 */
export function rowWarnings(warnings: readonly AnalysisWarning[], metricName: string): string {
  const codes = warnings.filter((w) => concerns(w, metricName)).map((w) => w.warning);
  return [...new Set(codes)].sort().join(';');
}

function concerns(w: AnalysisWarning, metricName: string): boolean {
  if (w.warning !== 'underpowered') return true;
  const metrics = w.details?.['metrics'];
  // Without its list of metrics the warning cannot be narrowed, so it is shown on every row.
  if (!Array.isArray(metrics)) return true;
  return metrics.some((m) => (m as { metric_name?: unknown }).metric_name === metricName);
}

function frequentistResultsCsv(r: ExperimentAnalysisResponse): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const m of r.metric_analyses) {
    // No warning is an empty cell, like a missing number, not a quoted empty string.
    const warnings = rowWarnings(r.warnings ?? [], m.metric_name) || null;
    for (const a of m.arm_analyses) {
      const adj = a.adjusted;
      lines.push(
        [
          m.metric_name,
          a.arm_id,
          a.arm_name,
          a.is_baseline,
          a.estimate,
          a.std_error,
          a.t_stat,
          a.p_value,
          a.p_value_holm,
          a.p_value_bh,
          a.ci_lower,
          a.ci_upper,
          a.mean,
          a.mean_ci_lower,
          a.mean_ci_upper,
          a.num_observations,
          a.num_missing_values,
          adj?.estimate,
          adj?.std_error,
          adj?.p_value,
          adj?.p_value_holm,
          adj?.p_value_bh,
          adj?.ci_lower,
          adj?.ci_upper,
          adj?.mean,
          warnings,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const BANDIT_CSV_COLUMNS = [
  'arm_id',
  'arm_name',
  'n_draws',
  'n_outcomes',
  'prior_pred_mean',
  'prior_pred_stdev',
  'post_pred_mean',
  'post_pred_stdev',
  'post_pred_ci_lower',
  'post_pred_ci_upper',
  'ipw_mean',
  'ipw_std_error',
  'ipw_ci_lower',
  'ipw_ci_upper',
  'ipw_self_normalized_mean',
  'ipw_min_propensity',
] as const;

/** Bandits: one row per arm (posterior predictive summary and the inverse-propensity estimate). */
function banditResultsCsv(r: BanditExperimentAnalysis): string {
  const lines = [BANDIT_CSV_COLUMNS.join(',')];
  for (const a of r.arm_analyses) {
    lines.push(
      [
        a.arm_id,
        a.arm_name,
        a.n_draws,
        a.n_outcomes,
        a.prior_pred_mean,
        a.prior_pred_stdev,
        a.post_pred_mean,
        a.post_pred_stdev,
        a.post_pred_ci_lower,
        a.post_pred_ci_upper,
        a.ipw?.mean,
        a.ipw?.std_error,
        a.ipw?.ci_lower,
        a.ipw?.ci_upper,
        a.ipw?.self_normalized_mean,
        a.ipw?.min_propensity,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The download's file name: `experiment_<id>_results.csv` for a live analysis (what the public CSV has
 * always been called), `…_results_<snapshot id>.json` for a snapshot, so files of different moments differ.
 */
export function resultsFilename(experimentId: string, format: 'csv' | 'json' = 'csv', snapshotId: string | null = null): string {
  return `experiment_${experimentId}_results${snapshotId === null ? '' : `_${snapshotId}`}.${format}`;
}
