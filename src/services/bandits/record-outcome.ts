/**
 * Recording a bandit outcome (`POST …/assignments/{participant_id}/outcome`, reference §1.3 #8, §6.3) and
 * folding it into the drawn arm's posterior, with no lost updates. In one transaction:
 *
 *   1. the drawn arm's row is locked (`SELECT … FOR UPDATE`), so outcomes on one arm are applied one at a
 *      time, each to the posterior the previous one left — the reference read the arm, updated in Python and
 *      wrote it back without a lock, and concurrent outcomes overwrote each other;
 *   2. the new posterior is computed from the locked row;
 *   3. one statement writes the outcome on the draw only if the draw has none yet (`… WHERE outcome IS NULL`:
 *      a second outcome, even a concurrent one, writes nothing and answers 422), with its place in the arm's
 *      sequence (`outcome_seq`) and the posterior after it, and then the arm's posterior and outcome count.
 *
 * Replaying an arm's outcomes in `outcome_seq` order from its prior therefore gives its stored posterior
 * (test/bandits/concurrent-outcomes.test.ts checks this under 1,000 concurrent outcomes). The scheduler's
 * autofail goes through the same steps (`applyOutcome`), recorded as automatic.
 */
import type { Transaction } from 'kysely';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { updateBeta } from '../../stats/bandits/beta-update.ts';
import { laplaceLogisticUpdate } from '../../stats/bandits/logistic-laplace.ts';
import { updateNormal } from '../../stats/bandits/normal-update.ts';
import type { ArmPosterior } from '../../stats/bandits/posterior.ts';
import { findDraw, keyMayAssign, lockDrawArm, writeOutcome, type PosteriorColumns } from '../../store/repositories/draws.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { Arm, DB } from '../../store/schema.ts';
import { authenticateKeyForAssignment, forgetApiKey } from '../authentication.ts';
import type { ServiceDeps } from '../context.ts';
import { cachedExperiment } from '../assignments/experiment-cache.ts';
import { armBanditView, banditDesignOf, modelOf, posteriorOf, type StoredBanditDesign } from './bandit-design.ts';

export interface OutcomeRequest {
  readonly apiKey: string | undefined;
  readonly datasourceHeader: string | undefined;
  readonly experimentId: string;
  readonly participantId: string;
  readonly outcome: number;
}

/** The updated arm, as the reference answers (`ArmBandit`, with `arm_weight` null), plus `n_outcomes`. */
export async function recordOutcome(deps: ServiceDeps, req: OutcomeRequest) {
  let loaded: LoadedExperiment | undefined;
  const actor = await authenticateKeyForAssignment(deps, req.apiKey, req.experimentId, req.datasourceHeader, async (id) => {
    loaded = await cachedExperiment(deps, id);
    return loaded?.experiment.datasource_id;
  });
  if (!loaded) throw new NotFoundError('Experiment not found or not authorized.');
  const e = loaded.experiment;
  if (!isBanditType(e.experiment_type)) throw new ValidationError('Cannot dynamically update arms for frequentist experiments.', 'late');
  const design = banditDesignOf(loaded);
  const invalid = invalidOutcome(design, req.outcome);
  if (invalid !== null) {
    // The reference reports a missing or completed draw before a bad value.
    await explainNoOutcome(deps, e.id, req.participantId);
    throw new ValidationError([{ loc: ['body', 'outcome'], msg: invalid, type: 'late' }]);
  }
  const now = deps.clock.now();
  const arm = await deps.db.transaction().execute((trx) =>
    applyOutcome(trx, design, { experimentId: e.id, participantId: req.participantId, outcome: req.outcome, autofailed: false, keyId: actor.keyId, now }),
  );
  if (arm === undefined) {
    if (!(await keyMayAssign(deps.db, e.id, actor.keyId, now))) {
      // Revoked or expired since it was cached: answered like an unknown key, and forgotten.
      forgetApiKey(deps, req.apiKey as string);
      throw new NotFoundError('Experiment not found or not authorized.');
    }
    await explainNoOutcome(deps, e.id, req.participantId);
    // The draw was written by a concurrent request between our attempt and the check above.
    throw new ValidationError(`Participant ${req.participantId} already has an outcome recorded.`, 'assignment');
  }
  return { ...armBanditView(arm), arm_weight: null };
}

/** Throws the reference's 422 when the participant has no draw, or its draw already has an outcome. */
async function explainNoOutcome(deps: ServiceDeps, experimentId: string, participantId: string): Promise<void> {
  const draw = await findDraw(deps.db, experimentId, participantId);
  if (!draw) throw new ValidationError(`Participant ${participantId} does not have an assignment for which to record an outcome.`, 'assignment');
  if (draw.outcome !== null) throw new ValidationError(`Participant ${participantId} already has an outcome recorded.`, 'assignment');
}

/** The reference's message for a value the reward type cannot take, or null when it is acceptable. */
export function invalidOutcome(design: StoredBanditDesign, outcome: number): string | null {
  if (!Number.isFinite(outcome)) return `Invalid outcome: ${outcome}. Must be a finite number.`;
  if (design.reward_type === 'binary' && outcome !== 0 && outcome !== 1) {
    return `Invalid outcome for binary reward type: ${pythonFloat(outcome)}. Must be 0 or 1.`;
  }
  return null;
}

/** How Python prints a float (`2.0`, `0.5`), so messages read as the reference's do. */
function pythonFloat(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}

/**
 * Steps 1–3 above inside the caller's transaction. Returns the updated arm, or undefined when nothing was
 * written (no draw, an outcome already recorded, or — with `keyId` — a key that may no longer assign).
 */
export async function applyOutcome(
  trx: Transaction<DB>,
  design: StoredBanditDesign,
  q: { experimentId: string; participantId: string; outcome: number; autofailed: boolean; keyId: string | null; now: Date },
): Promise<Arm | undefined> {
  const locked = await lockDrawArm(trx, q.experimentId, q.participantId);
  if (!locked || locked.hasOutcome) return undefined;
  const { arm } = locked;
  return writeOutcome(trx, {
    experimentId: q.experimentId,
    participantId: q.participantId,
    armId: arm.id,
    outcome: q.outcome,
    observedAt: q.now,
    autofailed: q.autofailed,
    keyId: q.keyId,
    seq: Number(arm.n_outcomes) + 1,
    posterior: nextPosterior(design, posteriorOf(arm, design), q.outcome, locked.contextVals),
  });
}

/** One outcome's update under the design's reward model (docs/statistics.md, "Reward models"); the history replays it too. */
export function nextPosterior(design: StoredBanditDesign, current: ArmPosterior, outcome: number, contextVals: readonly number[] | null): PosteriorColumns {
  const model = modelOf(design);
  if (model === 'beta-bernoulli') {
    if (current.kind !== 'beta') throw new Error('a Beta–Bernoulli arm must hold a Beta posterior');
    const next = updateBeta(current, [outcome as 0 | 1]);
    return { alpha: next.alpha, beta: next.beta, mu: null, covariance: null };
  }
  if (current.kind !== 'normal') throw new Error(`a ${model} arm must hold a Normal posterior`);
  const context = contextVals === null ? [1] : [...contextVals];
  const next =
    model === 'normal-linear'
      ? updateNormal(current, [{ context, reward: outcome }])
      : laplaceLogisticUpdate(current, [{ context, reward: outcome as 0 | 1 }]).posterior;
  return { alpha: null, beta: null, mu: next.mean, covariance: next.covariance };
}
