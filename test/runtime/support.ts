/** Helpers for the run-time suites: a server on a manual clock, keys, and online experiments made over HTTP. */
import { expect } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import type { DatabaseKind } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

export const NOW = new Date('2026-06-01T12:00:00Z');

export interface RuntimeHarness {
  readonly server: TestServer;
  readonly clock: ManualClock;
  readonly apiKey: string;
  readonly keyId: string;
  /** A public-API request with the harness's key. */
  pub(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  createOnline(overrides?: Record<string, unknown>, settings?: { assignment_mode: 'random' | 'hash'; stop_at_desired_n?: boolean }, commit?: boolean): Promise<{ id: string; armIds: string[] }>;
  expPath(id: string, suffix?: string): string;
}

export async function startRuntimeHarness(kind: DatabaseKind): Promise<RuntimeHarness> {
  const clock = new ManualClock(NOW);
  const server = await startTestServer(kind, { clock, worker: false });
  const ds = server.demoDatasourceId;
  const created = await (await server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
  // Far above the default per-second limit: the suites fire bursts of concurrent requests.
  await server.database.db.updateTable('api_keys').set({ rate_limit_per_second: 100_000 }).where('id', '=', created.id).execute();
  const expPath = (id: string, suffix = '') => `/v1/m/datasources/${ds}/experiments/${id}${suffix}`;
  return {
    server,
    clock,
    apiKey: created.key,
    keyId: created.id,
    expPath,
    pub: (path, init = {}) => {
      const { key, ...rest } = init;
      return fetch(`${server.baseUrl}${path}`, { ...rest, headers: { 'X-API-Key': key ?? created.key, ...(rest.headers as Record<string, string> | undefined) } });
    },
    async createOnline(overrides = {}, settings, commit = true) {
      const res = await server.admin(`/v1/m/datasources/${ds}/experiments`, {
        method: 'POST',
        body: JSON.stringify({
          design_spec: {
            experiment_type: 'freq_online',
            experiment_name: 'Online run time',
            start_date: '2026-01-01T00:00:00Z',
            end_date: '2026-12-31T00:00:00Z',
            table_name: 'participants',
            primary_key: 'participant_id',
            metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
            arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
            ...overrides,
          },
        }),
      });
      expect(res.status).toBe(200);
      const config = await res.json();
      const id = config.experiment_id as string;
      if (settings) {
        const put = await server.admin(expPath(id, '/assignment-settings'), { method: 'PUT', body: JSON.stringify(settings) });
        expect(put.status).toBe(204);
      }
      if (commit) expect((await server.admin(expPath(id, '/commit'), { method: 'POST' })).status).toBe(204);
      return { id, armIds: config.design_spec.arms.map((a: { arm_id: string }) => a.arm_id) };
    },
  };
}
