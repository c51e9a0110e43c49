/**
 * Scheduled and on-demand snapshots as worker tasks (reference §7).
 *
 * `snapshots.cycle` is a periodic job (`worker/periodic.ts`): every `checkMs` one task runs across all
 * workers. It marks snapshots left pending for over an hour as failed, then, for every committed
 * experiment inside its window ([start − 1 day, end + 1 day]) whose latest snapshot failed, is missing or
 * is at least `intervalMs` old (compared cycle to cycle, so a 6 h interval checked hourly gives exactly
 * 6 h), inserts a pending snapshot for this cycle and enqueues one `snapshots.take` task keyed by
 * experiment and cycle. Both the row (unique per experiment and cycle) and the task key make a second
 * scheduler, or a retried cycle, add nothing: an experiment is snapshotted at most once per cycle.
 *
 * `snapshots.take` computes one pending snapshot with a deadline below the worker lease. Any analysis error
 * settles the snapshot as failed with `<ErrorName>: <message>` and the task succeeds: the next cycle tries
 * again with a new snapshot, as the reference does. A crash leaves the row pending; the task's lease
 * expires and another worker computes the same row.
 */
import type { Task } from '../../store/schema.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import { experimentsDueSnapshot, failStalePending, findSnapshot, insertSnapshot, settleSnapshot } from '../../store/repositories/snapshots.ts';
import { enqueueUniqueTask } from '../../store/repositories/tasks.ts';
import { analyzeAndRecord } from '../analysis/analyze-experiment.ts';
import type { ServiceDeps } from '../context.ts';

export const SNAPSHOT_CYCLE_TASK = 'snapshots.cycle';
export const SNAPSHOT_TAKE_TASK = 'snapshots.take';

/** A snapshot still pending after this long has lost its worker (or all its attempts). */
export const STALE_PENDING_MS = 3_600_000;
/** Attempts of one `snapshots.take` task (a crash mid-analysis is retried; analysis errors are not). */
const TAKE_MAX_ATTEMPTS = 3;

export interface SnapshotSettings {
  /** Minimum time between two snapshots of one experiment. */
  readonly intervalMs: number;
  /** How often the scheduler runs (the periodic job's cycle). */
  readonly checkMs: number;
  /** Deadline of one analysis. */
  readonly timeoutMs: number;
}

export const DEFAULT_SNAPSHOT_SETTINGS: SnapshotSettings = { intervalMs: 6 * 3_600_000, checkMs: 3_600_000, timeoutMs: 55_000 };

/** The periodic job to give the worker. */
export function snapshotCycleJob(settings: SnapshotSettings) {
  return { taskType: SNAPSHOT_CYCLE_TASK, everyMs: settings.checkMs } as const;
}

function cycleOfPayload(payload: Record<string, unknown>): Date {
  const raw = payload['cycle_start'];
  const at = typeof raw === 'string' ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new Error(`snapshot cycle payload has no valid cycle_start: ${JSON.stringify(payload)}`);
  return at;
}

/** Enqueues the snapshot of a pending row (on-demand snapshots and each scheduled one). */
export async function enqueueSnapshot(db: Parameters<typeof enqueueUniqueTask>[0], snapshotId: string, dedupeKey: string, now: Date): Promise<void> {
  await enqueueUniqueTask(db, { taskType: SNAPSHOT_TAKE_TASK, payload: { snapshot_id: snapshotId }, maxAttempts: TAKE_MAX_ATTEMPTS, runAt: now, dedupeKey });
}

/** `snapshots.cycle`: fans out this cycle's snapshots; resolves with the experiments it scheduled. */
export async function runSnapshotCycle(deps: Pick<ServiceDeps, 'db' | 'clock'>, task: Task, settings: SnapshotSettings): Promise<string[]> {
  const cycleStart = cycleOfPayload(task.payload);
  const now = deps.clock.now();
  const stale = await failStalePending(
    deps.db,
    new Date(now.getTime() - STALE_PENDING_MS),
    now,
    'SnapshotAbandoned: the snapshot was not finished within an hour (its worker stopped, or every attempt failed).',
  );
  if (stale > 0) console.warn(`snapshots: ${stale} snapshot(s) left pending for over an hour marked failed`);
  const due = await experimentsDueSnapshot(deps.db, now, new Date(cycleStart.getTime() - settings.intervalMs));
  const scheduled: string[] = [];
  for (const { id } of due) {
    await deps.db.transaction().execute(async (trx) => {
      const snapshotId = await insertSnapshot(trx, { experimentId: id, trigger: 'scheduled', cycleStart, now });
      if (!snapshotId) return;
      await enqueueSnapshot(trx, snapshotId, `${SNAPSHOT_TAKE_TASK}:${id}:${cycleStart.toISOString()}`, now);
      scheduled.push(id);
    });
  }
  return scheduled;
}

/** `snapshots.take`: computes one pending snapshot. */
export async function takeSnapshot(deps: ServiceDeps, task: Task, settings: SnapshotSettings): Promise<void> {
  const snapshotId = task.payload['snapshot_id'];
  if (typeof snapshotId !== 'string') throw new Error(`snapshot task without snapshot_id: ${JSON.stringify(task.payload)}`);
  const snapshot = await findSnapshot(deps.db, snapshotId);
  // Deleted (with its experiment, or on request) or already settled by an earlier attempt: nothing to do.
  if (!snapshot || snapshot.status !== 'pending') return;
  const loaded = await loadExperiment(deps.db, snapshot.experiment_id);
  if (!loaded) return;
  let outcome: { status: 'success'; data: string } | { status: 'failed'; message: string };
  try {
    const analysis = await analyzeAndRecord(deps, loaded, { deadline: Date.now() + settings.timeoutMs, banditContexts: 'draw-mean' });
    // JSON.stringify writes NaN and ±Infinity as null, so a snapshot reads back exactly like a live analysis.
    outcome = { status: 'success', data: JSON.stringify(analysis) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    outcome = { status: 'failed', message: `${e.name}: ${e.message}` };
  }
  await settleSnapshot(deps.db, snapshotId, outcome, deps.clock.now());
}
