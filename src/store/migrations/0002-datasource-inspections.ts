/**
 * Inspection results cached in the app database (not in process memory), so every API process sees the
 * same cache and an explicit `?refresh=true` or a datasource update clears it for all of them.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE datasource_inspections (
      datasource_id text NOT NULL REFERENCES datasources(id) ON DELETE CASCADE,
      -- '' for the table list, otherwise the table name.
      scope text NOT NULL,
      result jsonb NOT NULL,
      inspected_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (datasource_id, scope)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE datasource_inspections`.execute(db);
}
