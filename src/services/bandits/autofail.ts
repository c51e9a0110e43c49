/**
 * Autofail (reference §6.3): in a bandit with `enable_autofail`, a draw still without an outcome
 * `autofail_window` hours after it was made gets `autofail_outcome_value`, recorded as automatic
 * (`autofailed_outcome = true`) and folded into the arm's posterior exactly as a reported outcome is
 * (`applyOutcome`: the same double-write guard and arm lock, so a client outcome arriving at the same moment
 * wins or loses cleanly, never both).
 *
 * It runs on the task queue as a periodic job: each cycle (`AUTOFAIL_CYCLE_TASK`, once across all workers)
 * enqueues one task per experiment with overdue draws, keyed by experiment and cycle so that several
 * schedulers never enqueue it twice; each experiment task applies its overdue draws oldest first, one
 * transaction each, within a time budget below the worker lease, and leaves any rest to the next cycle.
 * Experiments in any state are served, as in the reference.
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/clock.ts';
import { experimentsWithOverdueDraws, overdueDraws } from '../../store/repositories/draws.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import { enqueueUniqueTask } from '../../store/repositories/tasks.ts';
import type { DB, Task } from '../../store/schema.ts';
import { banditDesignOf } from './bandit-design.ts';
import { applyOutcome } from './record-outcome.ts';

export const AUTOFAIL_CYCLE_TASK = 'bandits.autofail';
export const AUTOFAIL_EXPERIMENT_TASK = 'bandits.autofail.experiment';
/** The reference's snapshotter applies autofail hourly. */
export const DEFAULT_AUTOFAIL_CHECK_MS = 3_600_000;
/** Draws read per query while an experiment's overdue draws are applied. */
const BATCH = 500;

export interface AutofailDeps {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  /** Wall time one experiment task may spend before leaving the rest to the next cycle (keep it below the lease). */
  readonly budgetMs?: number;
}

/** One cycle: an experiment task per experiment with overdue draws. Resolves with how many were enqueued. */
export async function runAutofailCycle(deps: AutofailDeps, task: Task): Promise<number> {
  const cycle = String(task.payload['cycle_start'] ?? task.id);
  const now = deps.clock.now();
  let enqueued = 0;
  for (const experimentId of await experimentsWithOverdueDraws(deps.db, now)) {
    const id = await enqueueUniqueTask(deps.db, {
      taskType: AUTOFAIL_EXPERIMENT_TASK,
      payload: { experiment_id: experimentId },
      maxAttempts: 3,
      runAt: now,
      dedupeKey: `${AUTOFAIL_EXPERIMENT_TASK}:${experimentId}:${cycle}`,
    });
    if (id) enqueued++;
  }
  return enqueued;
}

/** Applies one experiment's overdue draws; resolves with how many outcomes it recorded. */
export async function runExperimentAutofail(deps: AutofailDeps, task: Task): Promise<number> {
  const experimentId = task.payload['experiment_id'];
  if (typeof experimentId !== 'string') throw new Error(`autofail task payload has no experiment_id: ${JSON.stringify(task.payload)}`);
  return autofailExperiment(deps, experimentId);
}

export async function autofailExperiment(deps: AutofailDeps, experimentId: string): Promise<number> {
  const loaded = await loadExperiment(deps.db, experimentId);
  if (!loaded || !loaded.experiment.enable_autofail) return 0;
  const design = banditDesignOf(loaded);
  const value = loaded.experiment.autofail_outcome_value ?? 0;
  const deadline = performance.now() + (deps.budgetMs ?? 20_000);
  let recorded = 0;
  for (;;) {
    const now = deps.clock.now();
    const due = await overdueDraws(deps.db, experimentId, now, BATCH);
    let progressed = false;
    for (const participantId of due) {
      const arm = await deps.db
        .transaction()
        .execute((trx) => applyOutcome(trx, design, { experimentId, participantId, outcome: value, autofailed: true, keyId: null, now }));
      // Undefined: the client's own outcome got there first, which is as it should be.
      if (arm) recorded++;
      progressed = true;
      if (performance.now() > deadline) return recorded;
    }
    if (!progressed || due.length < BATCH) return recorded;
  }
}
