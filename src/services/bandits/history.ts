/**
 * A bandit's history over time (`GET …/bandit_history`): per time bucket and arm, the draws made (count and
 * share of the bucket's draws), the outcomes observed (count and mean reward), and each arm's posterior at
 * the bucket's end (mean, 95% credible interval, outcomes folded in so far); and the arms as they stand
 * now, the same numbers as `GET …/analyze` plus the probability each is best and the chance a new
 * participant gets it. (The probability of being best is a quadrature per arm, about 2 ms for a Beta arm
 * with thousands of outcomes; it is given for now only, so a 1,500-bucket history stays cheap.)
 *
 * The posterior at a bucket's end is the one stored right after the arm's last outcome up to then (draws
 * keep it in `current_*`, written under the arm's lock by `record-outcome.ts`). When a stored step is
 * missing (rows written by an import, or before posteriors were kept), the arm's outcomes are replayed from
 * its prior in `outcome_seq` order through `nextPosterior`, the outcome path's own update — never a second
 * implementation. Counting happens in SQL (`draw-history.ts`); only buckets × arms rows reach this process,
 * whatever the number of draws.
 *
 * A contextual bandit's expected rewards depend on the participant, so they are evaluated at the mean
 * context of its draws, as its snapshots are (`contexts` in the answer says at which values).
 */
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { DEFAULT_CREDIBLE_LEVEL, summarize, type PredictiveSummary } from '../../stats/bandits/arm-summary.ts';
import type { ArmPosterior } from '../../stats/bandits/posterior.ts';
import { createPropensityCache } from '../../stats/bandits/propensity-cache.ts';
import { scoreDistributions } from '../../stats/bandits/score-distribution.ts';
import { DEFAULT_TOP_TWO_BETA, selectionProbability, TOP_TWO_MIN_ARMS } from '../../stats/bandits/thompson.ts';
import { bucketedActivity, drawTimeRange, outcomesInSequence, type BucketActivity } from '../../store/repositories/draw-history.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { PosteriorColumns } from '../../store/repositories/draws.ts';
import type { Arm } from '../../store/schema.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ServiceContext, ServiceDeps, UserActor } from '../context.ts';
import { drawMeanContext } from './analysis.ts';
import { banditDesignOf, modelOf, posteriorOf, priorOf, type StoredBanditDesign } from './bandit-design.ts';
import { bucketGrid, type BucketChoice } from './history-buckets.ts';
import { nextPosterior } from './record-outcome.ts';

/** Probabilities by exact posterior parameters, shared by every request (an entry never goes stale). */
const PROBABILITIES = createPropensityCache(4096);
/** Outcomes read per round trip while replaying an arm. */
const REPLAY_PAGE_ROWS = 5_000;

export async function banditHistoryForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, bucket: BucketChoice) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  const type = loaded.experiment.experiment_type;
  if (!isBanditType(type)) {
    throw new ValidationError([{ loc: ['path', 'experiment_id'], msg: `Experiment ${experimentId} is a ${type} experiment; only bandit experiments have a bandit history.`, type: 'value_error' }]);
  }
  return banditHistory(ctx, loaded, bucket);
}

