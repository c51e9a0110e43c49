/**
 * `experiment.ended` from the worker's periodic check, on a manual clock with a real HTTP receiver:
 * nothing before the end date; after it exactly one event and one delivery per subscribed endpoint, with
 * the catalogue's payload, for frequentist and bandit experiments alike; nothing for drafts and abandoned
 * experiments; once only when checks race or repeat; nothing left half-written when the transaction
 * fails; an end date moved into the future re-arms it; and Recent events lists it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { EVENT_SCHEMAS } from '../../src/domain/event-catalogue.ts';
import { issueAccessToken } from '../../src/services/bootstrap.ts';
import { announceEndedExperiments, experimentEndedJob } from '../../src/services/experiments/experiment-ended.ts';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { mabDesign } from '../bandits/support.ts';
import { describeEachDatabase, describePostgresOnly } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordingLog } from '../worker/support.ts';

const MINUTE = 60_000;
const CHECK_MS = 5 * MINUTE;
const START = new Date('2027-03-01T10:00:00Z');
const END = '2027-03-01T12:00:00.000Z';

type EndedBody = ReturnType<(typeof EVENT_SCHEMAS)['experiment.ended']['parse']>;

/** One server on a manual clock, an endpoint subscribed to `experiment.ended` and one that is not. */
function useEndedFixture(kind: 'pglite' | 'postgres') {
  const f = {
    clock: new ManualClock(START),
    server: undefined as unknown as TestServer,
    receiver: undefined as unknown as WebhookReceiver,
    other: undefined as unknown as WebhookReceiver,
    worker: undefined as unknown as Worker,
    hookId: '',
    token: '',
  };
  const fx = {
    f,
    /** The admin API with a session issued on the manual clock (sessions last 12 hours). */
    admin: (pathname: string, init: RequestInit = {}) =>
      fetch(`${f.server.baseUrl}${pathname}`, { ...init, headers: { Authorization: `Bearer ${f.token}`, 'Content-Type': 'application/json' } }),
    async login() {
      const user = await f.server.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
      f.token = await issueAccessToken(f.server.database.db, user.id, null, f.clock);
    },
    async experiment(design: Record<string, unknown>, opts: { state?: 'draft' | 'committed' | 'abandoned' } = {}) {
      const ds = design['experiment_type'] === 'freq_online' ? f.server.demoDatasourceId : f.server.apiOnlyDatasourceId;
      const res = await fx.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) });
      expect(res.status, await res.clone().text()).toBe(200);
      const { experiment_id: id } = (await res.json()) as { experiment_id: string };
      const state = opts.state ?? 'committed';
      if (state !== 'draft') {
        const action = state === 'committed' ? 'commit' : 'abandon';
        expect((await fx.admin(`/v1/m/datasources/${ds}/experiments/${id}/${action}`, { method: 'POST' })).status).toBe(204);
      }
      return { id, path: `/v1/m/datasources/${ds}/experiments/${id}` };
    },
    /** Worker rounds: the cycle task, then the deliveries it queued. */
    async rounds(n = 3) {
      for (let i = 0; i < n; i++) await f.worker.runOnce();
    },
    /** `experiment.ended` bodies the subscribed receiver got for an experiment, parsed with the catalogue's schema. */
    delivered(experimentId: string, receiver = f.receiver): EndedBody[] {
      return receiver.requests
        .map((r) => JSON.parse(r.body) as { type: string })
        .filter((b) => b.type === 'experiment.ended')
        .map((b) => EVENT_SCHEMAS['experiment.ended'].parse(b))
        .filter((b) => b.data.experiment_id === experimentId);
    },
    async endedEvents(experimentId: string) {
      const rows = await f.server.database.db.selectFrom('events').select(['id', 'data']).where('type', '=', 'experiment.ended').execute();
      return rows.filter((r) => (r.data as { experiment_id?: string }).experiment_id === experimentId);
    },
  };

  beforeAll(async () => {
    f.server = await startTestServer(kind, { clock: f.clock, worker: false });
    f.receiver = await startWebhookReceiver();
    f.other = await startWebhookReceiver();
    await fx.login();
    const hook = async (name: string, url: string, eventTypes: string[]) => {
      const res = await fx.admin(`/v1/m/organizations/${f.server.organizationId}/webhooks`, {
        method: 'POST',
        body: JSON.stringify({ type: 'experiment.created', name, url, event_types: eventTypes }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { id: string }).id;
    };
    f.hookId = await hook('ends', f.receiver.url, ['experiment.ended']);
    // Subscribed to something else: must hear nothing of ends.
    await hook('updates only', f.other.url, ['experiment.updated']);
    const db = f.server.database.db;
    f.worker = createWorker({
      db,
      clock: f.clock,
      log: recordingLog(),
      random: () => 0,
      periodic: [experimentEndedJob(CHECK_MS)],
      handlers: createTaskHandlers({ db, clock: f.clock, allowPrivateIps: true, secrets: f.server.deps.secrets, publicUrl: f.server.baseUrl }),
    });
  });
  afterAll(async () => {
    await f.server?.close();
    await f.receiver?.close();
    await f.other?.close();
  });
  return fx;
}

describeEachDatabase('experiment.ended', (kind) => {
  const fx = useEndedFixture(kind);
  const { f } = fx;

  it('is sent once per committed experiment after its end date, with the catalogue payload; drafts and abandoned get nothing', async () => {
    const online = await fx.experiment(onlineDesign({ experiment_name: 'online ends', end_date: END }));
    const bandit = await fx.experiment(mabDesign({ experiment_name: 'bandit ends', end_date: END }));
    const draft = await fx.experiment(onlineDesign({ experiment_name: 'draft', end_date: END }), { state: 'draft' });
    const abandoned = await fx.experiment(onlineDesign({ experiment_name: 'abandoned', end_date: END }), { state: 'abandoned' });
    const later = await fx.experiment(onlineDesign({ experiment_name: 'later', end_date: '2027-03-02T00:00:00Z' }));

    // 11:59: every experiment is still running.
    f.clock.set(new Date('2027-03-01T11:59:00Z'));
    await fx.rounds();
    for (const e of [online, bandit, draft, abandoned, later]) expect(await fx.endedEvents(e.id)).toEqual([]);

    // 12:03: the cycle starting at 12:00 sees the end date (inclusive) and announces both committed experiments.
    f.clock.set(new Date('2027-03-01T12:03:00Z'));
    const before = f.receiver.requests.length;
    await fx.rounds();
    await f.receiver.waitFor(before + 2);
    for (const e of [online, bandit]) {
      const [body, ...rest] = fx.delivered(e.id);
      expect(rest).toEqual([]);
      expect(body).toEqual({
        type: 'experiment.ended',
        timestamp: '2027-03-01T12:03:00.000Z',
        organization_id: f.server.organizationId,
        data: {
          experiment_id: e.id,
          datasource_id: e.path.split('/')[4],
          experiment_url: `${f.server.baseUrl}/v1/experiments/${e.id}`,
          end_date: END,
        },
      });
      // One event, one message, one delivery: to the subscribed endpoint only.
      const events = await fx.endedEvents(e.id);
      expect(events).toHaveLength(1);
      const messageId = (events[0]?.data as { message_id: string }).message_id;
      const deliveries = await f.server.database.db.selectFrom('webhook_deliveries').select(['webhook_id', 'status']).where('message_id', '=', messageId).execute();
      expect(deliveries).toEqual([{ webhook_id: f.hookId, status: 'succeeded' }]);
    }
    for (const e of [draft, abandoned, later]) expect(await fx.endedEvents(e.id)).toEqual([]);
    expect(f.other.requests.filter((r) => r.body.includes('experiment.ended'))).toEqual([]);

    // Later cycles add nothing for experiments already announced.
    for (let i = 0; i < 3; i++) {
      f.clock.advance(CHECK_MS);
      await fx.rounds();
    }
    for (const e of [online, bandit]) {
      expect(await fx.endedEvents(e.id)).toHaveLength(1);
      expect(fx.delivered(e.id)).toHaveLength(1);
    }

    // Recent events shows it, linked to the experiment.
    const res = await fx.admin(`/v1/m/organizations/${f.server.organizationId}/events?type=experiment.ended&page_size=50`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { type: string; summary: string; link: string | null; details: Record<string, unknown> }[] };
    const listed = page.items.find((i) => i.details['experiment_id'] === online.id);
    expect(listed).toMatchObject({ type: 'experiment.ended', summary: `ended: experiment ${online.id}`, link: `/datasources/${f.server.demoDatasourceId}/experiments/${online.id}` });
    expect(listed?.details['end_date']).toBe(END);
  });

  it('checks racing over the same experiments announce each once', async () => {
    f.clock.set(new Date('2027-03-03T10:00:00Z'));
    await fx.login();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await fx.experiment(onlineDesign({ experiment_name: `raced ${i}`, end_date: '2027-03-03T11:00:00Z' }))).id);
    f.clock.set(new Date('2027-03-03T11:01:00Z'));
    const deps = { db: f.server.database.db, clock: f.clock, publicUrl: f.server.baseUrl };
    // Straight to the service, bypassing the cycle's once-per-cycle task key: only the marker stands in the way.
    const results = await Promise.all([1, 2, 3].map(() => announceEndedExperiments(deps)));
    // Earlier tests' experiments may be announced here too; none twice, and all of these.
    const flat = results.flat();
    expect(new Set(flat).size).toBe(flat.length);
    expect(flat).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect(await fx.endedEvents(id)).toHaveLength(1);
  });

  it('leaves nothing behind when the transaction fails, and sends it on the next attempt', async () => {
    f.clock.set(new Date('2027-03-04T10:00:00Z'));
    await fx.login();
    const { id } = await fx.experiment(onlineDesign({ experiment_name: 'crashes once', end_date: '2027-03-04T11:00:00Z' }));
    const db = f.server.database.db;
    // A real failure between the marker and the deliveries: the database refuses the delivery row.
    await sql`CREATE FUNCTION test_refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'delivery refused by test'; END $$`.execute(db);
    await sql`CREATE TRIGGER test_refuse_delivery BEFORE INSERT ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION test_refuse_delivery()`.execute(db);
    f.clock.set(new Date('2027-03-04T11:01:00Z'));
    await expect(announceEndedExperiments({ db, clock: f.clock, publicUrl: f.server.baseUrl })).rejects.toThrow(/delivery refused/);
    const row = await db.selectFrom('experiments').select('ended_event_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.ended_event_at).toBeNull();
    expect(await fx.endedEvents(id)).toEqual([]);
    await sql`DROP TRIGGER test_refuse_delivery ON webhook_deliveries; DROP FUNCTION test_refuse_delivery()`.execute(db);

    const before = f.receiver.requests.length;
    await fx.rounds();
    await f.receiver.waitFor(before + 1);
    expect(fx.delivered(id)).toHaveLength(1);
    expect(await fx.endedEvents(id)).toHaveLength(1);
  });

  it('an end date moved into the future re-arms it; one moved to another past date does not', async () => {
    f.clock.set(new Date('2027-03-05T10:00:00Z'));
    await fx.login();
    const { id, path } = await fx.experiment(onlineDesign({ experiment_name: 'extended', end_date: '2027-03-05T11:00:00Z' }));
    f.clock.set(new Date('2027-03-05T11:01:00Z'));
    await fx.rounds();
    expect(await fx.endedEvents(id)).toHaveLength(1);

    // Corrected to an earlier date that has also passed: already announced, nothing new.
    expect((await fx.admin(path, { method: 'PATCH', body: JSON.stringify({ end_date: '2027-03-05T10:30:00Z' }) })).status).toBe(204);
    f.clock.advance(CHECK_MS);
    await fx.rounds();
    expect(await fx.endedEvents(id)).toHaveLength(1);

    // Extended to 14:00: nothing until then, then a second event carrying the new date.
    expect((await fx.admin(path, { method: 'PATCH', body: JSON.stringify({ end_date: '2027-03-05T14:00:00Z' }) })).status).toBe(204);
    f.clock.set(new Date('2027-03-05T13:58:00Z'));
    await fx.rounds();
    expect(await fx.endedEvents(id)).toHaveLength(1);
    const before = f.receiver.requests.length;
    f.clock.set(new Date('2027-03-05T14:01:00Z'));
    await fx.rounds();
    await f.receiver.waitFor(before + 1);
    const events = await fx.endedEvents(id);
    expect(events.map((e) => (e.data as { end_date: string }).end_date).sort()).toEqual(['2027-03-05T11:00:00.000Z', '2027-03-05T14:00:00.000Z']);
    expect(fx.delivered(id).map((b) => b.data.end_date)).toEqual(['2027-03-05T11:00:00.000Z', '2027-03-05T14:00:00.000Z']);
  });
});

