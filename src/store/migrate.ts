/**
 * Applies the app-database migrations in order. The list is static (imported, not read from disk), so a
 * migration cannot go missing from a build, and the same code runs on PGlite and PostgreSQL.
 *
 * We keep our own bookkeeping table rather than Kysely's Migrator: the Migrator checks for its tables by
 * introspecting the whole catalog, which fails when any other schema on the server is dropped during the
 * scan (seen with parallel test schemas, and possible on any shared server). Here every statement names
 * only our schema. All pending migrations run in one transaction under an advisory lock, so concurrent
 * starts apply each migration once and a failing migration leaves the database as it was.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-datasource-inspections.ts';
import * as m0003 from './migrations/0003-accounts.ts';
import * as m0004 from './migrations/0004-experiment-design.ts';
import * as m0005 from './migrations/0005-run-time.ts';
import * as m0006 from './migrations/0006-webhooks.ts';
import * as m0007 from './migrations/0007-scheduled-tasks.ts';
import * as m0008 from './migrations/0008-bandits.ts';
import * as m0009 from './migrations/0009-snapshots.ts';
import * as m0010 from './migrations/0010-underpowered-finding.ts';
import * as m0011 from './migrations/0011-experiment-ended.ts';
import type { DB } from './schema.ts';

const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['0001-initial', m0001],
  ['0002-datasource-inspections', m0002],
  ['0003-accounts', m0003],
  ['0004-experiment-design', m0004],
  ['0005-run-time', m0005],
  ['0006-webhooks', m0006],
  ['0007-scheduled-tasks', m0007],
  ['0008-bandits', m0008],
  ['0009-snapshots', m0009],
  ['0010-underpowered-finding', m0010],
  ['0011-experiment-ended', m0011],
];

export interface MigrationReport {
  readonly applied: readonly string[];
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.equipoise_migrations'))`.execute(trx);
      await sql`CREATE TABLE IF NOT EXISTS equipoise_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(trx);
      const done = new Set((await sql<{ name: string }>`SELECT name FROM equipoise_migrations`.execute(trx)).rows.map((r) => r.name));
      const known = new Set(MIGRATIONS.map(([name]) => name));
      const unknown = [...done].filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new Error(`the database has migrations this version of Equipoise does not know (${unknown.join(', ')}); run a newer version`);
      }
      const applied: string[] = [];
      for (const [name, migration] of MIGRATIONS) {
        if (done.has(name)) continue;
        try {
          await migration.up(trx);
        } catch (err) {
          throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        await sql`INSERT INTO equipoise_migrations (name) VALUES (${name})`.execute(trx);
        applied.push(name);
      }
      return { applied };
    });
  } catch (err) {
    throw new Error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
