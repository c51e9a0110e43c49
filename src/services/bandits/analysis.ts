/**
 * The bandit analysis (reference `BanditExperimentAnalysisResponse`, §2.7; stats.md §1.8.3): per arm, the
 * prior and current posterior with their predictive means, standard deviations and 95% credible intervals
 * (exact: `stats/bandits/arm-summary.ts`), evaluated at given context values for a contextual bandit; the
 * number of outcomes and the fraction of them recorded by autofail. Beyond the reference, each arm carries
 * its number of draws and an inverse-propensity estimate of its value from the logged draw probabilities
 * (`stats/bandits/ipw.ts`), the estimate that stays unbiased although the bandit chose who got which arm.
 *
 * `analyzeBanditExperiment` is the admin entry (access checked); `banditAnalysis` is the computation, for
 * callers that already hold the experiment (the analyze dispatch, snapshots). A contextual bandit is
 * analysed at the context values given, or — for snapshots, as the reference does — at the mean context of
 * its draws (binary contexts rounded to 0/1; zeros when there are no draws).
 */
import { contextVector, contextsInVectorOrder, type ContextDefinition, type ContextInput } from '../../domain/bandit-context.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { summarize, type PredictiveSummary } from '../../stats/bandits/arm-summary.ts';
import { ipwEstimate } from '../../stats/bandits/ipw.ts';
import { drawCounts, meanContextValues, outcomeSums } from '../../store/repositories/draws.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ServiceContext, ServiceDeps, UserActor } from '../context.ts';
import { armBanditView, banditDesignOf, modelOf, posteriorOf, priorOf } from './bandit-design.ts';

/** Where a contextual bandit's analysis context comes from: the caller's inputs, or the draws' mean. */
export type AnalysisContexts = { readonly inputs: readonly ContextInput[] | null | undefined } | 'draw-mean';

export const CMAB_NEEDS_CONTEXTS =
  'Contextual bandit experiments are analyzed at given context values: use POST …/analyze_cmab with context_inputs.';

/** `POST …/analyze_cmab` (contexts given) and the bandit side of `GET …/analyze` (no contexts). */
export async function analyzeBanditExperiment(
  ctx: ServiceContext<UserActor>,
  datasourceId: string,
  experimentId: string,
  contextInputs?: readonly ContextInput[] | null,
) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  const type = loaded.experiment.experiment_type;
  if (contextInputs !== undefined && type !== 'cmab_online') {
    throw new ValidationError(`Experiment ${experimentId} is a ${type} experiment, and not a cmab_online experiment.`, 'late');
  }
  return banditAnalysis(ctx, loaded, contextInputs === undefined ? undefined : { inputs: contextInputs });
}

function summary(prefix: 'prior' | 'post', s: PredictiveSummary) {
  return {
    [`${prefix}_pred_mean`]: s.mean,
    [`${prefix}_pred_stdev`]: s.stdev,
    [`${prefix}_pred_ci_upper`]: s.ciUpper,
    [`${prefix}_pred_ci_lower`]: s.ciLower,
  } as Record<`${typeof prefix}_pred_${'mean' | 'stdev' | 'ci_upper' | 'ci_lower'}`, number>;
}

/**
 * The analysis of a loaded bandit experiment (read fresh: the arms' posteriors move with every outcome).
 * Non-finite numbers serialize as null.
 */
export async function banditAnalysis(deps: Pick<ServiceDeps, 'db' | 'clock'>, loaded: LoadedExperiment, contexts?: AnalysisContexts) {
  const e = loaded.experiment;
  if (!isBanditType(e.experiment_type)) throw new ValidationError(`Experiment ${e.id} is a ${e.experiment_type} experiment, not a bandit.`, 'late');
  const design = banditDesignOf(loaded);
  const model = modelOf(design);
  let context: number[] | undefined;
  if (e.experiment_type === 'cmab_online') {
    const defs = design.contexts ?? [];
    if (contexts === undefined) throw new ValidationError(CMAB_NEEDS_CONTEXTS, 'late');
    if (contexts === 'draw-mean') {
      context = await drawMeanContext(deps.db, e.id, defs);
    } else {
      context = contextVector(defs, contexts.inputs);
    }
  } else if (design.prior_type === 'normal') {
    context = [1];
  }
  const createdAt = deps.clock.now();
  const [sums, draws] = await Promise.all([outcomeSums(deps.db, e.id), drawCounts(deps.db, e.id)]);
  const byArm = new Map(sums.arms.map((s) => [s.arm_id, s]));
  const options = context === undefined ? {} : { context };
  const armAnalyses = loaded.arms.map((arm) => {
    const s = byArm.get(arm.id);
    const ipw =
      s === undefined
        ? null
        : ipwEstimate({
            n: sums.n,
            k: s.k,
            sumWeighted: s.sum_weighted,
            sumWeights: s.sum_weights,
            dev2Ht: s.dev2_ht,
            dev2Hajek: s.dev2_hajek,
            minPropensity: s.min_propensity,
            zeroPropensity: s.zero_propensity,
          });
    return {
      ...armBanditView(arm),
      ...finiteOrNull(summary('prior', summarize(model, priorOf(arm, design), options))),
      ...finiteOrNull(summary('post', summarize(model, posteriorOf(arm, design), options))),
      n_draws: draws.get(arm.id) ?? 0,
      ipw: ipw === null ? null : finiteOrNull(ipw),
    };
  });
  const autofailed = sums.arms.reduce((a, s) => a + s.autofailed, 0);
  return {
    type: 'bandit' as const,
    experiment_id: e.id,
    arm_analyses: armAnalyses,
    n_outcomes: sums.n,
    fraction_automatically_failed: sums.n === 0 ? 0 : autofailed / sums.n,
    created_at: createdAt.toISOString(),
    contexts: e.experiment_type === 'cmab_online' ? (context ?? null) : null,
  };
}

export type BanditExperimentAnalysis = Awaited<ReturnType<typeof banditAnalysis>>;

/** The mean context of a contextual bandit's draws, binary contexts rounded to 0/1 (zeros before any draw). */
export async function drawMeanContext(db: ServiceDeps['db'], experimentId: string, defs: readonly ContextDefinition[]): Promise<number[]> {
  const means = await meanContextValues(db, experimentId);
  return contextsInVectorOrder(defs).map((d, i) => {
    const m = means[i] ?? 0;
    return d.value_type === 'binary' ? Math.round(m) : m;
  });
}

/** NaN and ±Infinity become null (JSON has neither), as the reference serializes them. */
function finiteOrNull<T extends object>(o: T): { [K in keyof T]: T[K] extends number ? number | null : T[K] } {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v])) as never;
}
