/**
 * Applies the app-database migrations in order. The list is static (imported, not read from disk), so a
 * migration cannot go missing from a build, and the same code runs on PGlite and PostgreSQL.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-datasource-inspections.ts';
import * as m0003 from './migrations/0003-accounts.ts';
import * as m0004 from './migrations/0004-experiment-design.ts';
import * as m0005 from './migrations/0005-run-time.ts';
import * as m0006 from './migrations/0006-webhooks.ts';
import type { DB } from './schema.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-datasource-inspections': m0002,
  '0003-accounts': m0003,
  '0004-experiment-design': m0004,
  '0005-run-time': m0005,
  '0006-webhooks': m0006,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export interface MigrationReport {
  readonly applied: readonly string[];
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  // Kysely looks for its bookkeeping tables in any schema on the search path's server, so a second schema on
  // the same server (tests, several installs) would be mistaken for this one: pin them to ours.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrator = new Migrator({ db, provider, migrationTableSchema: rows[0]?.schema ?? 'public' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
