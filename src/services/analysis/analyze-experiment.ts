/**
 * The one entry point to an experiment's analysis, used by the analyze route, snapshots and the results
 * export: it picks the analysis for the experiment type, runs it against the datasource's warehouse, and
 * records what it found (sample-ratio mismatch, imbalance) so a warning webhook goes out once per finding.
 *
 * Bandit experiments are analysed by the bandits module (issue 10); until that branch is added here they
 * get a clear 422.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ApiKeyActor, ServiceContext, ServiceDeps, UserActor } from '../context.ts';
import { withDatasourceWarehouse } from '../datasource-warehouse.ts';
import type { ExperimentAnalysisResponse } from './analysis-response.ts';
import { recordFindings } from './findings.ts';
import { analyzeFrequentist, type FrequentistAnalysisOptions } from './frequentist-analysis.ts';

export type AnalyzeOptions = FrequentistAnalysisOptions;

const FREQUENTIST_TYPES: ReadonlySet<string> = new Set(['freq_preassigned', 'freq_online']);

/**
 * Analyses a loaded experiment (any state) without recording findings. Example:
 * `await analyzeExperiment(deps, loaded, { baselineArmId: loaded.arms[1].id })`.
 */
export async function analyzeExperiment(deps: ServiceDeps, loaded: LoadedExperiment, options: AnalyzeOptions = {}): Promise<ExperimentAnalysisResponse> {
  const e = loaded.experiment;
  if (!FREQUENTIST_TYPES.has(e.experiment_type)) {
    throw new ValidationError(
      `Analysis of ${e.experiment_type} experiments is not available yet: only freq_preassigned and freq_online experiments can be analysed.`,
      'analysis',
    );
  }
  const ds = await deps.db.selectFrom('datasources').select(['id', 'config']).where('id', '=', e.datasource_id).executeTakeFirst();
  if (!ds) throw new NotFoundError('Experiment not found.');
  return withDatasourceWarehouse(deps, ds, (warehouse) => analyzeFrequentist(deps, loaded, warehouse, options));
}

/** Analyses and records the findings (one `experiment.warning` per new or changed finding). */
export async function analyzeAndRecord(deps: ServiceDeps, loaded: LoadedExperiment, options: AnalyzeOptions = {}): Promise<ExperimentAnalysisResponse> {
  const response = await analyzeExperiment(deps, loaded, options);
  await recordFindings(deps, loaded.experiment, response);
  return response;
}

/** `GET /v1/m/datasources/{ds}/experiments/{exp}/analyze`. */
export async function analyzeExperimentForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, options: AnalyzeOptions = {}) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  return analyzeAndRecord(ctx, loaded, options);
}

/** The public results export: the key was checked against the experiment's datasource. */
export async function analyzeExperimentForKey(ctx: ServiceContext<ApiKeyActor>, experimentId: string, options: AnalyzeOptions = {}) {
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded || loaded.experiment.datasource_id !== ctx.actor.datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  return analyzeAndRecord(ctx, loaded, options);
}
