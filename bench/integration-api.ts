/**
 * Benchmark of the integration flow's hot paths over real HTTP, on PGlite and (when reachable) PostgreSQL:
 * preassigning the whole demo warehouse, streaming its assignments as JSON and CSV, and online assignment
 * under concurrency (first requests, then repeat lookups). Not part of `npm test`.
 *
 *   npx tsx bench/integration-api.ts [pglite|postgres]...
 */
import { performance } from 'node:perf_hooks';
import type { DatabaseKind } from '../src/store/database.ts';
import { DEMO_PARTICIPANT_COUNT } from '../src/warehouse/demo-warehouse.ts';
import { postgresAvailable } from '../test/support/databases.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { httpLoad } from './support/measure.ts';

const ONLINE_PARTICIPANTS = 2_000;
const CONCURRENCY = 20;

const design = (type: string, extra: object) => ({
  design_spec: {
    experiment_type: type,
    experiment_name: `bench ${type}`,
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2099-01-01T00:00:00Z',
    arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
    table_name: 'participants',
    primary_key: 'participant_id',
    strata: [{ field_name: 'country' }, { field_name: 'gender' }],
    metrics: [{ field_name: 'completed_course' }],
    ...extra,
  },
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function bench(kind: DatabaseKind): Promise<void> {
  const server: TestServer = await startTestServer(kind, { worker: false });
  try {
    const ds = server.demoDatasourceId;
    // A limit above what the load below sends, so the benchmark measures assignment, not the rate limiter.
    const key = (await (await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({ name: 'bench', rate_limit_per_second: 100_000 }) })).json()).key as string;
    const client = (path: string) => fetch(`${server.baseUrl}${path}`, { headers: { 'X-API-Key': key } });

    const [created, createMs] = await timed(async () =>
      (await server.admin(`/v1/m/datasources/${ds}/experiments?random_state=1`, { method: 'POST', body: JSON.stringify(design('freq_preassigned', { desired_n: DEMO_PARTICIPANT_COUNT })) })).json(),
    );
    const exp = created.experiment_id as string;
    const [jsonBytes, jsonMs] = await timed(async () => (await (await client(`/v1/experiments/${exp}/assignments`)).arrayBuffer()).byteLength);
    const [csvBytes, csvMs] = await timed(async () => (await (await client(`/v1/experiments/${exp}/assignments/csv`)).arrayBuffer()).byteLength);

    const online = (await (await server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify(design('freq_online', {})) })).json()).experiment_id as string;
    await server.admin(`/v1/m/datasources/${ds}/experiments/${online}/commit`, { method: 'POST' });
    const first = await httpLoad(ONLINE_PARTICIPANTS, CONCURRENCY, (i) => client(`/v1/experiments/${online}/assignments/user-${i}`));
    const repeat = await httpLoad(ONLINE_PARTICIPANTS, CONCURRENCY, (i) => client(`/v1/experiments/${online}/assignments/user-${i}`));

    console.log(`\n## ${kind}`);
    console.log(`preassign ${created.assign_summary.sample_size} participants (sample + assign + insert): ${createMs.toFixed(0)} ms`);
    console.log(`JSON export: ${(jsonBytes / 2 ** 20).toFixed(1)} MiB in ${jsonMs.toFixed(0)} ms; CSV export: ${(csvBytes / 2 ** 20).toFixed(1)} MiB in ${csvMs.toFixed(0)} ms`);
    console.log(`online first assignment, ${CONCURRENCY} concurrent: ${first.perSecond} req/s, p50 ${first.p50.toFixed(1)} ms, p95 ${first.p95.toFixed(1)} ms`);
    console.log(`online repeat lookup, ${CONCURRENCY} concurrent: ${repeat.perSecond} req/s, p50 ${repeat.p50.toFixed(1)} ms, p95 ${repeat.p95.toFixed(1)} ms`);
  } finally {
    await server.close();
  }
}

const kinds = (process.argv.slice(2) as DatabaseKind[]).filter((k) => k === 'pglite' || k === 'postgres');
for (const kind of kinds.length ? kinds : (['pglite', 'postgres'] as const)) {
  if (kind === 'postgres' && !(await postgresAvailable())) {
    console.log('\n## postgres: skipped, no server at TEST_DATABASE_URL');
    continue;
  }
  await bench(kind);
}
