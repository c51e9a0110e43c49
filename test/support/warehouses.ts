/**
 * Test warehouses: the same fixture table created in DuckDB (a temp file), PostgreSQL (a fresh schema)
 * and MariaDB (a fresh database), each opened through its real engine. MariaDB is at TEST_MARIADB_URL's
 * host (default root@127.0.0.1:3306); when absent its suites skip by name, and fail under
 * REQUIRE_SERVICES=1 like PostgreSQL's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb.ts';
import { MariaDbWarehouse } from '../../src/warehouse/mariadb.ts';
import { PostgresWarehouse } from '../../src/warehouse/postgres.ts';
import { RedshiftWarehouse } from '../../src/warehouse/redshift.ts';
import type { ColumnType, Warehouse, WarehouseLimits, WarehouseValue } from '../../src/warehouse/warehouse.ts';
import { mariadbAvailable, MARIADB, postgresAvailable, POSTGRES_URL } from './databases.ts';

export interface FixtureColumn {
  readonly name: string;
  readonly type: Exclude<ColumnType, 'unsupported'>;
}

export interface FixtureTable {
  readonly name: string;
  readonly columns: readonly FixtureColumn[];
  readonly primaryKey?: string;
  /** Values in the canonical forms of `warehouse.ts` (numbers, ISO strings, booleans, null). */
  readonly rows: readonly Readonly<Record<string, WarehouseValue>>[];
}

export type EngineName = 'duckdb' | 'postgres' | 'mariadb' | 'redshift';

export interface TestWarehouse {
  readonly warehouse: Warehouse;
  /** The temp directory, PostgreSQL schema or MariaDB database holding the tables. */
  readonly location: string;
  /** Closes the warehouse and removes the file, schema or database. */
  close(): Promise<void>;
}

