/**
 * Warehouse benchmark (not part of `npm test`): on DuckDB and PostgreSQL, sample 100,000 of 1,000,000 rows
 * with two filters, and fetch one metric for 1,000,000 ids in batches, next to the engine's own bulk
 * export of the same rows (DuckDB `COPY … TO` a file; PostgreSQL `COPY … TO STDOUT` drained by the
 * client) measured in the same run. Reports wall time and the process's peak RSS growth per step.
 *
 *   npx tsx bench/warehouse.ts          (PostgreSQL at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.ts';
import { PostgresWarehouse } from '../src/warehouse/postgres.ts';
import type { Filter, Warehouse } from '../src/warehouse/warehouse.ts';
import { copyOutRows } from './support/measure.ts';

const ROWS = 1_000_000;
const SAMPLE = 100_000;
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const FILTERS: Filter[] = [
  { field_name: 'country', relation: 'excludes', value: ['FR'] },
  { field_name: 'age', relation: 'between', value: [20, 70] },
];

interface Result {
  readonly step: string;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly rows: number;
}

/** Runs `fn`, sampling RSS every 20 ms; peak is relative to the RSS at the start. */
async function measure(step: string, fn: () => Promise<number>): Promise<Result> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const rows = await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { step, seconds, peakRssMb: (peak - base) / 2 ** 20, rows };
}

async function fetchAll(w: Warehouse): Promise<number> {
  function* ids() {
    for (let i = 1; i <= ROWS; i++) yield String(i);
  }
  let n = 0;
  for await (const batch of w.fetchByIds({ table: 'people', idField: 'id', columns: ['spend'], ids: ids() })) n += batch.length;
  return n;
}

async function duckdb(): Promise<Result[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-bench-'));
  const file = path.join(dir, 'bench.duckdb');
  const writer = await DuckDBInstance.create(file);
  const c = await writer.connect();
  await c.run(`CREATE TABLE people AS SELECT i::INTEGER AS id, (['US','FR','DE','BR'])[1 + i % 4] AS country,
    (i % 80)::INTEGER AS age, (i % 1000) / 10.0 AS spend FROM range(1, ${ROWS + 1}) r(i);
    ALTER TABLE people ADD PRIMARY KEY (id);`);
  c.closeSync();
  writer.closeSync();
  const w = await DuckDbWarehouse.open({ path: 'bench.duckdb', baseDir: dir });
  const results = [
    await measure('duckdb sample 100k of 1M, 2 filters', async () => (await w.sample({ table: 'people', columns: ['id', 'country', 'age'], filters: FILTERS, limit: SAMPLE })).length),
    await measure('duckdb fetch 1 metric for 1M ids', () => fetchAll(w)),
  ];
  await w.close();
  // The engine's own export of the same rows, in the same run: a writable instance (external access on).
  const native = await DuckDBInstance.create(file);
  const nc = await native.connect();
  results.push(
    await measure('duckdb COPY sample to file (engine export)', async () => {
      await nc.run(`COPY (SELECT id, country, age FROM people WHERE country <> 'FR' AND age BETWEEN 20 AND 70 ORDER BY random() LIMIT ${SAMPLE}) TO '${path.join(dir, 's.csv')}'`);
      return SAMPLE;
    }),
    await measure('duckdb COPY 1M metric rows to file (engine export)', async () => {
      await nc.run(`COPY (SELECT id, spend FROM people) TO '${path.join(dir, 'm.csv')}'`);
      return ROWS;
    }),
  );
  nc.closeSync();
  native.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
  return results;
}

async function postgres(): Promise<Result[]> {
  const schema = `eqbench_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema};
    CREATE TABLE people AS SELECT i::INTEGER AS id, (ARRAY['US','FR','DE','BR'])[1 + i % 4] AS country,
      (i % 80)::INTEGER AS age, (i % 1000) / 10.0::float8 AS spend FROM generate_series(1, ${ROWS}) i;
    ALTER TABLE people ADD PRIMARY KEY (id); ANALYZE people;`);
  const url = new URL(POSTGRES_URL);
  const w = await PostgresWarehouse.open({
    host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1), sslmode: 'disable', searchPath: schema, allowPrivateIps: true,
  });
  const results = [
    await measure('postgres sample 100k of 1M, 2 filters', async () => (await w.sample({ table: 'people', columns: ['id', 'country', 'age'], filters: FILTERS, limit: SAMPLE })).length),
    await measure('postgres fetch 1 metric for 1M ids', () => fetchAll(w)),
  ];
  await w.close();
  results.push(
    await measure('postgres COPY sample TO STDOUT (engine export)', () =>
      copyOutRows(admin, `COPY (SELECT id, country, age FROM people WHERE country <> 'FR' AND age BETWEEN 20 AND 70 ORDER BY random() LIMIT ${SAMPLE}) TO STDOUT`),
    ),
    await measure('postgres COPY 1M metric rows TO STDOUT (engine export)', () => copyOutRows(admin, `COPY (SELECT id, spend FROM people) TO STDOUT`)),
  );
  await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
  return results;
}

const results = [...(await duckdb()), ...(await postgres())];
console.log(`rows=${ROWS.toLocaleString('en-US')} sample=${SAMPLE.toLocaleString('en-US')} node=${process.version}`);
console.log('step'.padEnd(58), 'seconds'.padStart(8), 'peak RSS +MB'.padStart(13), 'rows'.padStart(10));
for (const r of results) console.log(r.step.padEnd(58), r.seconds.toFixed(2).padStart(8), r.peakRssMb.toFixed(0).padStart(13), String(r.rows).padStart(10));
