/**
 * The one entry point to an experiment's analysis, used by the analyze route, snapshots and the results
 * export: it picks the analysis for the experiment type, runs it against the datasource's warehouse, and
 * records what it found (sample-ratio mismatch, imbalance, too little power) so a warning webhook goes out once per finding.
 *
 * Bandit experiments get the bandits module's posterior analysis (`services/bandits/analysis.ts`); a
 * contextual bandit needs context values, so the live route sends it to `analyze_cmab` while snapshots
 * evaluate it at the mean context of its draws, as the reference does.
 */
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ApiKeyActor, ServiceContext, ServiceDeps, UserActor } from '../context.ts';
import { withDatasourceWarehouse } from '../datasource-warehouse.ts';
import { banditAnalysis, type AnalysisContexts, type BanditExperimentAnalysis } from '../bandits/analysis.ts';
import type { ExperimentAnalysisResponse } from './analysis-response.ts';
import { recordFindings } from './findings.ts';
import { analyzeFrequentist, type FrequentistAnalysisOptions } from './frequentist-analysis.ts';

export type AnalyzeOptions = FrequentistAnalysisOptions & {
  /** Bandits: where a contextual bandit's context values come from (absent: a CMAB is refused with a pointer). */
  readonly banditContexts?: AnalysisContexts;
};

/** What an analysis returns: the frequentist response (`type: 'freq'`) or the bandit one (`type: 'bandit'`). */
export type AnyAnalysis = ExperimentAnalysisResponse | BanditExperimentAnalysis;

const FREQUENTIST_TYPES: ReadonlySet<string> = new Set(['freq_preassigned', 'freq_online']);

/**
 * Analyses a loaded experiment (any state) without recording findings. Example:
 * `await analyzeExperiment(deps, loaded, { baselineArmId: loaded.arms[1].id })`.
 */
export async function analyzeExperiment(deps: ServiceDeps, loaded: LoadedExperiment, options: AnalyzeOptions = {}): Promise<AnyAnalysis> {
  const e = loaded.experiment;
  if (isBanditType(e.experiment_type)) {
    if (options.baselineArmId !== undefined) {
      throw new ValidationError([{ loc: ['query', 'baseline_arm_id'], msg: 'bandit experiments have no baseline: every arm is summarised by its posterior', type: 'value_error' }]);
    }
    return banditAnalysis(deps, loaded, options.banditContexts);
  }
  if (!FREQUENTIST_TYPES.has(e.experiment_type)) {
    throw new ValidationError(`Experiments of type ${e.experiment_type} cannot be analysed.`, 'analysis');
  }
  const ds = await deps.db.selectFrom('datasources').select(['id', 'config']).where('id', '=', e.datasource_id).executeTakeFirst();
  if (!ds) throw new NotFoundError('Experiment not found.');
  return withDatasourceWarehouse(deps, ds, (warehouse) => analyzeFrequentist(deps, loaded, warehouse, options));
}

/** Analyses and records the findings (one `experiment.warning` per new or changed finding). */
export async function analyzeAndRecord(deps: ServiceDeps, loaded: LoadedExperiment, options: AnalyzeOptions = {}): Promise<AnyAnalysis> {
  const response = await analyzeExperiment(deps, loaded, options);
  // Sample-ratio, balance and power findings are frequentist: a bandit moves traffic on purpose.
  if (response.type === 'freq') await recordFindings(deps, loaded.experiment, response);
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
