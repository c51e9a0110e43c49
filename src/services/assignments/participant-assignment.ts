/**
 * One participant's assignment, for the client backend. Preassigned experiments only ever return the stored
 * arm. Online experiments assign an unseen participant on the spot; the same id always gets the same answer
 * because the first insert wins (a unique key does the concurrency work, not a read-then-write).
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { drawWeighted } from '../../stats/allocation.ts';
import { randomSeed, seededRandom } from '../../stats/random.ts';
import { findAssignment, insertAssignmentIfAbsent, type AssignmentRow } from '../../store/repositories/assignments.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { Arm } from '../../store/schema.ts';
import type { ApiKeyActor, ServiceContext } from '../context.ts';

export interface ParticipantAssignmentResult {
  readonly experiment_id: string;
  readonly participant_id: string;
  readonly assignment: ReturnType<typeof assignmentView> | null;
}

export function assignmentView(row: AssignmentRow, arms: readonly Arm[]) {
  const arm = arms.find((a) => a.id === row.arm_id);
  return {
    participant_id: row.participant_id,
    arm_id: row.arm_id,
    arm_name: arm?.name ?? '',
    created_at: row.created_at.toISOString(),
    strata: [] as { field_name: string; strata_value: string | null }[],
    observed_at: null,
    outcome: null,
    context_values: null,
  };
}

export async function getParticipantAssignment(
  ctx: ServiceContext<ApiKeyActor>,
  experimentId: string,
  participantId: string,
  options: { createIfNone: boolean },
): Promise<ParticipantAssignmentResult> {
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded || loaded.experiment.datasource_id !== ctx.actor.datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  const result = (row: AssignmentRow | undefined): ParticipantAssignmentResult => ({
    experiment_id: experimentId,
    participant_id: participantId,
    assignment: row ? assignmentView(row, loaded.arms) : null,
  });

  const existing = await findAssignment(ctx.db, experimentId, participantId);
  if (existing || !options.createIfNone || loaded.experiment.experiment_type !== 'freq_online') return result(existing);
  if (!(await mayAssign(ctx, loaded))) return result(undefined);

  const arm = chooseArm(loaded.arms);
  const created = await insertAssignmentIfAbsent(ctx.db, experimentId, participantId, arm.id);
  // Lost a race with a concurrent first request: the winner's row is now committed and visible.
  return result(created ?? (await findAssignment(ctx.db, experimentId, participantId)));
}

/** Whether a new online assignment may be made now; records an end-date stop the first time it applies. */
async function mayAssign(ctx: ServiceContext, loaded: LoadedExperiment): Promise<boolean> {
  const e = loaded.experiment;
  if (e.state !== 'committed') {
    throw new ValidationError([{ loc: [0], msg: `Invalid experiment state: ${e.state}`, type: 'assignment' }]);
  }
  if (e.stopped_assignments_at !== null) return false;
  const now = ctx.clock.now();
  if (now > e.end_date) {
    await ctx.db
      .updateTable('experiments')
      .set({ stopped_assignments_at: now, stopped_assignments_reason: 'end_date', updated_at: now })
      .where('id', '=', e.id)
      .where('stopped_assignments_at', 'is', null)
      .execute();
    return false;
  }
  return true;
}

/** Arms sorted by name (as the reference draws), uniformly or by weight. */
function chooseArm(arms: readonly Arm[]): Arm {
  const sorted = [...arms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.position - b.position));
  const weights = sorted.map((a) => a.weight ?? 1);
  return sorted[drawWeighted(weights, seededRandom(randomSeed()))] as Arm;
}
