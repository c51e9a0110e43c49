/**
 * One participant's assignment, for the client backend (`GET …/assignments/{id}` and
 * `POST …/assign_with_filters`). Preassigned experiments only ever return the stored arm. Online
 * experiments assign an unseen participant on the spot, by a weighted random draw or, in hash mode, by a
 * GrowthBook-compatible hash of seed + participant id. The common path is one database round trip: the
 * key and experiment come from per-process caches and a single statement re-checks both, returns an
 * existing assignment or inserts a new one (see `getOrCreateOnlineAssignment`). The same id always gets
 * the same answer because the first insert wins.
 *
 * Rules for new online assignments, in order (`docs/decisions.md`): a stopped experiment assigns no one;
 * `assign_with_filters` evaluates the stored filters on the supplied properties (a missing property is
 * null, so an empty list fails every filter that needs a value); a draft or abandoned experiment answers
 * 422; past `end_date` the stop is recorded; before `start_date` nobody is assigned yet; with
 * `stop_at_desired_n` the experiment stops at `desired_n`.
 */
import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors.ts';
import { hashAssignment } from '../../domain/hash-assignment.ts';
import { drawWeighted } from '../../stats/allocation.ts';
import { randomSeed, seededRandom } from '../../stats/random.ts';
import { findAssignment, getOrCreateOnlineAssignment, type AssignmentRow, type OnlineInsert } from '../../store/repositories/assignments.ts';
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { Arm } from '../../store/schema.ts';
import { rowPassesFilters } from '../../warehouse/filter-eval.ts';
import { validateFilters } from '../../warehouse/filter-values.ts';
import type { ColumnType, Filter, WarehouseValue } from '../../warehouse/warehouse.ts';
import { authenticateKeyForAssignment, forgetApiKey } from '../authentication.ts';
import type { ServiceDeps } from '../context.ts';
import { recordAutomaticStop } from '../experiments/assignment-stops.ts';
import { designOf } from '../experiments/stored-design.ts';
import { cachedExperiment, forgetExperiment } from './experiment-cache.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { drawForParticipant, type BanditAssignmentView } from '../bandits/draw-arm.ts';

export interface ParticipantProperty {
  readonly field_name: string;
  readonly value: string | number | boolean | null;
}

export interface AssignRequest {
  readonly apiKey: string | undefined;
  readonly datasourceHeader: string | undefined;
  readonly experimentId: string;
  readonly participantId: string;
  readonly createIfNone: boolean;
  /** `assign_with_filters`: the participant's properties (possibly none); undefined for a plain GET. */
  readonly properties?: readonly ParticipantProperty[] | undefined;
  /** Fixes the random draw, for tests (hidden query parameter `random_state`). */
  readonly randomState?: number | undefined;
}

/** Why an online experiment assigned no one; only present when it could have but did not. */
export interface NoAssignmentReason {
  readonly code: 'stopped' | 'before_start_date' | 'filters_not_met';
  readonly message: string;
}

export interface ParticipantAssignmentResult {
  readonly experiment_id: string;
  readonly participant_id: string;
  /** A frequentist assignment, or a bandit draw (`services/bandits/draw-arm.ts`). */
  readonly assignment: ReturnType<typeof assignmentView> | BanditAssignmentView | null;
  readonly reason?: NoAssignmentReason;
}

export interface AssignOutcome {
  readonly body: ParticipantAssignmentResult;
  /** Whether a `Cache-Control` hint may be sent (an assignment was returned and it cannot change). */
  readonly cacheable: boolean;
}

export function assignmentView(row: AssignmentRow, arms: readonly Arm[]) {
  const arm = arms.find((a) => a.id === row.arm_id);
  return {
    participant_id: row.participant_id,
    arm_id: row.arm_id,
    arm_name: arm?.name ?? '',
    created_at: row.created_at.toISOString(),
    strata: row.strata,
    observed_at: null,
    outcome: null,
    context_values: null,
    assignment_method: row.assignment_method as 'random' | 'hash',
    hash_bucket: row.hash_bucket,
  };
}

