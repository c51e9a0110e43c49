/**
 * The task worker: claims due tasks from the queue, runs the handler for each task's type, and records the
 * outcome (success, retry later under the retry policy, or dead). It never takes the process down: handler
 * and database errors are logged and end up on the task row or in a back-off. Tests drive it with a
 * `ManualClock` and `runOnce()` instead of sleeping; `start()` is the long-running loop for `serve`/`worker`.
 *
 * @example
 *   const worker = createWorker({ db, clock: systemClock, handlers: createTaskHandlers(deps), listen });
 *   worker.start();
 *   // …on shutdown
 *   await worker.stop();
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import { randomAlphanumeric } from '../domain/ids.ts';
import { nextRetryDelayMs, policyFor, RetryLaterError, type RetryPolicy } from '../domain/retry-policy.ts';
import type { DB, Task } from '../store/schema.ts';
import { PermanentTaskError } from '../domain/task-errors.ts';
import { claimTasks, completeTask, failTask } from '../store/repositories/tasks.ts';
import { enqueueDueCycles, type PeriodicJob } from './periodic.ts';

export type TaskHandler = (task: Task) => Promise<void>;

export interface WorkerLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Four times the 15 s HTTP deadline plus DNS, so a live worker's lease never runs out mid-delivery. */
export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_BATCH_SIZE = 10;
export const DEFAULT_POLL_MS = 2_000;

export interface WorkerOptions {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  /** Written to `tasks.locked_by`; unique per process so a stale worker's late answer is recognised. */
  readonly workerId?: string;
  /** How long a claim lasts before another worker may take the task over. Must exceed any handler's run. */
  readonly leaseMs?: number;
  /** At most this many tasks per `runOnce()`. */
  readonly batchSize?: number;
  /** Idle wait between looks at the queue when no notification arrives. */
  readonly pollMs?: number;
  /** Subscribes to task notifications (`AppDatabase.listen('equipoise_tasks', …)`); returns an unsubscribe. */
  readonly listen?: (onNotify: () => void) => Promise<() => Promise<void>>;
  readonly log?: WorkerLog;
  /** Retry ladder per task type; `policyFor` (the reference ladder unless the type names another) by default. */
  readonly retryPolicy?: (taskType: string) => RetryPolicy;
  /** Source of retry jitter in [0, 1); tests pass a constant so the ladder is exact. */
  readonly random?: () => number;
  /** Jobs whose current cycle this worker enqueues (once across all workers) before each claim round. */
  readonly periodic?: readonly PeriodicJob[];
}

export interface Worker {
  /** Runs the tasks due now, up to `batchSize`; resolves with how many were run. */
  runOnce(): Promise<number>;
  /** Starts the background loop; calling it again while running does nothing. */
  start(): void;
  /** Ends the loop after the task in flight is settled. */
  stop(): Promise<void>;
}

