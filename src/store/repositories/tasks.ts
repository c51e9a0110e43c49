/**
 * The durable task queue's statements, in one place. Enqueue runs inside the caller's transaction (a
 * transactional outbox); claiming takes due tasks, and tasks whose lease has expired because their worker
 * died, with `FOR UPDATE SKIP LOCKED`, so any number of workers can share the table without double claims.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { newId } from '../../domain/ids.ts';
import type { DB, Task } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const TASK_STATUS = Object.freeze({
  pending: 'pending',
  running: 'running',
  success: 'success',
  dead: 'dead',
} as const);

export interface EnqueueTask {
  readonly taskType: string;
  readonly payload: Record<string, unknown>;
  readonly maxAttempts: number;
  readonly runAt: Date;
}

export async function enqueueTask(db: Executor, task: EnqueueTask): Promise<string> {
  const id = newId('task');
  await db
    .insertInto('tasks')
    .values({
      id,
      task_type: task.taskType,
      payload: JSON.stringify(task.payload),
      max_attempts: task.maxAttempts,
      run_at: task.runAt,
    })
    .execute();
  return id;
}

/**
 * Enqueues a task unless one with the same dedupe key exists (in any state); returns its id, or null when
 * another process got there first. This is what makes a periodic cycle run once across many schedulers.
 */
export async function enqueueUniqueTask(db: Executor, task: EnqueueTask & { readonly dedupeKey: string }): Promise<string | null> {
  const id = newId('task');
  const row = await db
    .insertInto('tasks')
    .values({
      id,
      task_type: task.taskType,
      payload: JSON.stringify(task.payload),
      max_attempts: task.maxAttempts,
      run_at: task.runAt,
      dedupe_key: task.dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Forgets finished periodic tasks older than `before`; their keys name past cycles that never recur. */
export async function pruneFinishedPeriodicTasks(db: Executor, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('tasks')
    .where('dedupe_key', 'is not', null)
    .where('status', 'in', [TASK_STATUS.success, TASK_STATUS.dead])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface ClaimOptions {
  readonly now: Date;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly limit: number;
}

/**
 * Claims up to `limit` due tasks and counts the attempt: first tasks whose lease expired (their worker
 * died), then pending tasks, oldest first. Two statements rather than one with an `OR`, because each can
 * then walk its own partial index (`tasks_leased`, `tasks_due`); with the `OR` every claim scanned the
 * whole table, which made a backlog of 10,000 deliveries quadratic.
 */
export async function claimTasks(db: Executor, o: ClaimOptions): Promise<Task[]> {
  const expired = await claimWhere(db, o, o.limit, sql`status = 'running' AND locked_until < ${o.now}`, sql`locked_until, id`);
  if (expired.length >= o.limit) return expired;
  const pending = await claimWhere(db, o, o.limit - expired.length, sql`status = 'pending' AND run_at <= ${o.now}`, sql`run_at, id`);
  return [...expired, ...pending];
}

async function claimWhere(db: Executor, o: ClaimOptions, limit: number, where: RawBuilder<unknown>, order: RawBuilder<unknown>): Promise<Task[]> {
  const leaseUntil = new Date(o.now.getTime() + o.leaseMs);
  const result = await sql<Task>`
    UPDATE tasks t
       SET status = 'running', attempts = t.attempts + 1, locked_by = ${o.workerId},
           locked_until = ${leaseUntil}, updated_at = ${o.now}
     WHERE t.id IN (
       SELECT id FROM tasks
        WHERE ${where}
        ORDER BY ${order}
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING t.*`.execute(db);
  return result.rows;
}

/**
 * Settles a claimed task. The `locked_by`/`attempts` guard makes a worker whose lease already expired (and
 * whose task was claimed again elsewhere) unable to overwrite the newer claim's outcome.
 */
export async function completeTask(db: Executor, task: Task, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('tasks')
    .set({ status: TASK_STATUS.success, locked_until: null, locked_by: null, last_error: null, updated_at: now })
    .where('id', '=', task.id)
    .where('locked_by', '=', task.locked_by)
    .where('attempts', '=', task.attempts)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Records a failure: back to pending at `retryAt`, or dead when attempts are used up (`retryAt` null). */
export async function failTask(db: Executor, task: Task, now: Date, error: string, retryAt: Date | null): Promise<boolean> {
  const r = await db
    .updateTable('tasks')
    .set({
      status: retryAt ? TASK_STATUS.pending : TASK_STATUS.dead,
      run_at: retryAt ?? task.run_at,
      locked_until: null,
      locked_by: null,
      last_error: error.slice(0, 2000),
      updated_at: now,
    })
    .where('id', '=', task.id)
    .where('locked_by', '=', task.locked_by)
    .where('attempts', '=', task.attempts)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
