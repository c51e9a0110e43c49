/**
 * Bandit assignment ("a draw"): `GET …/assignments/{participant_id}` for MAB and MAB-DWH, `POST
 * …/assign_cmab` for contextual bandits. An unseen participant is given an arm by Thompson sampling (top-two
 * from five arms on) from every arm's current posterior, at the participant's context; the draw is stored
 * with that context and with the exact probability the chosen arm had of being chosen under those
 * posteriors (`propensity`), which is what later makes inverse-propensity estimates unbiased. Every later
 * request, and every concurrent first request, gets the stored draw.
 *
 * Two statements: one re-checks the (cached) key and experiment version and reads the participant's draw or,
 * if there is none, every arm's posterior; the second inserts the draw only if nothing changed meanwhile.
 * A posterior may move between the two (an outcome on another request): the draw and its propensity then
 * belong to the posterior that was read, which is the one the choice was actually made from.
 *
 * Rules for new draws, in the reference's order (§6.2, §1.3 #7): a stopped experiment draws for no one; a
 * CMAB needs a valid context (422) and never creates through GET (422); a draft or abandoned experiment
 * answers 422; past `end_date` the stop is recorded; and, as for online A/B (docs/decisions.md), nobody is
 * drawn before `start_date`.
 */
import { contextVector, type ContextInput } from '../../domain/bandit-context.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { createPropensityCache } from '../../stats/bandits/propensity-cache.ts';
import { chooseArm } from '../../stats/bandits/thompson.ts';
import { randomSeed, seededRandom } from '../../stats/random.ts';
import { findDraw, insertDraw, readDrawState, type DrawRow } from '../../store/repositories/draws.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { Arm } from '../../store/schema.ts';
import { authenticateKeyForAssignment, forgetApiKey } from '../authentication.ts';
import type { ServiceDeps } from '../context.ts';
import { recordAutomaticStop } from '../experiments/assignment-stops.ts';
import { cachedExperiment, forgetExperiment } from '../assignments/experiment-cache.ts';
import { armsInDrawOrder, banditDesignOf, posteriorOf } from './bandit-design.ts';

/**
 * Selection probabilities by exact posterior parameters; an entry can never go stale (a new posterior has a
 * new key), so one cache serves every experiment and database of the process.
 */
const PROPENSITIES = createPropensityCache(4096);

export function banditAssignmentView(row: DrawRow, arms: readonly Pick<Arm, 'id' | 'name'>[]) {
  return {
    participant_id: row.participant_id,
    arm_id: row.arm_id,
    arm_name: arms.find((a) => a.id === row.arm_id)?.name ?? '',
    created_at: row.created_at.toISOString(),
    strata: [] as { field_name: string; strata_value: string | null }[],
    observed_at: row.observed_at?.toISOString() ?? null,
    outcome: row.outcome,
    autofailed_outcome: row.autofailed_outcome,
    context_values: row.context_vals,
    /** The probability the arm had of being drawn for this participant (beyond the reference). */
    propensity: row.propensity,
  };
}

export type BanditAssignmentView = ReturnType<typeof banditAssignmentView>;

export interface BanditNoAssignmentReason {
  readonly code: 'stopped' | 'before_start_date';
  readonly message: string;
}

export interface BanditAssignOutcome {
  readonly body: {
    readonly experiment_id: string;
    readonly participant_id: string;
    readonly assignment: BanditAssignmentView | null;
    readonly reason?: BanditNoAssignmentReason;
  };
  /** A draw with an outcome can no longer change, so a client may cache it (reference §1.3 #5). */
  readonly cacheable: boolean;
}

export interface BanditDrawRequest {
  readonly apiKey: string;
  readonly keyId: string;
  readonly participantId: string;
  readonly createIfNone: boolean;
  /** `get` (MAB, MAB-DWH; a CMAB cannot create here) or `cmab` (`assign_cmab`, with the context inputs). */
  readonly endpoint: 'get' | 'cmab';
  readonly contextInputs?: readonly ContextInput[] | null | undefined;
  /** Fixes the Thompson draw (hidden `random_state`, tests only). */
  readonly randomState?: number | undefined;
}

/**
 * One attempt on the (possibly cached) experiment; `'stale'` when the database says the cached key or
 * experiment was out of date and nothing was written, so the caller retries with fresh lookups.
 */
