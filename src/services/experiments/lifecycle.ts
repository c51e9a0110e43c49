/**
 * Commit and abandon. Commit writes, in the transaction that changes the state, the `experiment.created`
 * event and one delivery task per linked webhook (a transactional outbox): either the experiment is
 * committed and its notifications are certain to go out, or neither happened.
 */
import { NotFoundError } from '../../domain/errors.ts';
import { transition, type ExperimentState, type Transition } from '../../domain/experiment-state.ts';
import { REFERENCE_MAX_ATTEMPTS } from '../../domain/retry-policy.ts';
import { experimentCreatedPayload } from '../../domain/webhook-payloads.ts';
import { insertEvent } from '../../store/repositories/events.ts';
import { recordAudit } from '../audit.ts';
import { enqueueTask } from '../../store/repositories/tasks.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { WEBHOOK_TASK } from '../events.ts';

export async function commitExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await changeState(ctx, datasourceId, experimentId, 'commit');
}

export async function abandonExperiment(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await changeState(ctx, datasourceId, experimentId, 'abandon');
}

async function changeState(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, action: Transition) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  await ctx.db.transaction().execute(async (trx) => {
    // The row lock serializes concurrent commits, so a second commit sees 'committed' and fires nothing.
    const exp = await trx.selectFrom('experiments').selectAll().where('id', '=', experimentId).forUpdate().executeTakeFirst();
    if (!exp) throw new NotFoundError('Experiment not found.');
    const next = transition(exp.state as ExperimentState, action);
    if (next === null) return;
    const now = ctx.clock.now();
    await trx.updateTable('experiments').set({ state: next, updated_at: now }).where('id', '=', experimentId).execute();
    await recordAudit(trx, ctx, { organizationId: exp.organization_id, action: `experiment.${next}`, targetType: 'experiment', targetId: exp.id });
    if (next !== 'committed') return;
    await insertEvent(trx, {
      organizationId: exp.organization_id,
      type: 'experiment.created',
      data: { datasource_id: exp.datasource_id, experiment_id: exp.id },
    });
    const webhooks = await trx
      .selectFrom('webhooks as w')
      .innerJoin('experiment_webhooks as l', 'l.webhook_id', 'w.id')
      .select(['w.id', 'w.url'])
      .where('l.experiment_id', '=', experimentId)
      .where('w.type', '=', 'experiment.created')
      .where('w.direction', '=', 'outbound')
      .orderBy('w.id')
      .execute();
    const body = experimentCreatedPayload(
      { organizationId: exp.organization_id, datasourceId: exp.datasource_id, experimentId: exp.id },
      ctx.publicUrl,
    );
    for (const w of webhooks) {
      await enqueueTask(trx, {
        taskType: WEBHOOK_TASK,
        payload: { organization_id: exp.organization_id, webhook_id: w.id, url: w.url, body },
        maxAttempts: REFERENCE_MAX_ATTEMPTS,
        runAt: now,
      });
    }
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
}
