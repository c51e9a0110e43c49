/**
 * `DELETE …/experiments/{id}/data` (reference §1.6): drops an experiment's collected data while keeping
 * its design. `assignments` deletes every assignment and zeroes the arms' counts (and lifts a `target_n`
 * stop, whose count starts again from zero; bandits also lose their draws and go back to their priors);
 * `snapshots` deletes the analysis history. Answers 204 even when nothing was selected.
 */
import { requireExperimentForUser } from '../access.ts';
import { recordAudit } from '../audit.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { forgetExperiment } from '../assignments/experiment-cache.ts';
import { deleteExperimentAssignments } from '../../store/repositories/assignments.ts';
import { resetBanditData } from '../../store/repositories/draws.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';

export interface DataSelection {
  readonly assignments: boolean;
  readonly snapshots: boolean;
}

export async function deleteExperimentData(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, what: DataSelection): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  if (!what.assignments && !what.snapshots) return;
  await ctx.db.transaction().execute(async (trx) => {
    let deletedAssignments = 0;
    if (what.assignments) {
      deletedAssignments = await deleteExperimentAssignments(trx, experimentId);
      // Bandits: their draws go too, and every arm's posterior goes back to its prior (reference: "resets arm_stats").
      if (isBanditType(exp.experiment_type)) deletedAssignments += await resetBanditData(trx, experimentId);
      await trx
        .updateTable('experiments')
        .set({ stopped_assignments_at: null, stopped_assignments_reason: null, updated_at: ctx.clock.now() })
        .where('id', '=', experimentId)
        .where('stopped_assignments_reason', '=', 'target_n')
        .execute();
    }
    let deletedSnapshots = 0;
    if (what.snapshots) {
      const r = await trx.deleteFrom('snapshots').where('experiment_id', '=', experimentId).executeTakeFirst();
      deletedSnapshots = Number(r.numDeletedRows);
    }
    await recordAudit(trx, ctx, {
      organizationId: exp.organization_id,
      action: 'experiment.data_deleted',
      targetType: 'experiment',
      targetId: exp.id,
      details: { assignments: what.assignments, snapshots: what.snapshots, deleted_assignments: deletedAssignments, deleted_snapshots: deletedSnapshots },
    });
  });
  forgetExperiment(ctx, experimentId);
}
