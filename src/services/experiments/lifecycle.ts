/**
 * Commit and abandon. Each writes, in the transaction that changes the state, its event
 * (`experiment.created` to the linked webhooks, `experiment.abandoned` to subscribed ones) and one delivery
 * task per endpoint (a transactional outbox): either the state changed and its notifications are certain to
 * go out, or neither happened.
 */
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { transition, type ExperimentState, type Transition } from '../../domain/experiment-state.ts';
import { recordAudit } from '../audit.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { forgetExperiment } from '../assignments/experiment-cache.ts';
import { emitExperimentEvent } from '../webhook-outbox.ts';

export async function commitExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await changeState(ctx, datasourceId, experimentId, 'commit');
  forgetExperiment(ctx, experimentId);
}

export async function abandonExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await changeState(ctx, datasourceId, experimentId, 'abandon');
  forgetExperiment(ctx, experimentId);
}

async function changeState(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, action: Transition) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  await ctx.db.transaction().execute(async (trx) => {
    // The row lock serializes concurrent commits, so a second commit sees 'committed' and fires nothing.
    const exp = await trx.selectFrom('experiments').selectAll().where('id', '=', experimentId).forUpdate().executeTakeFirst();
    if (!exp) throw new NotFoundError('Experiment not found.');
    const next = transition(exp.state as ExperimentState, action);
    if (next === null) return;
    // Participants are still being written: committing now would notify clients of a half-filled experiment.
    if (next === 'committed' && (exp.assignment_progress as { status?: string } | null)?.status === 'running') {
      throw new ConflictError('Assignment is still running; commit when it has finished.');
    }
    const now = ctx.clock.now();
    await trx.updateTable('experiments').set({ state: next, updated_at: now }).where('id', '=', experimentId).execute();
    await recordAudit(trx, ctx, { organizationId: exp.organization_id, action: `experiment.${next}`, targetType: 'experiment', targetId: exp.id });
    // The event, its message and one delivery task per endpoint are written in this transaction (the outbox).
    const outbox = { publicUrl: ctx.publicUrl, now };
    if (next === 'committed') await emitExperimentEvent(trx, outbox, { type: 'experiment.created', experiment: exp });
    else if (next === 'abandoned') await emitExperimentEvent(trx, outbox, { type: 'experiment.abandoned', experiment: exp, data: {} });
  });
}

export async function deleteExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, allowMissing: boolean) {
  try {
    await requireExperimentForUser(ctx, datasourceId, experimentId);
  } catch (err) {
    if (err instanceof NotFoundError && err.message === 'Experiment not found.' && allowMissing) return;
    throw err;
  }
  await ctx.db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('experiments').where('id', '=', experimentId).returning(['organization_id', 'name']).executeTakeFirst();
    if (deleted) {
      await recordAudit(trx, ctx, { organizationId: deleted.organization_id, action: 'experiment.deleted', targetType: 'experiment', targetId: experimentId, details: { name: deleted.name } });
    }
  });
  forgetExperiment(ctx, experimentId);
}
