/**
 * Test databases. Every database test runs on both app databases: PGlite (always) and the PostgreSQL server
 * at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). When the server is absent the
 * PostgreSQL cases are skipped by name; with REQUIRE_SERVICES=1 (CI) an absent server is a failure instead.
 *
 * PGlite: a migrated template directory is made once per run (global setup) and copied per database, which
 * is much faster than migrating each time. PostgreSQL: each database is a fresh schema, dropped afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { openDatabase, type AppDatabase, type DatabaseKind } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REQUIRE_SERVICES = process.env.REQUIRE_SERVICES === '1';

let postgresReachable: boolean | undefined;

export async function postgresAvailable(): Promise<boolean> {
  if (postgresReachable !== undefined) return postgresReachable;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    postgresReachable = true;
  } catch {
    postgresReachable = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!postgresReachable && REQUIRE_SERVICES) {
    throw new Error(`REQUIRE_SERVICES=1 but PostgreSQL is not reachable at ${POSTGRES_URL}`);
  }
  return postgresReachable;
}

export interface TestDatabase extends AppDatabase {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string | undefined;
  readonly schema: string | undefined;
}

let counter = 0;

/** The migrated template made by the global setup; absent outside a vitest run (benchmarks migrate instead). */
function pgliteTemplate(): string | undefined {
  try {
    return inject('pgliteTemplate');
  } catch {
    return undefined;
  }
}

/** A fresh, migrated app database of the given kind. Close it with `close()`, which also removes it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const unique = `${process.pid}_${Date.now()}_${counter++}`;
  if (kind === 'postgres') {
    const schema = `eqtest_${unique}`;
    const database = await openDatabase({ databaseUrl: POSTGRES_URL, schema });
    await migrateToLatest(database.db);
    return {
      ...database,
      databaseUrl: POSTGRES_URL,
      dataDir: undefined,
      schema,
      async close() {
        await database.close();
        const admin = new pg.Client({ connectionString: POSTGRES_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
        await admin.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-test-'));
  const template = pgliteTemplate();
  if (template && fs.existsSync(template)) fs.cpSync(template, path.join(dataDir, 'pglite'), { recursive: true });
  const database = await openDatabase({ dataDir });
  if (!template) await migrateToLatest(database.db);
  return {
    ...database,
    databaseUrl: undefined,
    dataDir,
    schema: undefined,
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const DATABASE_KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

const POSTGRES_UP = await postgresAvailable();

/**
 * Declares `body` once per app database, as `name [pglite]` and `name [postgres]`. The PostgreSQL copy is
 * skipped by name when no server is reachable (and fails the run instead under REQUIRE_SERVICES=1).
 */
export function describeEachDatabase(name: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    if (kind === 'postgres') describePostgresOnly(name, () => body(kind));
    else describe(`${name} [${kind}]`, () => body(kind));
  }
}

/** A suite that only makes sense on a PostgreSQL server (several connections or processes). */
export function describePostgresOnly(name: string, body: () => void): void {
  const skip = !POSTGRES_UP;
  describe.skipIf(skip)(`${name} [postgres]${skip ? ' (skipped: PostgreSQL not reachable)' : ''}`, body);
}

/** The MariaDB/MySQL server warehouse tests use (TEST_MARIADB_URL, default mysql://root@127.0.0.1:3306). */
const MARIADB_URL = new URL(process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306');
export const MARIADB = {
  host: MARIADB_URL.hostname,
  port: Number(MARIADB_URL.port || 3306),
  user: decodeURIComponent(MARIADB_URL.username),
  password: decodeURIComponent(MARIADB_URL.password),
} as const;

let mariadbReachable: boolean | undefined;

/** Whether MariaDB answers; under REQUIRE_SERVICES=1 an absent server throws instead. */
export async function mariadbAvailable(): Promise<boolean> {
  if (mariadbReachable !== undefined) return mariadbReachable;
  const mysql = await import('mysql2/promise');
  try {
    const connection = await mysql.createConnection({ ...MARIADB, connectTimeout: 2000 });
    await connection.query('SELECT 1');
    await connection.end();
    mariadbReachable = true;
  } catch {
    mariadbReachable = false;
  }
  return mariadbReachable;
}

const MARIADB_UP = await mariadbAvailable();
const MARIADB_MISSING = `REQUIRE_SERVICES=1 but MariaDB is not reachable at ${MARIADB.host}:${MARIADB.port}`;

/**
 * Skips by name when the server is absent; under REQUIRE_SERVICES=1 the suite fails instead. Only the
 * suites that need MariaDB fail, so the rest of the run still reports.
 */
function describeNeeding(up: boolean, missing: string, title: string, body: () => void): void {
  if (up) describe(title, body);
  else if (REQUIRE_SERVICES) {
    describe(title, () => {
      it('needs its server', () => {
        throw new Error(missing);
      });
    });
  } else describe.skip(`${title} (skipped: server not reachable)`, body);
}

/** A suite that needs the MariaDB server; skipped by name when it is absent (a failure under REQUIRE_SERVICES=1). */
export function describeMariaDbOnly(name: string, body: () => void): void {
  describeNeeding(MARIADB_UP, MARIADB_MISSING, `${name} [mariadb]`, body);
}

/**
 * Declares `body` once per warehouse engine, as `name [duckdb]`, `[postgres]`, `[redshift-on-postgres]`,
 * `[mariadb]`; the server-backed copies skip by name when their server is absent.
 */
export function describeEachWarehouse<E extends string>(name: string, engines: readonly E[], body: (engine: E) => void): void {
  for (const engine of engines) {
    const up = engine === 'mariadb' ? MARIADB_UP : engine === 'duckdb' ? true : POSTGRES_UP;
    const label = engine === 'redshift' ? 'redshift-on-postgres' : engine;
    describeNeeding(up, engine === 'mariadb' ? MARIADB_MISSING : `PostgreSQL is not reachable at ${POSTGRES_URL}`, `${name} [${label}]`, () => body(engine));
  }
}