const consoleLog: WorkerLog = {
  info: (msg) => console.log(msg),
  warn: (msg) => console.warn(msg),
  error: (msg) => console.error(msg),
};

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createWorker(options: WorkerOptions): Worker {
  const { db, clock, handlers } = options;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomAlphanumeric(6)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const log = options.log ?? consoleLog;
  const retryPolicy = options.retryPolicy ?? policyFor;
  const random = options.random ?? Math.random;
  if (!(leaseMs > 0) || !(batchSize >= 1) || !(pollMs > 0)) {
    throw new RangeError(`worker: leaseMs, batchSize and pollMs must be positive (got ${leaseMs}, ${batchSize}, ${pollMs})`);
  }

  async function settle(
    task: Task,
    outcome: { ok: true } | { ok: false; error: string; permanent: boolean; retryAfterMs?: number | undefined },
  ): Promise<void> {
    const now = clock.now();
    let applied: boolean;
    if (outcome.ok) {
      applied = await completeTask(db, task, now);
    } else {
      const retry = !outcome.permanent && task.attempts < task.max_attempts;
      const delay = retry ? nextRetryDelayMs(retryPolicy(task.task_type), task.attempts, random, outcome.retryAfterMs) : 0;
      const retryAt = retry ? new Date(now.getTime() + delay) : null;
      applied = await failTask(db, task, now, outcome.error, retryAt);
      if (applied && retryAt) {
        log.info(`task ${task.id} (${task.task_type}) attempt ${task.attempts}/${task.max_attempts} failed, retry at ${retryAt.toISOString()}: ${outcome.error}`);
      } else if (applied) {
        log.warn(`task ${task.id} (${task.task_type}) is dead after attempt ${task.attempts}: ${outcome.error}`);
      }
    }
    if (!applied) {
      // Our lease expired and another worker claimed the task again; its outcome is the one that counts.
      log.warn(`task ${task.id} (${task.task_type}): lease lost before settling; outcome of attempt ${task.attempts} discarded`);
    }
  }

  async function runTask(task: Task): Promise<void> {
    const handler = Object.hasOwn(handlers, task.task_type) ? handlers[task.task_type] : undefined;
    if (!handler) {
      await settle(task, { ok: false, error: `No handler for task type: ${task.task_type}`, permanent: true });
      return;
    }
    let outcome: Parameters<typeof settle>[1];
    try {
      await handler(task);
      outcome = { ok: true };
    } catch (err) {
      outcome = {
        ok: false,
        error: errorMessage(err),
        permanent: err instanceof PermanentTaskError,
        retryAfterMs: err instanceof RetryLaterError ? err.afterMs : undefined,
      };
    }
    await settle(task, outcome);
  }

  async function enqueuePeriodic(): Promise<void> {
    if (!options.periodic?.length) return;
    try {
      await enqueueDueCycles(db, options.periodic, clock.now());
    } catch (err) {
      // The next round tries again; a missed enqueue only delays the cycle, and claiming must go on.
      log.error(`worker ${workerId}: enqueueing periodic jobs failed: ${errorMessage(err)}`);
    }
  }

  async function runOnce(): Promise<number> {
    await enqueuePeriodic();
    let ran = 0;
    // One claim per task rather than one claim for the batch: tasks run one after another (PGlite has one
    // connection, and no transaction may span an HTTP call), so a batch sharing one lease could outlive it
    // — ten 15 s timeouts exceed a 60 s lease — and another worker would send the last ones a second time.
    while (ran < batchSize) {
      const [task] = await claimTasks(db, { now: clock.now(), workerId, leaseMs, limit: 1 });
      if (!task) break;
      ran++;
      try {
        await runTask(task);
      } catch (err) {
        // Settling failed (database down). The lease will expire and the task will be claimed again.
        log.error(`task ${task.id} (${task.task_type}): could not record the outcome: ${errorMessage(err)}`);
      }
    }
    return ran;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  let notified = false;
  let wake: (() => void) | undefined;

  function onNotify(): void {
    notified = true;
    wake?.();
  }

  /** Waits `ms`, or less when a notification or stop() arrives; a notification that came early counts. */
  function idle(ms: number): Promise<void> {
    if (notified || stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function subscribe(): Promise<(() => Promise<void>) | undefined> {
    if (!options.listen) return undefined;
    try {
      return await options.listen(onNotify);
    } catch (err) {
      log.warn(`worker ${workerId}: cannot listen for task notifications, polling every ${pollMs} ms: ${errorMessage(err)}`);
      return undefined;
    }
  }

  async function run(): Promise<void> {
    const unsubscribe = await subscribe();
    try {
      while (!stopping) {
        notified = false;
        let ran = 0;
        try {
          ran = await runOnce();
        } catch (err) {
          // A failed claim (database restarting) waits a full poll rather than retrying in a hot loop.
          log.error(`worker ${workerId}: claiming tasks failed, retrying in ${pollMs} ms: ${errorMessage(err)}`);
          notified = false;
        }
        // A full batch means more may be due already; otherwise sleep until a notification or the poll.
        if (ran < batchSize) await idle(pollMs);
      }
    } finally {
      await unsubscribe?.().catch((err: unknown) => log.warn(`worker ${workerId}: unlisten failed: ${errorMessage(err)}`));
    }
  }

  return {
    runOnce,
    start() {
      if (loop) return;
      stopping = false;
      loop = run().finally(() => {
        loop = undefined;
      });
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
