/**
 * Periodic work (snapshots, bandit autofail) is enqueued as ordinary tasks carrying a dedupe key such as
 * `snapshots:<cycle>`; the unique index makes every scheduler process race for the same row, so a cycle
 * runs once however many workers are up.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE tasks ADD COLUMN dedupe_key text;
    CREATE UNIQUE INDEX tasks_dedupe_key ON tasks (dedupe_key) WHERE dedupe_key IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS tasks_dedupe_key; ALTER TABLE tasks DROP COLUMN IF EXISTS dedupe_key;`.execute(db);
}
