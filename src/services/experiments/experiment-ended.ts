/**
 * `experiment.ended`: once a committed experiment (any type) passes its end date, subscribed webhooks hear
 * it once. Drafts and abandoned experiments never do.
 *
 * A periodic job (`EXPERIMENT_ENDED_TASK`, one task per cycle across all workers) lists the experiments
 * past their end date without the event, then gives each its own transaction that sets the durable marker
 * `experiments.ended_event_at` only if still unset (`markEndAnnounced`) and, in the same transaction,
 * records the event and queues its deliveries (`emitExperimentEvent`, which honours each endpoint's
 * subscription like every other experiment event). So a crash leaves either both or neither, and workers
 * racing over the same experiments (a retried cycle, a slow one overlapping the next) send it once.
 *
 * Extending the end date: editing it to a date in the future clears the marker (`patch-experiment.ts`), so
 * the experiment sends `experiment.ended` again when it reaches the new date. Moving it to another date
 * that has already passed does not: the experiment has already been announced as ended.
 */
import { experimentsPastEnd, markEndAnnounced, type EndCursor } from '../../store/repositories/experiment-ends.ts';
import type { ServiceDeps } from '../context.ts';
import { emitExperimentEvent } from '../webhook-outbox.ts';

export const EXPERIMENT_ENDED_TASK = 'experiments.ended';
/** A few minutes: receivers hear of an end soon after it, and the check is one indexed read. */
export const DEFAULT_EXPERIMENT_END_CHECK_MS = 5 * 60_000;
/** Experiments read per query; a cycle pages through all of them. */
const BATCH = 200;

/** The periodic job to give the worker. */
export function experimentEndedJob(checkMs: number) {
  return { taskType: EXPERIMENT_ENDED_TASK, everyMs: checkMs } as const;
}

/**
 * One cycle: sends `experiment.ended` for every committed experiment past its end date that has not had it.
 * Resolves with the ids this call announced (another worker may have announced the rest).
 */
export async function announceEndedExperiments(deps: Pick<ServiceDeps, 'db' | 'clock' | 'publicUrl'>): Promise<string[]> {
  const announced: string[] = [];
  let after: EndCursor | undefined;
  for (;;) {
    const batch = await experimentsPastEnd(deps.db, deps.clock.now(), BATCH, after);
    for (const candidate of batch) {
      const now = deps.clock.now();
      const done = await deps.db.transaction().execute(async (trx) => {
        const ended = await markEndAnnounced(trx, candidate.id, now);
        if (!ended) return false;
        await emitExperimentEvent(trx, { publicUrl: deps.publicUrl, now }, {
          type: 'experiment.ended',
          experiment: ended,
          data: { end_date: ended.end_date.toISOString() },
        });
        return true;
      });
      if (done) announced.push(candidate.id);
    }
    const last = batch.at(-1);
    if (!last || batch.length < BATCH) return announced;
    after = { endDate: last.end_date, id: last.id };
  }
}
