/**
 * Online get-or-create assignment through HTTP (API-key auth and rate limiting included) at 1, 8 and 32
 * concurrent clients, on PGlite and (when reachable) PostgreSQL: requests/s and p50/p99 latency, next to
 * the same database's raw single-row upsert rate measured in the same run — `pgbench` with a custom
 * script on PostgreSQL (when the binary is on PATH, else a node-postgres loop), a loop through the app's
 * own connection on PGlite (one connection: concurrency there is a queue) — and the in-process cost of
 * hash-mode assignment. Not part of `npm test`.
 *
 *   npx tsx bench/assignment.ts [pglite|postgres]...
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { hashAssignment } from '../src/domain/hash-assignment.ts';
import type { DatabaseKind } from '../src/store/database.ts';
import { POSTGRES_URL, postgresAvailable } from '../test/support/databases.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { httpLoad } from './support/measure.ts';

const CONCURRENCY = [1, 8, 32] as const;
const REQUESTS: Record<DatabaseKind, number> = { pglite: 1_500, postgres: 4_000 };
const UPSERT_SECONDS = 5;

function hasPgbench(): boolean {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Raw single-row upserts per second on the server behind the test schema. */
async function rawUpserts(server: TestServer, kind: DatabaseKind, concurrency: number): Promise<{ perSecond: number; method: string; latencyMs?: number }> {
  const db = server.database.db;
  await sql`CREATE TABLE IF NOT EXISTS bench_upsert (k text PRIMARY KEY, v integer NOT NULL)`.execute(db);
  if (kind === 'postgres' && hasPgbench()) {
    const schema = server.database.schema as string;
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eq-pgbench-')), 'upsert.sql');
    fs.writeFileSync(script, `\\set k random(1, 100000000)\nINSERT INTO "${schema}".bench_upsert VALUES (:k::text, 1) ON CONFLICT (k) DO UPDATE SET v = bench_upsert.v + 1;\n`);
    const out = execFileSync('pgbench', ['-n', '-c', String(concurrency), '-j', String(Math.min(concurrency, 8)), '-T', String(UPSERT_SECONDS), '-f', script, POSTGRES_URL], { encoding: 'utf8' });
    const tps = /tps = ([\d.]+)/.exec(out)?.[1];
    const lat = /latency average = ([\d.]+) ms/.exec(out)?.[1];
    return { perSecond: Math.round(Number(tps)), method: 'pgbench', latencyMs: Number(lat) };
  }
  // PGlite (or PostgreSQL without pgbench): the same statement in a loop through the app's own pool.
  let n = 0;
  const until = performance.now() + UPSERT_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < until) {
        await sql`INSERT INTO bench_upsert VALUES (${`${w}-${n++}`}, 1) ON CONFLICT (k) DO UPDATE SET v = bench_upsert.v + 1`.execute(db);
      }
    }),
  );
  return { perSecond: Math.round(n / UPSERT_SECONDS), method: kind === 'pglite' ? 'pglite loop (one connection)' : 'node-postgres loop' };
}

async function bench(kind: DatabaseKind): Promise<void> {
  const server = await startTestServer(kind, { worker: false });
  try {
    const ds = server.demoDatasourceId;
    const created = await (await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
    // The per-key limit (default 100/s) would otherwise be what we measure.
    await server.database.db.updateTable('api_keys').set({ rate_limit_per_second: 1_000_000 }).where('id', '=', created.id).execute();
    const client = (p: string) => fetch(`${server.baseUrl}${p}`, { headers: { 'X-API-Key': created.key } });
    for (const mode of ['random', 'hash'] as const) {
      const exp = await (
        await server.admin(`/v1/m/datasources/${ds}/experiments`, {
          method: 'POST',
          body: JSON.stringify({
            design_spec: {
              experiment_type: 'freq_online',
              experiment_name: `bench ${mode}`,
              start_date: '2026-01-01T00:00:00Z',
              end_date: '2099-01-01T00:00:00Z',
              arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
              table_name: 'participants',
              primary_key: 'participant_id',
              metrics: [{ field_name: 'completed_course' }],
            },
          }),
        })
      ).json();
      const id = exp.experiment_id as string;
      if (mode === 'hash') await server.admin(`/v1/m/datasources/${ds}/experiments/${id}/assignment-settings`, { method: 'PUT', body: JSON.stringify({ assignment_mode: 'hash' }) });
      await server.admin(`/v1/m/datasources/${ds}/experiments/${id}/commit`, { method: 'POST' });
      for (const c of CONCURRENCY) {
        const count = REQUESTS[kind];
        const first = await httpLoad(count, c, (i) => client(`/v1/experiments/${id}/assignments/c${c}-u${i}`));
        const repeat = await httpLoad(count, c, (i) => client(`/v1/experiments/${id}/assignments/c${c}-u${i}`));
        console.log(
          `${kind.padEnd(8)} ${mode.padEnd(6)} c=${String(c).padStart(2)}  create ${String(first.perSecond).padStart(5)} req/s p50 ${first.p50.toFixed(1)} ms p99 ${first.p99.toFixed(1)} ms | ` +
            `repeat ${String(repeat.perSecond).padStart(5)} req/s p50 ${repeat.p50.toFixed(1)} ms p99 ${repeat.p99.toFixed(1)} ms`,
        );
      }
    }
    for (const c of CONCURRENCY) {
      const raw = await rawUpserts(server, kind, c);
      console.log(`${kind.padEnd(8)} raw upsert c=${String(c).padStart(2)}  ${raw.perSecond} /s (${raw.method}${raw.latencyMs !== undefined ? `, avg ${raw.latencyMs} ms` : ''})`);
    }
  } finally {
    await server.close();
  }
}

function hashCost(): void {
  const n = 1_000_000;
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) sink += hashAssignment('exp_benchmark0000', `participant-${i}`, [0.3, 0.7], 2).bucket;
  const ns = ((performance.now() - start) * 1e6) / n;
  console.log(`hash mode in-process: ${ns.toFixed(0)} ns per assignment (${n} assignments, checksum ${sink % 997})`);
}

const kinds = (process.argv.slice(2) as DatabaseKind[]).filter((k) => k === 'pglite' || k === 'postgres');
hashCost();
for (const kind of kinds.length > 0 ? kinds : (['pglite', 'postgres'] as const)) {
  if (kind === 'postgres' && !(await postgresAvailable())) {
    console.log('postgres: not reachable, skipped');
    continue;
  }
  await bench(kind);
}
