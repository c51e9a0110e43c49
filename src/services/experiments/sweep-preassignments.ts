/**
 * Removes drafts whose preassignment died with its process. A preassignment creates its experiment as
 * `assignment_progress.status = "running"` and writes every row in one final transaction, so a process that
 * dies in between leaves a draft with no assignments that nothing would ever finish. Such a draft was never
 * returned to its creator as a success, so deleting it loses nothing.
 *
 * On the embedded default the caller passes `olderThanMs: 0` at start-up: one process owns the database, so
 * every running preassignment at start is an orphan. With PostgreSQL another API process may be running one
 * right now, so only those older than any preassignment could take are removed.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../store/schema.ts';

/** Far longer than the slowest measured preassignment (1,000,000 participants: about 2 minutes). */
export const ORPHANED_PREASSIGNMENT_AGE_MS = 6 * 3600 * 1000;

/** @example const removed = await sweepOrphanedPreassignments(db, new Date(), ORPHANED_PREASSIGNMENT_AGE_MS); */
export async function sweepOrphanedPreassignments(db: Kysely<DB>, now: Date, olderThanMs: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const removed = await db
    .deleteFrom('experiments')
    .where('state', '=', 'assigned')
    .where(sql<boolean>`assignment_progress->>'status' = 'running'`)
    .where('created_at', '<=', cutoff)
    .returning('id')
    .execute();
  return removed.map((r) => r.id);
}