export async function drawForParticipant(deps: ServiceDeps, loadedIn: LoadedExperiment, req: BanditDrawRequest): Promise<BanditAssignOutcome | 'stale'> {
  let loaded = loadedIn;
  const e = loaded.experiment;
  const now = deps.clock.now();
  const wantsNew = req.createIfNone && e.stopped_assignments_at === null;
  const state = await readDrawState(deps.db, { experimentId: e.id, participantId: req.participantId, keyId: req.keyId, now, withArms: wantsNew });
  if (state.version === null) {
    forgetApiKey(deps, req.apiKey);
    forgetExperiment(deps, e.id);
    return 'stale';
  }
  if (state.version !== e.version) {
    forgetExperiment(deps, e.id);
    // A decision taken on an outdated copy would be wrong; an existing draw is still the answer.
    if (!state.draw) return 'stale';
    loaded = (await cachedExperiment(deps, e.id, true)) ?? loaded;
  }
  const respond = (row: DrawRow | undefined, reason?: BanditNoAssignmentReason): BanditAssignOutcome => ({
    body: {
      experiment_id: e.id,
      participant_id: req.participantId,
      assignment: row ? banditAssignmentView(row, loaded.arms) : null,
      ...(reason && !row ? { reason } : {}),
    },
    cacheable: row !== undefined && row.outcome !== null,
  });

  if (state.draw) return respond(state.draw);
  if (!req.createIfNone) return respond(undefined);
  if (e.stopped_assignments_at !== null) return respond(undefined, stoppedReason(e.id, e.stopped_assignments_reason ?? 'manual'));
  const design = banditDesignOf(loaded);
  let context: number[] | null = null;
  if (e.experiment_type === 'cmab_online') {
    if (req.endpoint === 'get') {
      throw new ValidationError('New arm assignments for cmab_online cannot be created at this endpoint, please use the corresponding POST endpoint instead.', 'late');
    }
    context = contextVector(design.contexts ?? [], req.contextInputs);
  }
  if (e.state !== 'committed') throw new ValidationError(`Invalid experiment state: ${e.state}`, 'assignment');
  if (now > e.end_date) {
    await recordAutomaticStop(deps, e.id, 'end_date');
    return respond(undefined, stoppedReason(e.id, 'end_date'));
  }
  if (now < e.start_date) {
    return respond(undefined, { code: 'before_start_date', message: `Experiment ${e.id} starts at ${e.start_date.toISOString()}; no new assignments are made before then.` });
  }

  const arms = armsInDrawOrder(state.arms ?? []);
  if (arms.length === 0) throw new ValidationError('Experiment has no arms', 'assignment');
  const choice = chooseArm(
    arms.map((a) => posteriorOf(a, design)),
    seededRandom(req.randomState ?? randomSeed()),
    { ...(design.prior_type === 'normal' ? { context: context ?? [1] } : {}), cache: PROPENSITIES },
  );
  const inserted = await insertDraw(deps.db, {
    experimentId: e.id,
    participantId: req.participantId,
    keyId: req.keyId,
    now,
    expectedVersion: state.version,
    draw: {
      armId: (arms[choice.arm] as { id: string }).id,
      createdAt: now,
      contextVals: context,
      propensity: choice.propensity,
      propensityMethod: choice.propensityMethod,
    },
  });
  if (inserted.version === null) {
    forgetApiKey(deps, req.apiKey);
    forgetExperiment(deps, e.id);
    return 'stale';
  }
  if (inserted.row) return respond(inserted.row);
  if (inserted.version !== state.version) {
    forgetExperiment(deps, e.id);
    return 'stale';
  }
  // Lost a race with a concurrent first request: the winner's draw is committed and visible now.
  return respond(await findDraw(deps.db, e.id, req.participantId));
}

function stoppedReason(experimentId: string, reason: string): BanditNoAssignmentReason {
  return { code: 'stopped', message: `Experiment ${experimentId} no longer assigns new participants (stopped_assignments_reason: ${reason}).` };
}

export interface CmabAssignRequest {
  readonly apiKey: string | undefined;
  readonly datasourceHeader: string | undefined;
  readonly experimentId: string;
  readonly participantId: string;
  readonly createIfNone: boolean;
  readonly contextInputs: readonly ContextInput[] | null | undefined;
  readonly randomState?: number | undefined;
}

/** `POST …/assign_cmab`: get or create a contextual bandit's draw; other experiment types answer 422. */
export async function assignCmabParticipant(deps: ServiceDeps, req: CmabAssignRequest): Promise<BanditAssignOutcome> {
  for (const fresh of [false, true]) {
    let loaded: LoadedExperiment | undefined;
    const actor = await authenticateKeyForAssignment(deps, req.apiKey, req.experimentId, req.datasourceHeader, async (id) => {
      loaded = await cachedExperiment(deps, id, fresh);
      return loaded?.experiment.datasource_id;
    });
    if (!loaded) throw new NotFoundError('Experiment not found or not authorized.');
    const e = loaded.experiment;
    if (e.experiment_type !== 'cmab_online') {
      throw new ValidationError(
        `Experiment ${e.id} is a ${e.experiment_type} experiment, and not a cmab_online experiment. Please use the corresponding GET endpoint to create assignments.`,
        'late',
      );
    }
    const result = await drawForParticipant(deps, loaded, {
      apiKey: req.apiKey as string,
      keyId: actor.keyId,
      participantId: req.participantId,
      createIfNone: req.createIfNone,
      endpoint: 'cmab',
      contextInputs: req.contextInputs,
      randomState: req.randomState,
    });
    if (result !== 'stale') return result;
  }
  // Changed under us twice in a row (or the key was revoked between lookup and statement).
  throw new NotFoundError('Experiment not found or not authorized.');
}