const NATIVE: Record<'duckdb' | 'postgres' | 'mariadb', Record<FixtureColumn['type'], string>> = {
  duckdb: { boolean: 'BOOLEAN', string: 'VARCHAR', uuid: 'UUID', integer: 'INTEGER', bigint: 'BIGINT', float: 'DOUBLE', decimal: 'DECIMAL(12,2)', date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ' },
  postgres: { boolean: 'BOOLEAN', string: 'TEXT', uuid: 'UUID', integer: 'INTEGER', bigint: 'BIGINT', float: 'DOUBLE PRECISION', decimal: 'NUMERIC(12,2)', date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ' },
  // VARCHAR keeps the server's default case-insensitive collation on purpose: the engine must not rely on it.
  mariadb: { boolean: 'BOOLEAN', string: 'VARCHAR(255)', uuid: 'UUID', integer: 'INT', bigint: 'BIGINT', float: 'DOUBLE', decimal: 'DECIMAL(12,2)', date: 'DATE', timestamp: 'DATETIME(6)', timestamptz: 'TIMESTAMP(6) NULL' },
};

/** Values as each engine's INSERT takes them: timestamps without `T`/`Z` (sessions are UTC). */
function insertValue(type: FixtureColumn['type'], v: WarehouseValue, engine: 'duckdb' | 'postgres' | 'mariadb'): unknown {
  if (v === null) return null;
  if ((type === 'timestamp' || type === 'timestamptz') && typeof v === 'string') {
    const plain = v.replace('T', ' ').replace(/Z$/, '');
    return type === 'timestamptz' && engine !== 'mariadb' ? `${plain}+00` : plain;
  }
  if (engine === 'duckdb' && type === 'boolean') return v;
  return v;
}

const ROWS_PER_INSERT = 200;

function ddl(table: FixtureTable, engine: 'duckdb' | 'postgres' | 'mariadb', quote: (n: string) => string): string {
  const cols = table.columns.map((c) => `${quote(c.name)} ${NATIVE[engine][c.type]}${c.name === table.primaryKey ? ' PRIMARY KEY' : ''}`);
  return `CREATE TABLE ${quote(table.name)} (${cols.join(', ')})`;
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(rows.slice(i, i + ROWS_PER_INSERT));
  return out;
}

let counter = 0;
const unique = () => `${process.pid}_${Date.now()}_${counter++}`;

async function duckdb(tables: readonly FixtureTable[], limits?: WarehouseLimits): Promise<TestWarehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-wh-'));
  const instance = await DuckDBInstance.create(path.join(dir, 'w.duckdb'));
  const connection = await instance.connect();
  const quote = (n: string) => `"${n.replaceAll('"', '""')}"`;
  for (const table of tables) {
    await connection.run(ddl(table, 'duckdb', quote));
    for (const chunk of chunks(table.rows)) {
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const slots = table.columns.map((c) => {
          params.push(insertValue(c.type, row[c.name] ?? null, 'duckdb'));
          const cast = NATIVE.duckdb[c.type];
          return `CAST($${params.length} AS ${cast})`;
        });
        return `(${slots.join(', ')})`;
      });
      await connection.run(`INSERT INTO ${quote(table.name)} VALUES ${tuples.join(', ')}`, params as DuckDBValue[]);
    }
  }
  connection.closeSync();
  instance.closeSync();
  const warehouse = await DuckDbWarehouse.open({ path: 'w.duckdb', baseDir: dir, limits });
  return {
    warehouse,
    location: dir,
    async close() {
      await warehouse.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgres(tables: readonly FixtureTable[], limits: WarehouseLimits | undefined, redshift: boolean): Promise<TestWarehouse> {
  const schema = `eqwh_${unique()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
    await admin.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
    await admin.query(`SET TIME ZONE 'UTC'`);
    for (const table of tables) {
      await admin.query(ddl(table, 'postgres', pg.escapeIdentifier));
      for (const chunk of chunks(table.rows)) {
        const params: unknown[] = [];
        const tuples = chunk.map((row) => `(${table.columns.map((c) => (params.push(insertValue(c.type, row[c.name] ?? null, 'postgres')), `$${params.length}::${NATIVE.postgres[c.type]}`)).join(', ')})`);
        await admin.query(`INSERT INTO ${pg.escapeIdentifier(table.name)} VALUES ${tuples.join(', ')}`, params);
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  const options = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1),
    sslmode: 'disable' as const,
    searchPath: schema,
    limits,
    allowPrivateIps: true,
  };
  const warehouse = redshift ? await RedshiftWarehouse.open({ ...options, trustSslMode: true }) : await PostgresWarehouse.open(options);
  return {
    warehouse,
    location: schema,
    async close() {
      await warehouse.close();
      const drop = new pg.Client({ connectionString: POSTGRES_URL });
      await drop.connect();
      await drop.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await drop.end();
    },
  };
}

async function mariadb(tables: readonly FixtureTable[], limits?: WarehouseLimits): Promise<TestWarehouse> {
  const database = `eqwh_${unique()}`;
  const admin = await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, password: MARIADB.password, timezone: 'Z' });
  const quote = (n: string) => `\`${n.replaceAll('`', '``')}\``;
  try {
    await admin.query(`CREATE DATABASE ${quote(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    await admin.query(`USE ${quote(database)}`);
    await admin.query(`SET time_zone = '+00:00'`);
    for (const table of tables) {
      await admin.query(ddl(table, 'mariadb', quote));
      for (const chunk of chunks(table.rows)) {
        const params: unknown[] = [];
        const tuples = chunk.map((row) => `(${table.columns.map((c) => (params.push(insertValue(c.type, row[c.name] ?? null, 'mariadb')), '?')).join(', ')})`);
        await admin.execute(`INSERT INTO ${quote(table.name)} VALUES ${tuples.join(', ')}`, params as never);
      }
    }
  } finally {
    await admin.end();
  }
  const warehouse = await MariaDbWarehouse.open({ ...MARIADB, dbname: database, limits, allowPrivateIps: true });
  return {
    warehouse,
    location: database,
    async close() {
      await warehouse.close();
      const drop = await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, password: MARIADB.password });
      await drop.query(`DROP DATABASE IF EXISTS ${quote(database)}`);
      await drop.end();
    },
  };
}

/** The fixture tables in a fresh warehouse of `engine`. */
export async function createTestWarehouse(engine: EngineName, tables: readonly FixtureTable[], limits?: WarehouseLimits): Promise<TestWarehouse> {
  switch (engine) {
    case 'duckdb':
      return duckdb(tables, limits);
    case 'postgres':
      return postgres(tables, limits, false);
    case 'redshift':
      return postgres(tables, limits, true);
    case 'mariadb':
      return mariadb(tables, limits);
  }
}

/** Which engines can run here; the server-backed ones skip by name when their server is absent. */
export async function availableEngines(): Promise<Record<EngineName, boolean>> {
  const pgUp = await postgresAvailable();
  return { duckdb: true, postgres: pgUp, redshift: pgUp, mariadb: await mariadbAvailable() };
}
