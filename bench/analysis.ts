/**
 * Analysis at scale (not part of `npm test`): 1,000,000 assigned participants × 3 metrics (two numeric, one
 * with 2 % NULLs, one boolean) × 3 arms, analysed through `analyzeExperiment` — every assignment read from the
 * app database in pages, every metric fetched from the warehouse in batches and streamed into the per-arm
 * accumulators — on a DuckDB and a PostgreSQL warehouse, with PGlite and PostgreSQL app databases; plus the
 * same analysis with one covariate (Lin's adjustment and the balance check, which keep compact typed
 * columns), the bare warehouse fetch, and the engines' own export of the same rows for scale. Each step runs
 * in its own child process; memory is the RSS growth during the step over the process's RSS just before it
 * (sampled every 20 ms), so the app database's own footprint (PGlite holds its pages in the process) is
 * not counted as the analysis's.
 *
 *   npm run bench:analysis          (PostgreSQL at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_ROWS=100000 npm run bench:analysis
 *   BENCH_STEPS='fetchByIds;postgres wh, postgres app' npm run bench:analysis   (steps whose name contains one of these)
 *   BENCH_MAX_OLD_SPACE_MB=64 npm run bench:analysis   (each step with a 64 MB V8 heap cap)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { sql } from 'kysely';
import { systemClock } from '../src/domain/clock.ts';
import { analyzeExperiment } from '../src/services/analysis/analyze-experiment.ts';
import { bootstrapInstallation } from '../src/services/bootstrap.ts';
import type { ServiceDeps } from '../src/services/context.ts';
import type { DatabaseKind } from '../src/store/database.ts';
import { loadExperiment } from '../src/store/repositories/experiments.ts';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.ts';
import { PostgresWarehouse } from '../src/warehouse/postgres.ts';
import type { Warehouse } from '../src/warehouse/warehouse.ts';
import { createTestDatabase, postgresAvailable, POSTGRES_URL } from '../test/support/databases.ts';
import { copyOutRows } from './support/measure.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SCHEMA = `eqbench_an_${process.env.BENCH_SCHEMA_SUFFIX ?? process.pid}`;
/** Participants assigned but absent from the warehouse (every 200th id is not in the table). */
const ABSENT_EVERY = 200;

/** The metric table, as one statement for both engines: the values are pure functions of i. */
const TABLE_SELECT = (range: string, flt: string) => `SELECT i AS id,
    CAST(10 + (i % 3) * 0.2 + ((i * 7919) % 1000) / 100.0 AS ${flt}) AS m1,
    CASE WHEN i % 50 = 0 THEN NULL ELSE CAST(((i * 104729) % 997) / 10.0 + (i % 3) AS ${flt}) END AS m2,
    ((i * 31) % 100) < 30 + 2 * (i % 3) AS m3,
    CAST(((i * 7919) % 1000) / 100.0 + ((i * 13) % 7) AS ${flt}) AS x1
  FROM ${range} WHERE i % ${ABSENT_EVERY} <> 0`;

function pgOptions() {
  const url = new URL(POSTGRES_URL);
  return {
    host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1), sslmode: 'disable' as const, searchPath: SCHEMA, allowPrivateIps: true,
  };
}

function openBenchWarehouse(engine: string, dir: string): Promise<Warehouse> {
  return engine === 'duckdb' ? DuckDbWarehouse.open({ path: 'bench.duckdb', baseDir: dir }) : PostgresWarehouse.open(pgOptions());
}

