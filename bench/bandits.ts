/**
 * Bandit throughput through HTTP (API-key auth and rate limiting included) at 1, 8 and 32 concurrent
 * clients, on PGlite and (when reachable) PostgreSQL, next to the online A/B assignment rate measured in the
 * same run on the same server:
 *
 *   - A/B       `GET …/assignments/{id}` for new participants of a `freq_online` experiment;
 *   - draw      the same GET on a two-arm Beta `mab_online` whose posteriors stay put (propensities cached);
 *   - outcome   `POST …/outcome` for those draws (each takes the arm's row lock);
 *   - cycle     draw then outcome for a new participant, the real pattern: every outcome moves a posterior,
 *               so the next draw computes its exact propensity afresh (Beta: quadrature);
 *   - CMAB      the cycle on a two-context `cmab_online` (Normal arms, closed-form propensity).
 *
 * Not part of `npm test`.
 *
 *   npm run bench:bandits -- [pglite|postgres]...
 */
import type { DatabaseKind } from '../src/store/database.ts';
import { postgresAvailable } from '../test/support/databases.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { httpLoad, type LoadResult } from './support/measure.ts';

const CONCURRENCY = [1, 8, 32] as const;
const REQUESTS: Record<DatabaseKind, number> = { pglite: 600, postgres: 2_000 };

async function key(server: TestServer, datasourceId: string): Promise<string> {
  const created = await (await server.admin(`/v1/m/datasources/${datasourceId}/apikeys`, { method: 'POST' })).json();
  // The per-key limit (default 100/s) would otherwise be what we measure.
  await server.database.db.updateTable('api_keys').set({ rate_limit_per_second: 1_000_000 }).where('id', '=', created.id).execute();
  return created.key as string;
}

async function experiment(server: TestServer, datasourceId: string, design: Record<string, unknown>) {
  const base = `/v1/m/datasources/${datasourceId}/experiments`;
  const res = await server.admin(base, {
    method: 'POST',
    body: JSON.stringify({ design_spec: { start_date: '2026-01-01T00:00:00Z', end_date: '2099-01-01T00:00:00Z', ...design } }),
  });
  const config = await res.json();
  if (res.status !== 200) throw new Error(`create: ${res.status} ${JSON.stringify(config)}`);
  await server.admin(`${base}/${config.experiment_id}/commit`, { method: 'POST' });
  return config as { experiment_id: string; design_spec: { contexts?: { context_id: string }[] } };
}

function line(kind: DatabaseKind, what: string, c: number, r: LoadResult, perRequest = 1): string {
  const rate = `${String(r.perSecond).padStart(5)} ${perRequest === 2 ? 'cycles/s' : 'req/s   '}`;
  return `${kind.padEnd(8)} ${what.padEnd(8)} c=${String(c).padStart(2)}  ${rate} p50 ${r.p50.toFixed(1).padStart(6)} ms p99 ${r.p99.toFixed(1).padStart(6)} ms`;
}

async function bench(kind: DatabaseKind): Promise<void> {
  const server = await startTestServer(kind, { worker: false });
  try {
    const abKey = await key(server, server.demoDatasourceId);
    const banditKey = await key(server, server.apiOnlyDatasourceId);
    const get = (k: string, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { 'X-API-Key': k } });
    const post = (k: string, path: string, body: unknown) =>
      fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'X-API-Key': k, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const ab = await experiment(server, server.demoDatasourceId, {
      experiment_type: 'freq_online',
      experiment_name: 'bench A/B',
      arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
      table_name: 'participants',
      primary_key: 'participant_id',
      metrics: [{ field_name: 'completed_course' }],
    });
    const mab = await experiment(server, server.apiOnlyDatasourceId, {
      experiment_type: 'mab_online',
      experiment_name: 'bench MAB',
      arms: [{ arm_name: 'a', alpha_init: 1, beta_init: 1 }, { arm_name: 'b', alpha_init: 1, beta_init: 1 }],
    });
    const cmab = await experiment(server, server.apiOnlyDatasourceId, {
      experiment_type: 'cmab_online',
      experiment_name: 'bench CMAB',
      prior_type: 'normal',
      reward_type: 'real-valued',
      arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }],
      contexts: [{ context_name: 'returning', value_type: 'binary' }, { context_name: 'age', value_type: 'real-valued' }],
    });
    const contextIds = (cmab.design_spec.contexts ?? []).map((c) => c.context_id);
    const drawPath = (id: string, pid: string) => `/v1/experiments/${id}/assignments/${pid}`;

    for (const c of CONCURRENCY) {
      const n = REQUESTS[kind];
      const abRun = await httpLoad(n, c, (i) => get(abKey, drawPath(ab.experiment_id, `ab${c}-${i}`)));
      console.log(line(kind, 'A/B', c, abRun));
      const draws = await httpLoad(n, c, (i) => get(banditKey, drawPath(mab.experiment_id, `d${c}-${i}`)));
      console.log(line(kind, 'draw', c, draws));
      const outcomes = await httpLoad(n, c, (i) => post(banditKey, `${drawPath(mab.experiment_id, `d${c}-${i}`)}/outcome`, { outcome: i % 3 === 0 ? 1 : 0 }));
      console.log(line(kind, 'outcome', c, outcomes));
      const cycle = await httpLoad(n, c, async (i) => {
        const pid = `y${c}-${i}`;
        const drawn = await get(banditKey, drawPath(mab.experiment_id, pid));
        if (drawn.status !== 200) return drawn;
        await drawn.arrayBuffer();
        return post(banditKey, `${drawPath(mab.experiment_id, pid)}/outcome`, { outcome: i % 3 === 0 ? 1 : 0 });
      });
      console.log(`${line(kind, 'cycle', c, cycle, 2)}  (= ${cycle.perSecond * 2} req/s)`);
      const contextual = await httpLoad(n, c, async (i) => {
        const pid = `z${c}-${i}`;
        const drawn = await post(banditKey, `${drawPath(cmab.experiment_id, pid)}/assign_cmab`, {
          context_inputs: [{ context_id: contextIds[0], context_value: i % 2 }, { context_id: contextIds[1], context_value: 18 + (i % 50) }],
        });
        if (drawn.status !== 200) return drawn;
        await drawn.arrayBuffer();
        return post(banditKey, `${drawPath(cmab.experiment_id, pid)}/outcome`, { outcome: (i % 7) / 2 });
      });
      console.log(`${line(kind, 'CMAB', c, contextual, 2)}  (= ${contextual.perSecond * 2} req/s)`);
    }
  } finally {
    await server.close();
  }
}

const kinds = (process.argv.slice(2) as DatabaseKind[]).filter((k) => k === 'pglite' || k === 'postgres');
for (const kind of kinds.length > 0 ? kinds : (['pglite', 'postgres'] as const)) {
  if (kind === 'postgres' && !(await postgresAvailable())) {
    console.log('postgres: not reachable, skipped');
    continue;
  }
  await bench(kind);
}