type Plan =
  | { readonly kind: 'read' }
  | { readonly kind: 'refuse'; readonly why: 'stopped' | 'filters_not_met' | 'state' | 'end_date' | 'before_start_date' }
  | { readonly kind: 'insert'; readonly insert: OnlineInsert };

/** Gets or creates the assignment; retries once with fresh lookups when a cached copy proved stale. */
export async function assignParticipant(deps: ServiceDeps, req: AssignRequest): Promise<AssignOutcome> {
  const first = await attempt(deps, req, false);
  if (first !== 'stale') return first;
  const second = await attempt(deps, req, true);
  if (second !== 'stale') return second;
  // Changed under us twice in a row (or the key was revoked between lookup and statement).
  throw new NotFoundError('Experiment not found or not authorized.');
}

async function attempt(deps: ServiceDeps, req: AssignRequest, fresh: boolean): Promise<AssignOutcome | 'stale'> {
  let loaded: LoadedExperiment | undefined;
  const actor = await authenticateKeyForAssignment(deps, req.apiKey, req.experimentId, req.datasourceHeader, async (id) => {
    loaded = await cachedExperiment(deps, id, fresh);
    return loaded?.experiment.datasource_id;
  });
  if (!loaded) throw new NotFoundError('Experiment not found or not authorized.');
  const e = loaded.experiment;
  if (req.properties !== undefined) {
    if (e.experiment_type !== 'freq_online') {
      throw new ValidationError(`Experiment ${e.id} is a ${e.experiment_type} experiment, and not a freq_online experiment.`, 'assignment');
    }
    checkPropertyTypes(loaded, req.properties);
  }
  if (isBanditType(e.experiment_type)) {
    // Bandits draw from their posteriors; the plain GET serves MAB and MAB-DWH (and only reads for CMAB).
    return drawForParticipant(deps, loaded, {
      apiKey: req.apiKey as string,
      keyId: actor.keyId,
      participantId: req.participantId,
      createIfNone: req.createIfNone,
      endpoint: 'get',
      randomState: req.randomState,
    });
  }

  const now = deps.clock.now();
  const plan = planNew(loaded, req, now);
  const result = await getOrCreateOnlineAssignment(deps.db, {
    experimentId: e.id,
    participantId: req.participantId,
    keyId: actor.keyId,
    now,
    expectedVersion: e.version,
    insert: plan.kind === 'insert' ? plan.insert : null,
  });
  if (result.version === null) {
    forgetApiKey(deps, req.apiKey as string);
    forgetExperiment(deps, e.id);
    return 'stale';
  }
  if (result.version !== e.version) {
    forgetExperiment(deps, e.id);
    // A decision taken on an outdated copy wrote nothing; take it again on the current one.
    if (!result.row) return 'stale';
    loaded = (await cachedExperiment(deps, e.id, true)) ?? loaded;
  }

  const respond = (row: AssignmentRow | undefined, reason?: NoAssignmentReason): AssignOutcome => ({
    body: {
      experiment_id: e.id,
      participant_id: req.participantId,
      assignment: row ? assignmentView(row, (loaded as LoadedExperiment).arms) : null,
      ...(reason && !row ? { reason } : {}),
    },
    cacheable: row !== undefined && (e.experiment_type === 'freq_online' || e.experiment_type === 'freq_preassigned'),
  });

  if (result.row) {
    if (result.created && plan.kind === 'insert' && plan.insert.capacity !== null && result.populationBefore + 1 >= plan.insert.capacity) {
      await recordAutomaticStop(deps, e.id, 'target_n');
    }
    return respond(result.row);
  }
  if (plan.kind === 'read') return respond(undefined);
  if (plan.kind === 'insert') {
    if (plan.insert.capacity !== null && result.populationBefore >= plan.insert.capacity) {
      await recordAutomaticStop(deps, e.id, 'target_n');
      return respond(undefined, stoppedReason(e.id, 'target_n'));
    }
    // Lost a race with a concurrent first request: the winner's row is committed and visible now.
    return respond(await findAssignment(deps.db, e.id, req.participantId));
  }
  switch (plan.why) {
    case 'state':
      throw new ValidationError(`Invalid experiment state: ${e.state}`, 'assignment');
    case 'end_date':
      await recordAutomaticStop(deps, e.id, 'end_date');
      return respond(undefined, stoppedReason(e.id, 'end_date'));
    case 'stopped':
      return respond(undefined, stoppedReason(e.id, e.stopped_assignments_reason ?? 'manual'));
    case 'filters_not_met':
      return respond(undefined, { code: 'filters_not_met', message: "The participant's properties do not pass the experiment's filters; nothing was stored." });
    case 'before_start_date':
      return respond(undefined, {
        code: 'before_start_date',
        message: `Experiment ${e.id} starts at ${e.start_date.toISOString()}; no new assignments are made before then.`,
      });
  }
}

