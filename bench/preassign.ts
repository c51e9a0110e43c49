/**
 * Preassignment at scale (not part of `npm test`): 1,000,000 participants with 3 strata (region, gender
 * with NULLs, age binned into quartiles) and one metric, sampled from a DuckDB and a PostgreSQL warehouse
 * and assigned into both app databases (PGlite and PostgreSQL) through `createExperiment` — next to the
 * engines' own bulk tools moving the same rows in the same run: DuckDB `COPY … TO` a file, PostgreSQL
 * `COPY … TO STDOUT` (read) and `COPY … FROM` a file (write, server-side). Each measured step runs in its
 * own child process, so its peak RSS (`maxRSS`) is its own.
 *
 *   npx tsx bench/preassign.ts          (PostgreSQL at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { systemClock } from '../src/domain/clock.ts';
import { CreateExperimentRequestSchema } from '../src/domain/design-spec.ts';
import { bootstrapInstallation } from '../src/services/bootstrap.ts';
import type { ServiceContext, UserActor } from '../src/services/context.ts';
import { createExperiment } from '../src/services/experiments/create-experiment.ts';
import type { DatabaseKind } from '../src/store/database.ts';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.ts';
import { PostgresWarehouse } from '../src/warehouse/postgres.ts';
import type { Warehouse } from '../src/warehouse/warehouse.ts';
import { createTestDatabase, postgresAvailable, POSTGRES_URL } from '../test/support/databases.ts';
import { copyOutRows } from './support/measure.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SCHEMA = `eqbench_pre_${process.env.BENCH_SCHEMA_SUFFIX ?? process.pid}`;
// One statement builds the table in both engines: the values are pure functions of i.
const TABLE_SELECT = (range: string) => `SELECT i AS id,
    (ARRAY['north','south','east','west','centre'])[1 + (i * 7) % 5] AS region,
    CASE WHEN i % 25 = 0 THEN NULL ELSE (ARRAY['female','male','nonbinary'])[1 + (i * 13) % 3] END AS gender,
    (18 + (i * 31) % 60)::INTEGER AS age,
    ((i * 37) % 1000) / 10.0 AS spend
  FROM ${range}`;

const DESIGN = CreateExperimentRequestSchema.parse({
  design_spec: {
    experiment_type: 'freq_preassigned',
    experiment_name: 'bench 1M',
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2099-01-01T00:00:00Z',
    arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
    table_name: 'people',
    primary_key: 'id',
    strata: [{ field_name: 'region' }, { field_name: 'gender' }, { field_name: 'age' }],
    metrics: [{ field_name: 'spend', metric_pct_change: 0.05 }],
    desired_n: ROWS,
  },
});

function pgOptions() {
  const url = new URL(POSTGRES_URL);
  return {
    host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1), sslmode: 'disable' as const, searchPath: SCHEMA, allowPrivateIps: true,
  };
}

async function openBenchWarehouse(engine: string, dir: string): Promise<Warehouse> {
  return engine === 'duckdb' ? DuckDbWarehouse.open({ path: 'bench.duckdb', baseDir: dir }) : PostgresWarehouse.open(pgOptions());
}

/** One measured step, in this (child) process. Prints a JSON line. */
async function child(step: string, a: string, b: string, dir: string): Promise<void> {
  const started = performance.now();
  let rows = 0;
  if (step === 'preassign') {
    const database = await createTestDatabase(a as DatabaseKind);
    try {
      const boot = await bootstrapInstallation(database.db, null);
      await database.db.insertInto('datasources').values({ id: 'ds_bench', organization_id: boot.organizationId, name: 'bench', driver: b, config: '{}' }).execute();
      const user = await database.db.selectFrom('users').select(['id', 'email']).where('id', '=', boot.userId).executeTakeFirstOrThrow();
      const ctx: ServiceContext<UserActor> = {
        db: database.db, clock: systemClock, publicUrl: 'http://localhost', allowPrivateIps: true, secrets: null,
        openWarehouse: () => openBenchWarehouse(b, dir),
        actor: { kind: 'user', userId: user.id, email: user.email, isPrivileged: true },
      };
      const t0 = performance.now();
      const config = await createExperiment(ctx, 'ds_bench', DESIGN, { randomState: 42, log: (l) => process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(1)}s ${l}\n`) });
      rows = config.assign_summary.sample_size;
      const seconds = (performance.now() - t0) / 1000;
      console.log(JSON.stringify({ seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024, balance: config.assign_summary.balance_check }));
      return;
    } finally {
      await database.close();
    }
  }
  if (step === 'duckdb-copy-out') {
    const instance = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
    const c = await instance.connect();
    await c.run(`COPY (SELECT id, region, gender, age, spend FROM people ORDER BY random() LIMIT ${ROWS}) TO '${path.join(dir, 'out.csv')}'`);
    c.closeSync();
    instance.closeSync();
    rows = ROWS;
  } else if (step === 'postgres-copy-out') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    rows = await copyOutRows(client, `COPY (SELECT id, region, gender, age, spend FROM ${SCHEMA}.people ORDER BY random() LIMIT ${ROWS}) TO STDOUT`);
    await client.end();
  } else if (step === 'postgres-copy-in') {
    // The same number of assignment-shaped rows (id, arm, strata JSON), written by the server's own COPY.
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`CREATE TABLE ${SCHEMA}.copy_target (experiment_id text, participant_id text, arm_id text, strata jsonb, PRIMARY KEY (experiment_id, participant_id))`);
    await client.query(`COPY ${SCHEMA}.copy_target FROM '${path.join(dir, 'assignments.csv')}' WITH (FORMAT csv)`).catch(async (err: Error) => {
      throw new Error(`server-side COPY FROM needs the file on the server's host (${err.message})`);
    });
    rows = Number((await client.query(`SELECT count(*) AS n FROM ${SCHEMA}.copy_target`)).rows[0].n);
    await client.end();
  }
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(args: string[]): { seconds: number; rows: number; maxRssMb: number; balance?: unknown } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'preassign.ts'), 'child', ...args], {
    env: { ...process.env, BENCH_SCHEMA_SUFFIX: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

async function parent(): Promise<void> {
  if (!(await postgresAvailable())) throw new Error(`PostgreSQL is needed at ${POSTGRES_URL}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-bench-pre-'));
  fs.chmodSync(dir, 0o755);
  const duck = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
  const dc = await duck.connect();
  await dc.run(`CREATE TABLE people AS ${TABLE_SELECT(`range(1, ${ROWS + 1}) r(i)`).replace(/ARRAY\[/g, '[').replace('(i * 7) % 5', 'CAST((i * 7) % 5 AS INTEGER)')}; ALTER TABLE people ADD PRIMARY KEY (id);`);
  dc.closeSync();
  duck.closeSync();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};
    CREATE TABLE ${SCHEMA}.people AS ${TABLE_SELECT(`generate_series(1, ${ROWS}) i`)};
    ALTER TABLE ${SCHEMA}.people ADD PRIMARY KEY (id); ANALYZE ${SCHEMA}.people;`);
  // A file of assignment-shaped rows for the PostgreSQL COPY FROM baseline (server-side, so it must be readable by the server).
  const lines: string[] = [];
  const csv = fs.openSync(path.join(dir, 'assignments.csv'), 'w');
  for (let i = 1; i <= ROWS; i++) {
    lines.push(`exp_bench,${i},arm_${i % 2},"[{""field_name"":""age"",""strata_value"":""${18 + ((i * 31) % 60)}""},{""field_name"":""gender"",""strata_value"":""male""},{""field_name"":""region"",""strata_value"":""north""},{""field_name"":""spend"",""strata_value"":""${((i * 37) % 1000) / 10}""}]"`);
    if (lines.length === 50_000) fs.writeSync(csv, lines.splice(0).join('\n') + '\n');
  }
  fs.writeSync(csv, lines.join('\n') + (lines.length ? '\n' : ''));
  fs.closeSync(csv);
  fs.chmodSync(path.join(dir, 'assignments.csv'), 0o644);

  const steps: [string, string[]][] = [
    ['duckdb COPY 1M sampled rows TO file (engine read)', ['duckdb-copy-out', '-', '-', dir]],
    ['postgres COPY 1M sampled rows TO STDOUT (engine read)', ['postgres-copy-out', '-', '-', dir]],
    ['postgres COPY 1M assignment rows FROM file (engine write)', ['postgres-copy-in', '-', '-', dir]],
    ['preassign 1M: duckdb warehouse -> pglite app DB', ['preassign', 'pglite', 'duckdb', dir]],
    ['preassign 1M: duckdb warehouse -> postgres app DB', ['preassign', 'postgres', 'duckdb', dir]],
    ['preassign 1M: postgres warehouse -> pglite app DB', ['preassign', 'pglite', 'postgres', dir]],
    ['preassign 1M: postgres warehouse -> postgres app DB', ['preassign', 'postgres', 'postgres', dir]],
  ];
  const results: { step: string; seconds: number; rows: number; maxRssMb: number }[] = [];
  for (const [step, args] of steps) {
    process.stderr.write(`${step}\n`);
    try {
      results.push({ step, ...runChild(args) });
    } catch (err) {
      process.stderr.write(`  failed: ${(err as Error).message.split('\n')[0]}\n`);
    }
  }
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`rows=${ROWS.toLocaleString('en-US')} node=${process.version} cpus=${os.cpus().length}`);
  console.log('step'.padEnd(60), 'seconds'.padStart(8), 'peak RSS MB'.padStart(12), 'rows'.padStart(10));
  for (const r of results) console.log(r.step.padEnd(60), r.seconds.toFixed(2).padStart(8), r.maxRssMb.toFixed(0).padStart(12), String(r.rows).padStart(10));
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string, process.argv[6] as string);
else await parent();