interface Summary {
  readonly mean: number | null;
  readonly ci_lower: number | null;
  readonly ci_upper: number | null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const summaryJson = (s: PredictiveSummary): Summary => ({ mean: finite(s.mean), ci_lower: finite(s.ciLower), ci_upper: finite(s.ciUpper) });

export async function banditHistory(deps: Pick<ServiceDeps, 'db' | 'clock'>, loaded: LoadedExperiment, bucket: BucketChoice) {
  const e = loaded.experiment;
  const design = banditDesignOf(loaded);
  const model = modelOf(design);
  const arms = loaded.arms;
  const context =
    e.experiment_type === 'cmab_online' ? await drawMeanContext(deps.db, e.id, design.contexts ?? []) : design.prior_type === 'normal' ? [1] : undefined;
  const options = context === undefined ? {} : { context };
  const summarizeArm = (p: ArmPosterior) => summaryJson(summarize(model, p, options));
  const priors = arms.map((a) => priorOf(a, design));

  const range = await drawTimeRange(deps.db, e.id);
  const grid = range === null ? null : bucketGrid(bucket, range.first.getTime(), range.last.getTime());
  const activity = grid === null ? [] : await bucketedActivity(deps.db, e.id, grid.sizeMs);
  const posteriorAt = await storedOrReplayedPosteriors(deps, design, arms, priors, activity);

  const buckets = [];
  if (grid !== null) {
    const cell = new Map(activity.map((a) => [`${a.kind}|${a.bucket}|${a.arm_id}`, a]));
    const posteriors = [...priors];
    const seqs = arms.map(() => 0);
    let summaries = posteriors.map(summarizeArm);
    for (let i = 0; i < grid.count; i++) {
      const b = grid.first + i;
      const drawn = arms.map((a) => cell.get(`draw|${b}|${a.id}`)?.n ?? 0);
      const observed = arms.map((a) => cell.get(`outcome|${b}|${a.id}`));
      let moved = false;
      arms.forEach((a, k) => {
        const last = observed[k]?.last_seq ?? 0;
        // Concurrent outcomes can be observed out of sequence across a bucket boundary: keep the latest step.
        if (last > (seqs[k] as number)) {
          seqs[k] = last;
          posteriors[k] = posteriorAt.get(`${a.id}|${last}`) ?? (posteriors[k] as ArmPosterior);
          moved = true;
        }
      });
      if (moved) summaries = posteriors.map(summarizeArm);
      const totalDraws = drawn.reduce((s, n) => s + n, 0);
      const totalOutcomes = observed.reduce((s, o) => s + (o?.n ?? 0), 0);
      buckets.push({
        start: new Date(b * grid.sizeMs).toISOString(),
        end: new Date((b + 1) * grid.sizeMs).toISOString(),
        draws: totalDraws,
        outcomes: totalOutcomes,
        arms: arms.map((a, k) => {
          const o = observed[k];
          const s = summaries[k] as Summary;
          return {
            arm_id: a.id,
            draws: drawn[k] as number,
            draw_share: totalDraws === 0 ? null : (drawn[k] as number) / totalDraws,
            outcomes: o?.n ?? 0,
            mean_reward: o === undefined || o.sum === null ? null : o.sum / o.n,
            post_mean: s.mean,
            post_ci_lower: s.ci_lower,
            post_ci_upper: s.ci_upper,
            cumulative_outcomes: seqs[k] as number,
          };
        }),
      });
    }
  }

  const current = arms.map((a) => posteriorOf(a, design));
  const bestNow = bestProbabilities(current, context);
  const selectedNow = selectionProbabilities(current, context);
  const sums = new Map<string, { n: number; sum: number }>();
  for (const a of activity) {
    if (a.kind !== 'outcome') continue;
    const s = sums.get(a.arm_id) ?? { n: 0, sum: 0 };
    sums.set(a.arm_id, { n: s.n + a.n, sum: s.sum + (a.sum ?? 0) });
  }
  return {
    experiment_id: e.id,
    experiment_type: e.experiment_type,
    prior_type: design.prior_type,
    reward_type: design.reward_type,
    credible_level: DEFAULT_CREDIBLE_LEVEL,
    contexts: e.experiment_type === 'cmab_online' ? (context ?? null) : null,
    bucket_seconds: grid === null ? null : grid.sizeMs / 1000,
    created_at: deps.clock.now().toISOString(),
    arms: arms.map((a, k) => {
      const s = sums.get(a.id);
      return {
        arm_id: a.id,
        arm_name: a.name,
        arm_description: a.description,
        alpha_init: a.alpha_init,
        beta_init: a.beta_init,
        mu_init: a.mu_init,
        sigma_init: a.sigma_init,
        alpha: a.alpha,
        beta: a.beta,
        mu: a.mu,
        covariance: a.covariance,
        n_draws: Number(a.population),
        n_outcomes: Number(a.n_outcomes),
        mean_reward: s === undefined || s.n === 0 ? null : s.sum / s.n,
        prior: summarizeArm(priors[k] as ArmPosterior),
        posterior: summarizeArm(current[k] as ArmPosterior),
        prob_best: bestNow[k] ?? null,
        selection_probability: selectedNow[k] ?? null,
      };
    }),
    buckets,
  };
}

export type BanditHistory = Awaited<ReturnType<typeof banditHistory>>;

/** P(arm has the highest expected reward) under the posteriors: plain Thompson sampling's choice probabilities. */
function bestProbabilities(posteriors: readonly ArmPosterior[], context: readonly number[] | undefined): (number | null)[] {
  if (posteriors.length === 0) return [];
  const scores = scoreDistributions(posteriors, context);
  return posteriors.map((_, k) => finite(selectionProbability(scores, k, undefined, PROBABILITIES).probability));
}

/** The chance the next participant is drawn to each arm, top-two sampling included (draw-arm.ts's rule). */
function selectionProbabilities(posteriors: readonly ArmPosterior[], context: readonly number[] | undefined): (number | null)[] {
  if (posteriors.length < TOP_TWO_MIN_ARMS) return bestProbabilities(posteriors, context);
  const scores = scoreDistributions(posteriors, context);
  return posteriors.map((_, k) => finite(selectionProbability(scores, k, DEFAULT_TOP_TWO_BETA, PROBABILITIES).probability));
}

function fromColumns(c: PosteriorColumns, design: StoredBanditDesign): ArmPosterior | null {
  if (design.prior_type === 'beta') return c.alpha === null || c.beta === null ? null : { kind: 'beta', alpha: c.alpha, beta: c.beta };
  return c.mu === null || c.covariance === null ? null : { kind: 'normal', mean: c.mu, covariance: c.covariance };
}

/**
 * The posterior after each (arm, last_seq) the buckets need, keyed `arm|seq`: stored, or replayed for an arm
 * with any stored step missing (replay reads only that arm's outcomes, a page at a time, up to the last
 * step needed).
 */
async function storedOrReplayedPosteriors(
  deps: Pick<ServiceDeps, 'db'>,
  design: StoredBanditDesign,
  arms: readonly Arm[],
  priors: readonly ArmPosterior[],
  activity: readonly BucketActivity[],
): Promise<Map<string, ArmPosterior>> {
  const out = new Map<string, ArmPosterior>();
  const missing = new Map<string, Set<number>>();
  for (const a of activity) {
    if (a.kind !== 'outcome' || a.last_seq === null) continue;
    const stored = fromColumns({ alpha: a.current_alpha, beta: a.current_beta, mu: a.current_mu, covariance: a.current_covariance }, design);
    if (stored) out.set(`${a.arm_id}|${a.last_seq}`, stored);
    else missing.set(a.arm_id, (missing.get(a.arm_id) ?? new Set()).add(a.last_seq));
  }
  for (const [armId, wanted] of missing) {
    const k = arms.findIndex((a) => a.id === armId);
    let posterior = priors[k] as ArmPosterior;
    const lastWanted = Math.max(...wanted);
    let after = 0;
    while (after < lastWanted) {
      const page = await outcomesInSequence(deps.db, armId, after, REPLAY_PAGE_ROWS);
      if (page.length === 0) break;
      for (const o of page) {
        posterior = fromColumns(nextPosterior(design, posterior, o.outcome, o.context_vals), design) as ArmPosterior;
        if (wanted.has(o.seq)) out.set(`${armId}|${o.seq}`, posterior);
      }
      after = (page.at(-1) as { seq: number }).seq;
    }
  }
  return out;
}
