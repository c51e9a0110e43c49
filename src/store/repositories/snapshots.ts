/**
 * Snapshot rows: insert (at most one per experiment and scheduler cycle), settle a pending snapshot once,
 * page an experiment's history newest-updated first, and find the experiments due a scheduled snapshot.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { randomAlphanumeric } from '../../domain/ids.ts';
import type { DB, Snapshot } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type SnapshotStatus = 'pending' | 'success' | 'failed';

/** `sn_` plus 16 characters, the reference's snapshot id format. */
export const newSnapshotId = () => `sn_${randomAlphanumeric(16)}`;

/**
 * Inserts a pending snapshot; for a scheduled one, nothing when the experiment already has one for that
 * cycle (another scheduler won). Returns the new id, or null.
 */
export async function insertSnapshot(
  db: Executor,
  s: { readonly experimentId: string; readonly trigger: 'scheduled' | 'on_demand'; readonly cycleStart: Date | null; readonly now: Date },
): Promise<string | null> {
  const id = newSnapshotId();
  const row = await db
    .insertInto('snapshots')
    .values({ id, experiment_id: s.experimentId, trigger: s.trigger, cycle_start: s.cycleStart, status: 'pending', created_at: s.now, updated_at: s.now })
    .onConflict((oc) => oc.columns(['experiment_id', 'cycle_start']).where('cycle_start', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findSnapshot(db: Executor, snapshotId: string, experimentId?: string): Promise<Snapshot | undefined> {
  let q = db.selectFrom('snapshots').selectAll().where('id', '=', snapshotId);
  if (experimentId !== undefined) q = q.where('experiment_id', '=', experimentId);
  return q.executeTakeFirst();
}

/** Settles a pending snapshot; false when it was settled (or deleted) meanwhile. `data` is JSON text. */
export async function settleSnapshot(
  db: Executor,
  snapshotId: string,
  outcome: { readonly status: 'success'; readonly data: string } | { readonly status: 'failed'; readonly message: string },
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('snapshots')
    .set(
      outcome.status === 'success'
        ? { status: 'success', data: outcome.data, message: null, updated_at: now }
        : { status: 'failed', message: outcome.message.slice(0, 4000), updated_at: now },
    )
    .where('id', '=', snapshotId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface SnapshotPageQuery {
  readonly statuses: readonly SnapshotStatus[];
  /** The last row of the previous page: updated_at in microseconds since the epoch (text) and id. */
  readonly after: readonly [string, string] | null;
  readonly skip: number;
  readonly limit: number;
}

export type SnapshotWithCursor = Snapshot & { cursor_us: string };

/** One page, newest `updated_at` first, then id descending (the reference's order). */
export async function pageSnapshots(db: Executor, experimentId: string, q: SnapshotPageQuery): Promise<SnapshotWithCursor[]> {
  let query = db
    .selectFrom('snapshots')
    .selectAll()
    .select(sql<string>`(extract(epoch from updated_at) * 1000000)::bigint::text`.as('cursor_us'))
    .where('experiment_id', '=', experimentId);
  if (q.statuses.length > 0) query = query.where('status', 'in', [...q.statuses]);
  if (q.after) {
    query = query.where(sql<boolean>`(updated_at, id) < (timestamptz 'epoch' + ${q.after[0]}::bigint * interval '1 microsecond', ${q.after[1]})`);
  }
  return query.orderBy('updated_at', 'desc').orderBy('id', 'desc').offset(q.skip).limit(q.limit).execute();
}

/** When the experiment's most recent failed snapshot failed, or null. */
export async function latestFailure(db: Executor, experimentId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('snapshots')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .where('experiment_id', '=', experimentId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string) : null;
}

export async function deleteSnapshot(db: Executor, experimentId: string, snapshotId: string): Promise<boolean> {
  const r = await db.deleteFrom('snapshots').where('experiment_id', '=', experimentId).where('id', '=', snapshotId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * Committed experiments whose snapshot window ([start − 1 day, end + 1 day], both truncated to the minute)
 * contains `now` and whose latest snapshot failed, is missing, or belongs to a cycle (or, on demand, was
 * taken) at or before `notAfter` (the cycle start less the interval).
 */
export async function experimentsDueSnapshot(db: Executor, now: Date, notAfter: Date): Promise<{ id: string }[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT e.id
      FROM experiments e
      LEFT JOIN LATERAL (
        SELECT s.status, coalesce(s.cycle_start, s.created_at) AS taken_at
          FROM snapshots s
         WHERE s.experiment_id = e.id
         ORDER BY s.created_at DESC, s.id DESC
         LIMIT 1) latest ON true
     WHERE e.state = 'committed'
       AND date_trunc('minute', e.start_date) - interval '1 day' <= ${now}
       AND ${now} <= date_trunc('minute', e.end_date) + interval '1 day'
       AND (latest.status IS NULL OR latest.status = 'failed' OR latest.taken_at <= ${notAfter})
     ORDER BY e.id`.execute(db);
  return rows;
}

/** Marks snapshots still pending since before `before` as failed: their worker stopped or gave up. */
export async function failStalePending(db: Executor, before: Date, now: Date, message: string): Promise<number> {
  const r = await db
    .updateTable('snapshots')
    .set({ status: 'failed', message, updated_at: now })
    .where('status', '=', 'pending')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
