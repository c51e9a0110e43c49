/**
 * Editing a committed experiment's registry entry (reference §1.6): name, description, design URL, dates,
 * decision and impact, and an arm's name and description. Drafts and abandoned experiments answer 422, as
 * in the reference. Moving `end_date` past now lifts an `end_date` stop, so an experiment that ran out of
 * time can be extended, and re-arms `experiment.ended` for the new date. Each change is audited in its own
 * transaction.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { requireExperimentForUser } from '../access.ts';
import { recordAudit } from '../audit.ts';
import { emitExperimentEvent } from '../webhook-outbox.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { forgetExperiment } from '../assignments/experiment-cache.ts';

export interface ExperimentPatch {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** `''` clears it. */
  readonly design_url?: string | undefined;
  readonly start_date?: string | undefined;
  readonly end_date?: string | undefined;
  readonly decision?: string | undefined;
  readonly impact?: 'high' | 'medium' | 'low' | 'negative' | 'unclear' | '' | undefined;
}

export interface ArmPatch {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
}

function requireCommitted(state: string): void {
  if (state !== 'committed') throw new ValidationError(`Invalid experiment state: ${state}; only committed experiments can be edited.`);
}

export async function patchExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, patch: ExperimentPatch): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  requireCommitted(exp.state);
  const start = patch.start_date !== undefined ? new Date(patch.start_date) : exp.start_date;
  const end = patch.end_date !== undefined ? new Date(patch.end_date) : exp.end_date;
  if (start >= end) {
    throw new ValidationError([{ loc: ['body', patch.end_date !== undefined ? 'end_date' : 'start_date'], msg: 'start_date must be before end_date', type: 'value_error' }]);
  }
  const now = ctx.clock.now();
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.design_url !== undefined ? { design_url: patch.design_url === '' ? null : patch.design_url } : {}),
    ...(patch.start_date !== undefined ? { start_date: start } : {}),
    ...(patch.end_date !== undefined ? { end_date: end } : {}),
    ...(patch.decision !== undefined ? { decision: patch.decision } : {}),
    ...(patch.impact !== undefined ? { impact: patch.impact } : {}),
  };
  const liftsEndDateStop = patch.end_date !== undefined && end > now && exp.stopped_assignments_reason === 'end_date';
  // An end date moved into the future re-arms `experiment.ended`, sent again when the new date passes (experiment-ended.ts).
  const rearmsEnded = patch.end_date !== undefined && end > now;
  if (Object.keys(changes).length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('experiments')
      .set({
        ...changes,
        ...(liftsEndDateStop ? { stopped_assignments_at: null, stopped_assignments_reason: null } : {}),
        ...(rearmsEnded ? { ended_event_at: null } : {}),
        updated_at: now,
      })
      .where('id', '=', experimentId)
      .execute();
    await recordAudit(trx, ctx, {
      organizationId: exp.organization_id,
      action: 'experiment.updated',
      targetType: 'experiment',
      targetId: exp.id,
      details: { fields: Object.keys(changes).sort(), ...(liftsEndDateStop ? { lifted_stop: 'end_date' } : {}) },
    });
    await emitExperimentEvent(trx, { publicUrl: ctx.publicUrl, now }, {
      type: 'experiment.updated',
      experiment: exp,
      data: { changed_fields: Object.keys(changes).sort() },
    });
  });
  forgetExperiment(ctx, experimentId);
}

export async function patchArm(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, armId: string, patch: ArmPatch): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  requireCommitted(exp.state);
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const arm = await trx.selectFrom('arms').select('id').where('id', '=', armId).where('experiment_id', '=', experimentId).executeTakeFirst();
    if (!arm) throw new NotFoundError('Arm not found.');
    if (Object.keys(changes).length === 0) return;
    await trx.updateTable('arms').set(changes).where('id', '=', armId).execute();
    await recordAudit(trx, ctx, {
      organizationId: exp.organization_id,
      action: 'experiment.arm_updated',
      targetType: 'arm',
      targetId: armId,
      details: { experiment_id: exp.id, fields: Object.keys(changes).sort() },
    });
  });
  forgetExperiment(ctx, experimentId);
}
