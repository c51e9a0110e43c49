/**
 * `experiment.ended` (`services/experiments/experiment-ended.ts`): `ended_event_at` is the durable marker
 * that the event went out, set in the transaction that writes it, so the event is sent once however many
 * workers race. The partial index holds only committed experiments still waiting for it, so each check
 * reads the few rows whose end date has passed rather than every experiment.
 *
 * Experiments that had already ended before this migration are marked as done: the event says an
 * experiment "reached its end date", and announcing every past experiment at once on upgrade would be a
 * burst of stale news to every subscribed receiver.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE experiments ADD COLUMN ended_event_at timestamptz;
    UPDATE experiments SET ended_event_at = end_date WHERE state = 'committed' AND end_date <= now();
    CREATE INDEX experiments_end_pending ON experiments (end_date, id) WHERE state = 'committed' AND ended_event_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS experiments_end_pending; ALTER TABLE experiments DROP COLUMN IF EXISTS ended_event_at;`.execute(db);
}
