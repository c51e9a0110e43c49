/**
 * When an online experiment stops taking new participants, and how it starts again. Reasons (reference
 * §2.3): `end_date` (recorded lazily by the first request after the end date; moving the end date forward
 * by PATCH lifts it), `target_n` (`stop_at_desired_n` and `desired_n` reached; final), `manual` (the stop
 * endpoint; the resume endpoint lifts it, and only it) and `preassigned` (set at creation). Existing
 * assignments are always still returned; a stop only prevents new ones.
 */
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import { requireExperimentForUser } from '../access.ts';
import { recordAudit } from '../audit.ts';
import type { ServiceContext, ServiceDeps, UserActor } from '../context.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../store/schema.ts';
import { forgetExperiment } from '../assignments/experiment-cache.ts';
import { emitExperimentEvent, type ExperimentRef } from '../webhook-outbox.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';

export type StopReason = 'end_date' | 'target_n' | 'manual' | 'preassigned';

/**
 * Records an automatic stop unless one is already recorded (the first reason wins), and notifies the
 * subscribed webhooks in the same transaction (only the request that actually recorded it does).
 */
export async function recordAutomaticStop(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'publicUrl'>,
  experimentId: string,
  reason: 'end_date' | 'target_n',
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const stopped = await trx
      .updateTable('experiments')
      .set({ stopped_assignments_at: now, stopped_assignments_reason: reason, updated_at: now })
      .where('id', '=', experimentId)
      .where('stopped_assignments_at', 'is', null)
      .returning(['id', 'organization_id', 'datasource_id'])
      .executeTakeFirst();
    if (stopped) await emitStopped(trx, deps, stopped, reason, now);
  });
  forgetExperiment(deps, experimentId);
}

function emitStopped(trx: Transaction<DB>, deps: Pick<ServiceDeps, 'publicUrl'>, experiment: ExperimentRef, reason: Exclude<StopReason, 'preassigned'>, now: Date) {
  return emitExperimentEvent(trx, { publicUrl: deps.publicUrl, now }, {
    type: 'experiment.assignment_stopped',
    experiment,
    data: { reason, stopped_at: now.toISOString() },
  });
}

/** `POST …/stop`: no new assignments until resumed. Stopping a stopped experiment changes nothing. */
export async function stopAssignments(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  // Bandits are online experiments too: a stop ends new draws, while outcomes keep being recorded.
  if (exp.experiment_type !== 'freq_online' && !isBanditType(exp.experiment_type)) {
    throw new ValidationError(`Experiment ${exp.id} is a ${exp.experiment_type} experiment; only online experiments can be stopped.`);
  }
  if (exp.state !== 'committed') throw new ValidationError(`Invalid experiment state: ${exp.state}`);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const r = await trx
      .updateTable('experiments')
      .set({ stopped_assignments_at: now, stopped_assignments_reason: 'manual', updated_at: now })
      .where('id', '=', experimentId)
      .where('stopped_assignments_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await recordAudit(trx, ctx, { organizationId: exp.organization_id, action: 'experiment.assignments_stopped', targetType: 'experiment', targetId: exp.id });
    await emitStopped(trx, ctx, exp, 'manual', now);
  });
  forgetExperiment(ctx, experimentId);
}

/**
 * `POST …/resume`: lifts a manual stop. Other stops are not the caller's to lift here: an `end_date` stop
 * goes away by moving the end date forward, and `target_n` and `preassigned` are final (409).
 */
export async function resumeAssignments(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  if (exp.stopped_assignments_at === null) return;
  if (exp.stopped_assignments_reason !== 'manual') {
    throw new ConflictError(`Assignments stopped for reason ${exp.stopped_assignments_reason}; only a manual stop can be resumed.`);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('experiments')
      .set({ stopped_assignments_at: null, stopped_assignments_reason: null, updated_at: ctx.clock.now() })
      .where('id', '=', experimentId)
      .where('stopped_assignments_reason', '=', 'manual')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await recordAudit(trx, ctx, { organizationId: exp.organization_id, action: 'experiment.assignments_resumed', targetType: 'experiment', targetId: exp.id });
  });
  forgetExperiment(ctx, experimentId);
}
