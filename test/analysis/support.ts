/**
 * Helpers for the analysis tests: warehouse tables written (and rewritten) in a DuckDB file inside the test
 * server's data directory or in a PostgreSQL schema, registered as datasources through the admin API, and
 * the assignment of an experiment read back from its CSV export.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import pg from 'pg';
import { POSTGRES_URL } from '../support/databases.ts';
import type { TestServer } from '../support/test-server.ts';

export type Engine = 'duckdb' | 'postgres';
export type SqlType = 'VARCHAR' | 'DOUBLE' | 'BOOLEAN' | 'INTEGER';
export type Cell = string | number | boolean | null;

export interface Table {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  /** The first column is the primary key. */
  readonly rows: readonly (readonly Cell[])[];
}

const PG_TYPES: Record<SqlType, string> = { VARCHAR: 'TEXT', DOUBLE: 'DOUBLE PRECISION', BOOLEAN: 'BOOLEAN', INTEGER: 'INTEGER' };

/** Where an engine keeps the test's tables: a DuckDB file in the server's data dir, or a PostgreSQL schema. */
export interface WarehouseLocation {
  readonly engine: Engine;
  /** DuckDB: the file name inside the data dir; PostgreSQL: the schema. */
  readonly where: string;
  readonly dataDir: string;
}

const quote = (n: string) => `"${n.replaceAll('"', '""')}"`;

/** Creates (or replaces) the tables. The server opens DuckDB files per request, so this may run between requests. */
export async function writeTables(location: WarehouseLocation, tables: readonly Table[]): Promise<void> {
  if (location.engine === 'duckdb') {
    const instance = await DuckDBInstance.create(path.join(location.dataDir, location.where));
    const c = await instance.connect();
    try {
      for (const t of tables) {
        await c.run(`DROP TABLE IF EXISTS ${quote(t.name)}`);
        await c.run(`CREATE TABLE ${quote(t.name)} (${t.columns.map((col, i) => `${quote(col.name)} ${col.type}${i === 0 ? ' PRIMARY KEY' : ''}`).join(', ')})`);
        for (let s = 0; s < t.rows.length; s += 500) {
          const params: DuckDBValue[] = [];
          const tuples = t.rows.slice(s, s + 500).map((row) => `(${row.map((v, i) => (params.push(v as DuckDBValue), `CAST($${params.length} AS ${t.columns[i]!.type})`)).join(', ')})`);
          await c.run(`INSERT INTO ${quote(t.name)} VALUES ${tuples.join(', ')}`, params);
        }
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    return;
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(location.where)}`);
    await client.query(`SET search_path = ${quote(location.where)}`);
    for (const t of tables) {
      await client.query(`DROP TABLE IF EXISTS ${quote(t.name)}`);
      await client.query(`CREATE TABLE ${quote(t.name)} (${t.columns.map((col, i) => `${quote(col.name)} ${PG_TYPES[col.type]}${i === 0 ? ' PRIMARY KEY' : ''}`).join(', ')})`);
      for (let s = 0; s < t.rows.length; s += 500) {
        const params: unknown[] = [];
        const tuples = t.rows.slice(s, s + 500).map((row) => `(${row.map((v, i) => (params.push(v), `$${params.length}::${PG_TYPES[t.columns[i]!.type]}`)).join(', ')})`);
        await client.query(`INSERT INTO ${quote(t.name)} VALUES ${tuples.join(', ')}`, params);
      }
      await client.query(`ANALYZE ${quote(t.name)}`);
    }
  } finally {
    await client.end();
  }
}

/** Runs one statement against the tables (UPDATE/DELETE between requests). */
export async function execute(location: WarehouseLocation, sql: string): Promise<void> {
  if (location.engine === 'duckdb') {
    const instance = await DuckDBInstance.create(path.join(location.dataDir, location.where));
    const c = await instance.connect();
    try {
      await c.run(sql);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    return;
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`SET search_path = ${quote(location.where)}`);
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let counter = 0;

/** A fresh location for `engine` and a datasource on it in the server's organization; returns both. */
export async function createWarehouseDatasource(server: TestServer, engine: Engine, tables: readonly Table[]): Promise<{ location: WarehouseLocation; datasourceId: string }> {
  const unique = `${process.pid}_${Date.now()}_${counter++}`;
  const location: WarehouseLocation = { engine, where: engine === 'duckdb' ? `analysis_${unique}.duckdb` : `eqan_${unique}`, dataDir: server.dataDir };
  await writeTables(location, tables);
  const url = new URL(POSTGRES_URL);
  const dsn =
    engine === 'duckdb'
      ? { type: 'duckdb', path: location.where }
      : {
          type: 'postgres',
          host: url.hostname,
          port: Number(url.port || 5432),
          user: decodeURIComponent(url.username),
          password: { type: 'revealed', value: decodeURIComponent(url.password) },
          dbname: url.pathname.slice(1),
          sslmode: 'disable',
          search_path: location.where,
        };
  const res = await server.admin('/v1/m/datasources', { method: 'POST', body: JSON.stringify({ organization_id: server.organizationId, name: `analysis ${unique}`, dsn }) });
  if (res.status !== 200) throw new Error(`creating the datasource answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { location, datasourceId: id };
}

/** Drops a PostgreSQL location (DuckDB files go with the server's data dir). */
export async function dropLocation(location: WarehouseLocation): Promise<void> {
  if (location.engine === 'duckdb') {
    fs.rmSync(path.join(location.dataDir, location.where), { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${quote(location.where)} CASCADE`).finally(() => client.end());
}

/** participant id → arm index (design order), from the admin CSV export. */
export async function assignmentOf(server: TestServer, datasourceId: string, config: { experiment_id: string; design_spec: { arms: { arm_id: string }[] } }): Promise<Record<string, number>> {
  const res = await server.admin(`/v1/m/datasources/${datasourceId}/experiments/${config.experiment_id}/assignments/csv`);
  const text = await res.text();
  const armIndex = new Map(config.design_spec.arms.map((a, i) => [a.arm_id, i]));
  const [header, ...lines] = text.trim().split('\n');
  const cols = header!.split(',');
  const pid = cols.indexOf('participant_id');
  const arm = cols.indexOf('arm_id');
  const out: Record<string, number> = {};
  for (const line of lines) {
    const cells = line.split(',');
    out[cells[pid]!] = armIndex.get(cells[arm]!)!;
  }
  return out;
}

/** Relative closeness with an absolute floor, for numbers that statsmodels computed. */
export function expectClose(actual: number | null | undefined, expected: number | null, what: string, rel = 1e-8, abs = 1e-12): void {
  if (expected === null || !Number.isFinite(expected)) {
    if (actual !== null && actual !== undefined) throw new Error(`${what}: expected null, got ${actual}`);
    return;
  }
  if (actual === null || actual === undefined) throw new Error(`${what}: expected ${expected}, got ${actual}`);
  const tol = Math.max(abs, rel * Math.abs(expected));
  if (Math.abs(actual - expected) > tol) throw new Error(`${what}: expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
}