/** Samples RSS every 20 ms while `fn` runs; growth over the RSS at the start. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number; rssGrowthMb: number; heapGrowthMb: number }> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let rss = rss0;
  let heap = heap0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const m = process.memoryUsage();
  return { value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssGrowthMb: (Math.max(rss, m.rss) - rss0) / 2 ** 20, heapGrowthMb: (Math.max(heap, m.heapUsed) - heap0) / 2 ** 20 };
}

/** One measured step, in this (child) process. Prints a JSON line. */
async function child(step: string, kind: string, engine: string, dir: string, covariates: string): Promise<void> {
  if (step === 'analyze') {
    const database = await createTestDatabase(kind as DatabaseKind);
    try {
      const boot = await bootstrapInstallation(database.db, null);
      const db = database.db;
      await db.insertInto('datasources').values({ id: 'ds_bench', organization_id: boot.organizationId, name: 'bench', driver: engine, config: '{}' }).execute();
      const design = {
        strata: [],
        metrics: [{ field_name: 'm1' }, { field_name: 'm2' }, { field_name: 'm3' }],
        filters: [],
        desired_n: null,
        power: 0.8,
        alpha: 0.05,
        fstat_thresh: 0.6,
        field_types: { id: 'integer', m1: 'float', m2: 'float', m3: 'boolean', x1: 'float' },
        ...(covariates === '1' ? { covariates: [{ field_name: 'x1' }] } : {}),
      };
      await db
        .insertInto('experiments')
        .values({
          id: 'exp_bench', organization_id: boot.organizationId, datasource_id: 'ds_bench', experiment_type: 'freq_online', state: 'committed',
          name: 'bench', start_date: '2026-01-01T00:00:00Z', end_date: '2099-01-01T00:00:00Z', table_name: 'people', primary_key: 'id', design: JSON.stringify(design),
        })
        .execute();
      await db.insertInto('arms').values(['a', 'b', 'c'].map((a, i) => ({ id: `arm_${a}`, experiment_id: 'exp_bench', position: i + 1, name: a, population: 0 }))).execute();
      const t = performance.now();
      for (let s = 1; s <= ROWS; s += 200_000) {
        await sql`INSERT INTO assignments (experiment_id, participant_id, arm_id)
          SELECT 'exp_bench', i::text, (ARRAY['arm_a', 'arm_b', 'arm_c'])[1 + i % 3] FROM generate_series(${s}::int, ${Math.min(ROWS, s + 199_999)}::int) i`.execute(db);
      }
      process.stderr.write(`  ${ROWS} assignments written in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
      const deps: ServiceDeps = { db, clock: systemClock, publicUrl: 'http://localhost', allowPrivateIps: true, secrets: null, openWarehouse: () => openBenchWarehouse(engine, dir) };
      const loaded = await loadExperiment(db, 'exp_bench');
      const r = await measured(() => analyzeExperiment(deps, loaded!, {}));
      const a = r.value;
      if (a.type !== 'freq') throw new Error('bench: expected a frequentist analysis');
      console.log(
        JSON.stringify({
          seconds: r.seconds, cpuSeconds: r.cpuSeconds, rssGrowthMb: r.rssGrowthMb, heapGrowthMb: r.heapGrowthMb, rows: a.num_participants,
          check: { missing: a.num_missing_participants, m1: a.metric_analyses[0]!.arm_analyses.map((x) => x.estimate), adjusted: a.metric_analyses[0]!.arm_analyses[1]!.adjusted?.estimate ?? null, balance_p: a.balance_check?.p_value ?? null },
        }),
      );
    } finally {
      await database.close();
    }
    return;
  }
  if (step === 'fetch') {
    const w = await openBenchWarehouse(engine, dir);
    const r = await measured(async () => {
      let n = 0;
      function* ids() {
        for (let i = 1; i <= ROWS; i++) yield String(i);
      }
      for await (const batch of w.fetchByIds({ table: 'people', idField: 'id', columns: ['m1', 'm2', 'm3'], ids: ids() })) n += batch.length;
      return n;
    });
    await w.close();
    console.log(JSON.stringify({ seconds: r.seconds, cpuSeconds: r.cpuSeconds, rssGrowthMb: r.rssGrowthMb, heapGrowthMb: r.heapGrowthMb, rows: r.value }));
    return;
  }
  const r = await measured(async () => {
    if (engine === 'duckdb') {
      const instance = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
      const c = await instance.connect();
      await c.run(`COPY (SELECT id, m1, m2, m3 FROM people) TO '${path.join(dir, 'out.csv')}'`);
      c.closeSync();
      instance.closeSync();
      return ROWS - Math.floor(ROWS / ABSENT_EVERY);
    }
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const n = await copyOutRows(client, `COPY (SELECT id, m1, m2, m3 FROM ${SCHEMA}.people) TO STDOUT`);
    await client.end();
    return n;
  });
  console.log(JSON.stringify({ seconds: r.seconds, cpuSeconds: r.cpuSeconds, rssGrowthMb: r.rssGrowthMb, heapGrowthMb: r.heapGrowthMb, rows: r.value }));
}

function runChild(args: string[]): { seconds: number; cpuSeconds: number; rows: number; rssGrowthMb: number; heapGrowthMb: number; check?: unknown } {
  // BENCH_MAX_OLD_SPACE_MB caps the child's heap: an analysis that finishes under a small cap holds little.
  const cap = process.env.BENCH_MAX_OLD_SPACE_MB ? [`--max-old-space-size=${process.env.BENCH_MAX_OLD_SPACE_MB}`] : [];
  const out = execFileSync(process.execPath, ['--expose-gc', ...cap, '--import', 'tsx', path.resolve(import.meta.dirname, 'analysis.ts'), 'child', ...args], {
    env: { ...process.env, BENCH_SCHEMA_SUFFIX: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

async function parent(): Promise<void> {
  if (!(await postgresAvailable())) throw new Error(`PostgreSQL is needed at ${POSTGRES_URL}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-bench-an-'));
  const duck = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
  const dc = await duck.connect();
  await dc.run(`CREATE TABLE people AS ${TABLE_SELECT(`range(1, ${ROWS + 1}) r(i)`, 'DOUBLE')}; ALTER TABLE people ADD PRIMARY KEY (id);`);
  dc.closeSync();
  duck.closeSync();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};
    CREATE TABLE ${SCHEMA}.people AS ${TABLE_SELECT(`generate_series(1::bigint, ${ROWS}) i`, 'DOUBLE PRECISION')};
    ALTER TABLE ${SCHEMA}.people ADD PRIMARY KEY (id); ANALYZE ${SCHEMA}.people;`);

  const only = process.env.BENCH_STEPS?.split(';');
  const steps: [string, string[]][] = [
    ['duckdb COPY the metric rows TO file (engine export)', ['copy', '-', 'duckdb', dir, '0']],
    ['postgres COPY the metric rows TO STDOUT (engine export)', ['copy', '-', 'postgres', dir, '0']],
    ['fetchByIds 1M ids x 3 metrics: duckdb', ['fetch', '-', 'duckdb', dir, '0']],
    ['fetchByIds 1M ids x 3 metrics: postgres', ['fetch', '-', 'postgres', dir, '0']],
    ['analyze 3 metrics x 3 arms: duckdb wh, postgres app DB', ['analyze', 'postgres', 'duckdb', dir, '0']],
    ['analyze 3 metrics x 3 arms: postgres wh, postgres app DB', ['analyze', 'postgres', 'postgres', dir, '0']],
    ['analyze 3 metrics x 3 arms: duckdb wh, pglite app DB', ['analyze', 'pglite', 'duckdb', dir, '0']],
    ['analyze 3 metrics x 3 arms: postgres wh, pglite app DB', ['analyze', 'pglite', 'postgres', dir, '0']],
    ['analyze + Lin & balance on 1 covariate: duckdb, postgres app', ['analyze', 'postgres', 'duckdb', dir, '1']],
    ['analyze + Lin & balance on 1 covariate: postgres, postgres app', ['analyze', 'postgres', 'postgres', dir, '1']],
  ];
  const results: { step: string; seconds: number; cpuSeconds: number; rows: number; rssGrowthMb: number; heapGrowthMb: number }[] = [];
  for (const [step, args] of steps) {
    if (only && !only.some((o) => step.includes(o))) continue;
    process.stderr.write(`${step}\n`);
    try {
      const r = runChild(args);
      if (r.check) process.stderr.write(`  ${JSON.stringify(r.check)}\n`);
      results.push({ step, ...r });
    } catch (err) {
      process.stderr.write(`  failed: ${(err as Error).message.split('\n')[0]}\n`);
    }
  }
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`participants=${ROWS.toLocaleString('en-US')} (1 in ${ABSENT_EVERY} absent from the warehouse) node=${process.version} cpus=${os.cpus().length} load=${os.loadavg().map((l) => l.toFixed(1)).join('/')}`);
  // seconds: wall time; cpu s: this process's CPU time (the databases' own work is not in it).
  console.log('step'.padEnd(62), 'seconds'.padStart(8), 'cpu s'.padStart(7), 'RSS +MB'.padStart(8), 'heap +MB'.padStart(9), 'rows'.padStart(10));
  for (const r of results) {
    console.log(
      r.step.padEnd(62), r.seconds.toFixed(2).padStart(8), r.cpuSeconds.toFixed(2).padStart(7), r.rssGrowthMb.toFixed(0).padStart(8), r.heapGrowthMb.toFixed(0).padStart(9), String(r.rows).padStart(10),
    );
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string, process.argv[6] as string, process.argv[7] as string);
else await parent();
