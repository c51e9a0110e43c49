/**
 * What the design half of an experiment needs beyond the first schema: cluster designs (the cluster key of
 * each assignment, clusters per arm), the progress of a preassignment while it runs, and hidden
 * (auto-generated) participant types. Additive only, so older rows stay valid.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE assignments ADD COLUMN cluster_key text;
    ALTER TABLE arms ADD COLUMN cluster_count integer;
    -- {status: running|done, phase, written, total, ...}; null for experiments created without preassignment.
    ALTER TABLE experiments ADD COLUMN assignment_progress jsonb;
    ALTER TABLE participant_types ADD COLUMN hidden boolean NOT NULL DEFAULT false;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE participant_types DROP COLUMN hidden;
    ALTER TABLE experiments DROP COLUMN assignment_progress;
    ALTER TABLE arms DROP COLUMN cluster_count;
    ALTER TABLE assignments DROP COLUMN cluster_key;
  `.execute(db);
}