describePostgresOnly('experiment.ended with several workers', () => {
  const fx = useEndedFixture('postgres');
  const { f } = fx;
  const pools: AppDatabase[] = [];
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('workers on their own pools racing over the same cycles send one event and one delivery per experiment', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await fx.experiment(i % 2 ? mabDesign({ experiment_name: `bandit ${i}`, end_date: END }) : onlineDesign({ experiment_name: `online ${i}`, end_date: END }))).id);
    for (let w = 0; w < 4; w++) {
      pools.push(await openDatabase({ databaseUrl: f.server.database.databaseUrl, schema: f.server.database.schema as string, poolSize: 2 }));
    }
    const workers = pools.map((pool, w) =>
      createWorker({
        db: pool.db,
        clock: f.clock,
        workerId: `w${w}`,
        log: recordingLog(),
        batchSize: 2,
        periodic: [experimentEndedJob(CHECK_MS)],
        handlers: createTaskHandlers({ db: pool.db, clock: f.clock, allowPrivateIps: true, secrets: f.server.deps.secrets, publicUrl: f.server.baseUrl }),
      }),
    );
    f.clock.set(new Date('2027-03-01T12:01:00Z'));
    for (let cycle = 0; cycle < 3; cycle++) {
      for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runOnce()));
      f.clock.advance(CHECK_MS);
    }
    await f.receiver.waitFor(ids.length);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ids) {
      expect(await fx.endedEvents(id)).toHaveLength(1);
      expect(fx.delivered(id)).toHaveLength(1);
    }
  });
});
