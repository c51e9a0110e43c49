/**
 * The two statements behind `experiment.ended`: which committed experiments have passed their end date
 * without the event, and the conditional mark that makes one transaction (and only one) the sender.
 * Both read through the partial index `experiments_end_pending` (migration 0011).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface EndedExperiment {
  readonly id: string;
  readonly organization_id: string;
  readonly datasource_id: string;
  readonly end_date: Date;
}

/** Keyset position in `(end_date, id)` order. */
export interface EndCursor {
  readonly endDate: Date;
  readonly id: string;
}

/** Up to `limit` committed experiments whose end date is at or before `now` and that have not had the event, oldest end first. */
export async function experimentsPastEnd(db: Executor, now: Date, limit: number, after?: EndCursor): Promise<EndedExperiment[]> {
  const { rows } = await sql<EndedExperiment>`
    SELECT id, organization_id, datasource_id, end_date
      FROM experiments
     WHERE state = 'committed' AND ended_event_at IS NULL AND end_date <= ${now}
       ${after ? sql`AND (end_date, id) > (${after.endDate}::timestamptz, ${after.id}::text)` : sql``}
     ORDER BY end_date, id
     LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * Marks one experiment's end as announced if it still qualifies, returning it only to the transaction that
 * did. A concurrent marker waits on the row lock and then finds `ended_event_at` set, so it gets nothing;
 * an end date moved into the future (or an abandonment) in the meantime also gets nothing.
 */
export async function markEndAnnounced(trx: Transaction<DB>, experimentId: string, now: Date): Promise<EndedExperiment | undefined> {
  return trx
    .updateTable('experiments')
    .set({ ended_event_at: now })
    .where('id', '=', experimentId)
    .where('state', '=', 'committed')
    .where('ended_event_at', 'is', null)
    .where('end_date', '<=', now)
    .returning(['id', 'organization_id', 'datasource_id', 'end_date'])
    .executeTakeFirst();
}
