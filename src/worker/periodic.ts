/**
 * Periodic jobs (snapshots, bandit autofail) ride on the task queue: each worker, before claiming, enqueues
 * the current cycle of every job under the key `<task type>:<cycle start>`. Keys are unique, so with any
 * number of workers a cycle becomes exactly one task, which then gets the queue's lease, retries and
 * crash recovery for free. A job's handler receives `{ cycle_start }` and fans out further tasks if it
 * needs them (one per experiment, keyed by experiment and cycle, for the same once-only guarantee).
 *
 * @example
 *   createWorker({ …, periodic: [{ taskType: 'snapshots.cycle', everyMs: 3_600_000 }] });
 */
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.ts';
import { enqueueUniqueTask, pruneFinishedPeriodicTasks } from '../store/repositories/tasks.ts';

export interface PeriodicJob {
  /** The handler that runs each cycle, as registered in the worker's handler table. */
  readonly taskType: string;
  /** Cycle length; cycles are aligned to the Unix epoch so every process computes the same boundaries. */
  readonly everyMs: number;
  /** Attempts per cycle before the task is dead (the next cycle starts afresh). Default 3. */
  readonly maxAttempts?: number;
}

export interface PeriodicPayload {
  readonly cycle_start: string;
}

/** Finished cycles are kept this long for inspection, then pruned. */
const KEEP_FINISHED_MS = 7 * 24 * 3_600_000;

export function cycleStart(now: Date, everyMs: number): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}

export function periodicDedupeKey(taskType: string, start: Date): string {
  return `${taskType}:${start.toISOString()}`;
}

/** Enqueues the current cycle of each job if no process has yet; resolves with how many this call added. */
export async function enqueueDueCycles(db: Kysely<DB>, jobs: readonly PeriodicJob[], now: Date): Promise<number> {
  let added = 0;
  for (const job of jobs) {
    if (!(job.everyMs > 0)) throw new RangeError(`periodic job ${job.taskType}: everyMs must be positive (got ${job.everyMs})`);
    const start = cycleStart(now, job.everyMs);
    const id = await enqueueUniqueTask(db, {
      taskType: job.taskType,
      payload: { cycle_start: start.toISOString() } satisfies PeriodicPayload,
      maxAttempts: job.maxAttempts ?? 3,
      runAt: now,
      dedupeKey: periodicDedupeKey(job.taskType, start),
    });
    if (id) added++;
  }
  if (added > 0) await pruneFinishedPeriodicTasks(db, new Date(now.getTime() - KEEP_FINISHED_MS));
  return added;
}

/** Reads a periodic task's cycle start, rejecting payloads that did not come from `enqueueDueCycles`. */
export function cycleOf(payload: Record<string, unknown>): Date {
  const raw = payload['cycle_start'];
  const at = typeof raw === 'string' ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new Error(`periodic task payload has no valid cycle_start: ${JSON.stringify(payload)}`);
  return at;
}