function stoppedReason(experimentId: string, reason: string): NoAssignmentReason {
  return { code: 'stopped', message: `Experiment ${experimentId} no longer assigns new participants (stopped_assignments_reason: ${reason}).` };
}

/** What to do if the participant turns out to have no assignment yet. */
function planNew(loaded: LoadedExperiment, req: AssignRequest, now: Date): Plan {
  const e = loaded.experiment;
  if (!req.createIfNone || e.experiment_type !== 'freq_online') return { kind: 'read' };
  if (e.stopped_assignments_at !== null) return { kind: 'refuse', why: 'stopped' };
  if (req.properties !== undefined && !passesFilters(loaded, req.properties)) return { kind: 'refuse', why: 'filters_not_met' };
  if (e.state !== 'committed') return { kind: 'refuse', why: 'state' };
  if (now > e.end_date) return { kind: 'refuse', why: 'end_date' };
  if (now < e.start_date) return { kind: 'refuse', why: 'before_start_date' };
  const desiredN = designOf(loaded).desired_n;
  const capacity = e.stop_at_desired_n && desiredN !== null ? desiredN : null;
  if (e.assignment_mode === 'hash') {
    const arms = [...loaded.arms].sort((a, b) => a.position - b.position);
    const weighted = arms.every((a) => a.weight !== null);
    const { armIndex, bucket } = hashAssignment(e.hash_seed ?? e.id, req.participantId, weighted ? arms.map((a) => (a.weight as number) / 100) : null, arms.length);
    const arm = arms[armIndex];
    // Full coverage leaves no gap; an index of -1 would only come from weights that do not sum to 1.
    if (!arm) return { kind: 'refuse', why: 'filters_not_met' };
    return { kind: 'insert', insert: { armId: arm.id, method: 'hash', bucket, capacity } };
  }
  return { kind: 'insert', insert: { armId: drawArm(loaded.arms, req.randomState).id, method: 'random', bucket: null, capacity } };
}

/** Arms sorted by name (as the reference draws), uniformly or by weight. */
function drawArm(arms: readonly Arm[], randomState: number | undefined): Arm {
  const sorted = [...arms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.position - b.position));
  const weights = sorted.map((a) => a.weight ?? 1);
  return sorted[drawWeighted(weights, seededRandom(randomState ?? randomSeed()))] as Arm;
}

/** The row the filters see: every filter field, null unless a property supplies it. */
function passesFilters(loaded: LoadedExperiment, properties: readonly ParticipantProperty[]): boolean {
  const design = designOf(loaded);
  const supplied = new Map(properties.map((p) => [p.field_name, p.value]));
  const row: Record<string, WarehouseValue> = {};
  for (const f of design.filters) row[f.field_name] = supplied.get(f.field_name) ?? null;
  return rowPassesFilters(row, design.filters as readonly Filter[], design.field_types as Record<string, ColumnType>);
}

/** A property of a known field must fit its column type, as a filter value would (422 otherwise). */
function checkPropertyTypes(loaded: LoadedExperiment, properties: readonly ParticipantProperty[]): void {
  const types = designOf(loaded).field_types;
  const issues: ValidationIssue[] = [];
  properties.forEach((p, i) => {
    const type = Object.hasOwn(types, p.field_name) ? types[p.field_name] : undefined;
    if (type === undefined || p.value === null) return;
    for (const issue of validateFilters([{ field_name: p.field_name, relation: 'includes', value: [p.value] }], { [p.field_name]: type })) {
      issues.push({ loc: ['body', 'properties', i, 'value'], msg: `${p.field_name}: ${issue.msg}`, type: 'value_error' });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
}
