/**
 * Snapshots over HTTP with an injected clock and a worker driven by `runOnce()`: the on-demand API (the
 * reference's 422s, running → success/failed, data equal to a live analysis with NaN stored as null), list
 * (pagination, status filter, latest_failure), get, delete, and the scheduler (window of a day around the
 * dates, 6-hour cadence checked hourly, failures retried on the next cycle, abandoned snapshots failed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { issueAccessToken } from '../../src/services/bootstrap.ts';
import { snapshotCycleJob, type SnapshotSettings } from '../../src/services/snapshots/snapshot-tasks.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { recordingLog } from '../worker/support.ts';
import { createWarehouseDatasource, type Table } from './support.ts';

const HOUR = 3_600_000;
const SETTINGS: SnapshotSettings = { intervalMs: 6 * HOUR, checkMs: HOUR, timeoutMs: 30_000 };

const TABLE: Table = {
  name: 'visits',
  columns: [
    { name: 'id', type: 'VARCHAR' },
    { name: 'score', type: 'DOUBLE' },
  ],
  rows: Array.from({ length: 200 }, (_, i) => [`v${String(i).padStart(3, '0')}`, 10 + ((i * 37) % 11) / 2]),
};

interface SnapshotJson {
  experiment_id: string;
  id: string;
  status: 'running' | 'success' | 'failed';
  details: { message: string } | null;
  created_at: string;
  updated_at: string;
  data: Record<string, unknown> | null;
}

describeEachDatabase('snapshots', (kind) => {
  const clock = new ManualClock(new Date('2027-03-01T10:30:00Z'));
  let server: TestServer;
  let ds: string;
  let key: string;
  let worker: Worker;
  let scheduler: Worker;
  let token: string;
  /** The admin API with a session issued on the manual clock (sessions last 12 hours). */
  const admin = (pathname: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${pathname}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
  const login = async () => {
    const user = await server.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    token = await issueAccessToken(server.database.db, user.id, null, clock);
  };
  const base = (exp: string, org = server.organizationId, datasource = ds) => `/v1/m/organizations/${org}/datasources/${datasource}/experiments/${exp}/snapshots`;

  async function experiment(name: string, dates: { start: string; end: string }, opts: { commit?: boolean; assign?: number } = {}) {
    const design = {
      experiment_type: 'freq_online',
      experiment_name: name,
      start_date: dates.start,
      end_date: dates.end,
      arms: [{ arm_name: 'control' }, { arm_name: 'treatment' }],
      table_name: 'visits',
      primary_key: 'id',
      metrics: [{ field_name: 'score' }],
    };
    const res = await admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) });
    expect(res.status, await res.clone().text()).toBe(200);
    const { experiment_id: id } = (await res.json()) as { experiment_id: string };
    if (opts.commit ?? true) expect((await admin(`/v1/m/datasources/${ds}/experiments/${id}/commit`, { method: 'POST' })).status).toBe(204);
    for (let i = 0; i < (opts.assign ?? 0); i++) {
      const r = await fetch(`${server.baseUrl}/v1/experiments/${id}/assignments/v${String(i).padStart(3, '0')}`, { headers: { 'X-API-Key': key } });
      expect(r.status).toBe(200);
    }
    return id;
  }
  const rowsOf = (experimentId: string) =>
    server.database.db.selectFrom('snapshots').selectAll().where('experiment_id', '=', experimentId).orderBy('created_at').orderBy('id').execute();

  beforeAll(async () => {
    server = await startTestServer(kind, { clock, worker: false });
    token = server.adminToken;
    ({ datasourceId: ds } = await createWarehouseDatasource(server, 'duckdb', [TABLE]));
    key = ((await (await admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({ rate_limit_per_second: 5000 }) })).json()) as { key: string }).key;
    const handlers = createTaskHandlers({ db: server.database.db, clock, allowPrivateIps: true, secrets: server.deps.secrets, publicUrl: server.baseUrl, services: server.deps, snapshots: SETTINGS });
    worker = createWorker({ db: server.database.db, clock, handlers, log: recordingLog(), batchSize: 50 });
    scheduler = createWorker({ db: server.database.db, clock, handlers, log: recordingLog(), batchSize: 50, periodic: [snapshotCycleJob(SETTINGS)] });
  }, 60_000);
  afterAll(async () => server?.close());

  describe('on demand', () => {
    let live: string;
    let recent: string;

    it('refuses drafts and experiments that ended more than a day ago, with the reference messages', async () => {
      const draft = await experiment('draft', { start: '2027-01-01T00:00:00Z', end: '2027-06-01T00:00:00Z' }, { commit: false });
      const ended = await experiment('ended', { start: '2026-12-01T00:00:00Z', end: '2027-02-28T09:29:00Z' });
      recent = await experiment('ended 23 h ago', { start: '2026-12-01T00:00:00Z', end: '2027-02-28T11:30:00Z' });
      for (const [exp, msg] of [
        [draft, 'You can only snapshot committed experiments.'],
        [ended, 'You can only snapshot active experiments.'],
      ] as const) {
        const res = await admin(base(exp), { method: 'POST' });
        expect(res.status).toBe(422);
        expect(await res.json()).toEqual({ detail: [{ loc: [0], msg, type: 'late' }] });
      }
      const ok = await admin(base(recent), { method: 'POST' });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { id: string }).id).toMatch(/^sn_[0-9A-Za-z]{16}$/);
    });

    it('is computed by the worker: running, then success with the analysis, or failed with the error', async () => {
      live = await experiment('live', { start: '2027-01-01T00:00:00Z', end: '2027-06-01T00:00:00Z' }, { assign: 80 });
      const { id } = (await (await admin(base(live), { method: 'POST' })).json()) as { id: string };
      const running = (await (await admin(`${base(live)}/${id}`)).json()) as { snapshot: SnapshotJson };
      expect(running.snapshot).toMatchObject({ experiment_id: live, id, status: 'running', details: null, data: null });

      expect(await worker.runOnce()).toBe(2); // this one and the one of `recent`
      const done = ((await (await admin(`${base(live)}/${id}`)).json()) as { snapshot: SnapshotJson }).snapshot;
      expect(done).toMatchObject({ status: 'success', details: null });
      const liveAnalysis = (await (await admin(`/v1/m/datasources/${ds}/experiments/${live}/analyze`)).json()) as Record<string, unknown>;
      expect(done.data).toEqual(liveAnalysis);

      const failed = (await (await admin(base(recent))).json()) as { items: SnapshotJson[]; latest_failure: string | null };
      expect(failed.items).toHaveLength(1);
      expect(failed.items[0]).toMatchObject({ status: 'failed', details: { message: 'ValidationError: No participants found for experiment.' }, data: null });
      expect(failed.latest_failure).toBe(failed.items[0]!.updated_at);

      // The public export serves the latest successful snapshot on request.
      const exported = await fetch(`${server.baseUrl}/v1/experiments/${live}/results?snapshot_id=latest`, { headers: { 'X-API-Key': key } });
      expect(exported.status).toBe(200);
      expect(await exported.json()).toEqual(done.data);
      const byId = await fetch(`${server.baseUrl}/v1/experiments/${live}/results/csv?snapshot_id=${id}`, { headers: { 'X-API-Key': key } });
      expect((await byId.text()).split('\n')).toHaveLength(1 + 2 + 1);
    });

    it('stores numbers that cannot be computed as JSON null', async () => {
      // One participant: one arm has no value at all, so its estimate and errors are NaN in the statistics.
      const lonely = await experiment('one participant', { start: '2027-01-01T00:00:00Z', end: '2027-06-01T00:00:00Z' }, { assign: 1 });
      const { id } = (await (await admin(base(lonely), { method: 'POST' })).json()) as { id: string };
      await worker.runOnce();
      const { snapshot } = (await (await admin(`${base(lonely)}/${id}`)).json()) as { snapshot: SnapshotJson };
      expect(snapshot.status).toBe('success');
      const arms = (snapshot.data as { metric_analyses: { arm_analyses: Record<string, unknown>[] }[] }).metric_analyses[0]!.arm_analyses;
      const empty = arms.find((a) => a.num_observations === 0)!;
      expect(empty).toMatchObject({ estimate: null, std_error: null, p_value: null, ci_lower: null, mean: null });
      const raw = await server.database.db.selectFrom('snapshots').select('data').where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.stringify(raw.data)).not.toMatch(/NaN|Infinity/);
    });

    it('lists newest update first with pages, status filter and latest_failure; gets and deletes', async () => {
      for (let i = 0; i < 3; i++) {
        clock.advance(60_000);
        await admin(base(live), { method: 'POST' });
      }
      clock.advance(60_000);
      await admin(base(live), { method: 'POST' }); // left running
      // Settle the three earlier ones, one minute apart, so update times differ.
      const pending = await server.database.db.selectFrom('snapshots').select('id').where('experiment_id', '=', live).where('status', '=', 'pending').orderBy('created_at').execute();
      expect(pending).toHaveLength(4);
      await worker.runOnce();
      // runOnce settled all four; re-open the last one to stand for one still being computed.
      await server.database.db.updateTable('snapshots').set({ status: 'pending', data: null }).where('id', '=', pending[3]!.id).execute();

      const all = (await (await admin(base(live))).json()) as { items: SnapshotJson[]; latest_failure: null; next_page_token: string };
      expect(all.items).toHaveLength(5);
      expect(all.latest_failure).toBeNull();
      expect(all.next_page_token).toBe('');
      const keys = all.items.map((s) => [s.updated_at, s.id] as const);
      expect([...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : a[0] < b[0] ? 1 : -1))).toEqual(keys);

      const first = (await (await admin(`${base(live)}?page_size=2`)).json()) as { items: SnapshotJson[]; next_page_token: string };
      expect(first.items).toHaveLength(2);
      const second = (await (await admin(`${base(live)}?page_size=2&page_token=${first.next_page_token}`)).json()) as typeof first;
      const third = (await (await admin(`${base(live)}?page_size=2&page_token=${second.next_page_token}`)).json()) as typeof first;
      expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(all.items.map((s) => s.id));
      expect(third.next_page_token).toBe('');
      const skipped = (await (await admin(`${base(live)}?page_size=2&skip=1`)).json()) as typeof first;
      expect(skipped.items.map((s) => s.id)).toEqual(all.items.slice(1, 3).map((s) => s.id));

      const running = (await (await admin(`${base(live)}?status=running`)).json()) as typeof first;
      expect(running.items.map((s) => s.id)).toEqual([pending[3]!.id]);
      const successes = (await (await admin(`${base(live)}?status=success&status=failed`)).json()) as typeof first;
      expect(successes.items).toHaveLength(4);
      expect((await admin(`${base(live)}?status=done`)).status).toBe(422);
      const badToken = await admin(`${base(live)}?page_token=nonsense`);
      expect(badToken.status).toBe(400);
      expect(await badToken.json()).toEqual({ detail: 'Invalid page_token.' });

      const victim = all.items[1]!.id;
      expect((await admin(`${base(live)}/${victim}`, { method: 'DELETE' })).status).toBe(204);
      const gone = await admin(`${base(live)}/${victim}`);
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ detail: 'Snapshot not found.' });
      expect((await admin(`${base(live)}/${victim}`, { method: 'DELETE' })).status).toBe(404);
      expect((await admin(`${base(live)}/${victim}?allow_missing=true`, { method: 'DELETE' })).status).toBe(204);
      // The experiment must be under that datasource of that organization.
      expect((await admin(`${base(live, server.organizationId, server.apiOnlyDatasourceId)}/${all.items[0]!.id}`)).status).toBe(404);

      // DELETE …/data {snapshots} drops the history.
      expect((await admin(`/v1/m/datasources/${ds}/experiments/${live}/data`, { method: 'DELETE', body: JSON.stringify({ snapshots: true }) })).status).toBe(204);
      expect(await rowsOf(live)).toEqual([]);
    });
  });

  describe('scheduler', () => {
    it('snapshots committed experiments inside their window once per 6-hour interval, retries failures next cycle', async () => {
      clock.set(new Date('2027-03-10T10:30:00Z'));
      await login();
      const running = await experiment('scheduled', { start: '2027-03-01T00:00:00Z', end: '2027-06-01T00:00:00Z' }, { assign: 40 });
      const future = await experiment('starts later', { start: '2027-03-12T00:00:00Z', end: '2027-06-01T00:00:00Z' });
      const over = await experiment('over', { start: '2027-01-01T00:00:00Z', end: '2027-03-09T10:29:00Z' });
      const draft = await experiment('draft', { start: '2027-03-01T00:00:00Z', end: '2027-06-01T00:00:00Z' }, { commit: false });
      const failing = await experiment('no participants yet', { start: '2027-03-01T00:00:00Z', end: '2027-06-01T00:00:00Z' });
      // A snapshot whose worker vanished two hours ago.
      await server.database.db
        .insertInto('snapshots')
        .values({ id: 'sn_abandoned000000', experiment_id: running, trigger: 'on_demand', status: 'pending', created_at: new Date('2027-03-10T08:30:00Z'), updated_at: new Date('2027-03-10T08:30:00Z') })
        .execute();

      await scheduler.runOnce(); // 10:00 cycle: schedules and runs the snapshots in one round
      const summary = async (exp: string) => (await rowsOf(exp)).map((r) => `${r.trigger}:${r.cycle_start?.toISOString().slice(11, 16) ?? '-'}:${r.status}`);
      expect(await summary(running)).toEqual(['on_demand:-:failed', 'scheduled:10:00:success']);
      expect((await rowsOf(running))[0]!.message).toMatch(/^SnapshotAbandoned: /);
      expect(await summary(failing)).toEqual(['scheduled:10:00:failed']);
      for (const e of [future, over, draft]) expect(await summary(e)).toEqual([]);

      clock.set(new Date('2027-03-10T10:59:00Z'));
      expect(await scheduler.runOnce()).toBe(0); // same cycle: nothing
      clock.set(new Date('2027-03-10T11:05:00Z'));
      await scheduler.runOnce(); // 11:00: the failure is retried, the success is fresh
      expect(await summary(running)).toEqual(['on_demand:-:failed', 'scheduled:10:00:success']);
      expect(await summary(failing)).toEqual(['scheduled:10:00:failed', 'scheduled:11:00:failed']);

      clock.set(new Date('2027-03-10T15:59:00Z'));
      await scheduler.runOnce(); // 15:00: 10:00 is only 5 h before
      expect((await summary(running)).at(-1)).toBe('scheduled:10:00:success');
      clock.set(new Date('2027-03-10T16:00:01Z'));
      await scheduler.runOnce(); // 16:00: six hours after the 10:00 cycle
      expect((await summary(running)).at(-1)).toBe('scheduled:16:00:success');

      // The future experiment's window opens a day before its start.
      clock.set(new Date('2027-03-10T23:59:00Z'));
      await scheduler.runOnce();
      expect(await summary(future)).toEqual([]);
      clock.set(new Date('2027-03-11T00:00:30Z'));
      await scheduler.runOnce();
      expect(await summary(future)).toEqual(['scheduled:00:00:failed']); // no participants yet, but scheduled
      // Only one cycle task per hour however many rounds ran.
      const cycles = await server.database.db.selectFrom('tasks').select('dedupe_key').where('task_type', '=', 'snapshots.cycle').execute();
      expect(new Set(cycles.map((c) => c.dedupe_key)).size).toBe(cycles.length);
    });
  });
});
