/** Rows of the organization's event log ("Recent Events"). */
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../domain/ids.ts';
import type { DB, EventRow } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface NewEvent {
  readonly organizationId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export async function insertEvent(db: Executor, event: NewEvent): Promise<string> {
  const id = newId('event');
  await db
    .insertInto('events')
    .values({ id, organization_id: event.organizationId, type: event.type, data: JSON.stringify({ type: event.type, ...event.data }) })
    .execute();
  return id;
}

export interface EventPage {
  readonly rows: EventRow[];
  readonly hasMore: boolean;
}

/** Newest first (insertion order); `afterSeq` is the `seq` of the last row of the previous page. */
export async function listEvents(
  db: Executor,
  organizationId: string,
  o: { readonly pageSize: number; readonly afterSeq?: string | undefined; readonly type?: string | undefined },
): Promise<EventPage> {
  let q = db.selectFrom('events').selectAll().where('organization_id', '=', organizationId);
  if (o.type) q = q.where('type', '=', o.type);
  if (o.afterSeq !== undefined) q = q.where('seq', '<', o.afterSeq);
  const rows = await q.orderBy('seq', 'desc').limit(o.pageSize + 1).execute();
  return { rows: rows.slice(0, o.pageSize), hasMore: rows.length > o.pageSize };
}
