/**
 * Autofail through the worker's periodic job, driven by a manual clock: overdue draws get the configured
 * outcome, recorded as automatic and folded into the posterior; reported outcomes, recent draws and
 * experiments without autofail are left alone; the work resumes where a time budget stopped it; and (on
 * PostgreSQL) several workers racing over one cycle apply each draw once.
 */
import { afterAll, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import { AUTOFAIL_CYCLE_TASK, AUTOFAIL_EXPERIMENT_TASK, autofailExperiment } from '../../src/services/bandits/autofail.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase, describePostgresOnly } from '../support/databases.ts';
import { NOW, type RuntimeHarness } from '../runtime/support.ts';
import { recordingLog } from '../worker/support.ts';
import { banditPath, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function workerFor(h: RuntimeHarness, db = h.server.database.db, workerId?: string): Worker {
  return createWorker({
    db,
    clock: h.clock,
    log: recordingLog(),
    ...(workerId ? { workerId } : {}),
    handlers: createTaskHandlers({ db, clock: h.clock, allowPrivateIps: true }),
    periodic: [{ taskType: AUTOFAIL_CYCLE_TASK, everyMs: HOUR }],
  });
}

/** Runs worker rounds until one runs nothing (a cycle fans out its experiment tasks for the next round). */
async function drain(worker: Worker): Promise<void> {
  for (let round = 0; round < 10; round++) if ((await worker.runOnce()) === 0) return;
}

describeEachDatabase('bandit autofail', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  const draw = (id: string, pid: string) => h.pub(`/v1/experiments/${id}/assignments/${pid}`, { key }).then((r) => r.json());
  const report = (id: string, pid: string, y: number) => h.pub(`/v1/experiments/${id}/assignments/${pid}/outcome`, { key, ...json({ outcome: y }) });

  it('gives overdue draws the configured outcome, as automatic, through the scheduler', async () => {
    h.clock.set(NOW);
    const worker = workerFor(h);
    const on = await createBandit(h, mabDesign({ enable_autofail: true, autofail_window: 1, autofail_outcome_value: 0 }));
    const off = await createBandit(h, mabDesign());
    for (const p of ['p1', 'p2', 'p3']) await draw(on.id, p);
    await draw(off.id, 'q1');
    expect((await report(on.id, 'p2', 1)).status).toBe(200);
    h.clock.advance(30 * MINUTE);
    await draw(on.id, 'p4');

    h.clock.advance(31 * MINUTE); // p1–p3 are 61 minutes old, p4 31 minutes
    await drain(worker);
    const rows = async (id: string) =>
      Object.fromEntries(
        (await h.server.database.db.selectFrom('draws').select(['participant_id', 'outcome', 'autofailed_outcome', 'observed_at']).where('experiment_id', '=', id).execute()).map((r) => [
          r.participant_id,
          { outcome: r.outcome, autofailed: r.autofailed_outcome, at: r.observed_at?.toISOString() ?? null },
        ]),
      );
    const at = new Date(NOW.getTime() + 61 * MINUTE).toISOString();
    expect(await rows(on.id)).toEqual({
      p1: { outcome: 0, autofailed: true, at },
      p2: { outcome: 1, autofailed: false, at: NOW.toISOString() },
      p3: { outcome: 0, autofailed: true, at },
      p4: { outcome: null, autofailed: null, at: null },
    });
    expect(await rows(off.id)).toEqual({ q1: { outcome: null, autofailed: null, at: null } });
    // A late report for an autofailed draw is a second outcome.
    expect((await report(on.id, 'p1', 1)).status).toBe(422);
    const arms = (await (await h.pub(`/v1/experiments/${on.id}`, { key })).json()).design_spec.arms as { alpha: number; beta: number; n_outcomes: number }[];
    expect(arms.reduce((n, a) => n + a.n_outcomes, 0)).toBe(3);
    expect(arms.reduce((n, a) => n + a.alpha - 1, 0)).toBe(1);
    expect(arms.reduce((n, a) => n + a.beta - 1, 0)).toBe(2);
    const analysis = await (await h.server.admin(`${banditPath(h, on.id)}/analyze_cmab`, { method: 'POST', body: JSON.stringify({ context_inputs: [] }) })).json();
    expect(analysis.detail[0].msg).toContain('is a mab_online experiment, and not a cmab_online experiment');

    h.clock.advance(HOUR); // the next cycle takes p4
    await drain(worker);
    expect((await rows(on.id))['p4']).toMatchObject({ outcome: 0, autofailed: true });
    const tasks = await h.server.database.db.selectFrom('tasks').select(['task_type', 'status']).where('task_type', 'like', 'bandits.autofail%').execute();
    expect(tasks.every((t) => t.status === 'success')).toBe(true);
    expect(tasks.filter((t) => t.task_type === AUTOFAIL_EXPERIMENT_TASK)).toHaveLength(2);
  });

  it('resumes where a time budget stopped it, and folds a real-valued autofail value into a Normal posterior', async () => {
    h.clock.set(NOW);
    const { id } = await createBandit(
      h,
      mabDesign({ prior_type: 'normal', reward_type: 'real-valued', enable_autofail: true, autofail_window: 2, autofail_outcome_value: -1, arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }),
    );
    for (let i = 0; i < 3; i++) await draw(id, `r${i}`);
    h.clock.advance(3 * HOUR);
    const deps = { db: h.server.database.db, clock: h.clock, budgetMs: 0 };
    expect(await autofailExperiment(deps, id)).toBe(1);
    expect(await autofailExperiment(deps, id)).toBe(1);
    expect(await autofailExperiment({ ...deps, budgetMs: 60_000 }, id)).toBe(1);
    expect(await autofailExperiment({ ...deps, budgetMs: 60_000 }, id)).toBe(0);
    const arms = (await (await h.pub(`/v1/experiments/${id}`, { key })).json()).design_spec.arms as { mu: number[]; n_outcomes: number }[];
    // n outcomes of −1 on an N(0, 1) prior with unit noise: mean −n/(n+1).
    for (const arm of arms) expect(arm.mu[0]).toBeCloseTo(-arm.n_outcomes / (arm.n_outcomes + 1), 14);
    h.clock.set(NOW);
  });
});

describePostgresOnly('bandit autofail with several workers', () => {
  let h: RuntimeHarness;
  let key: string;
  const pools: AppDatabase[] = [];
  useBanditRuntime('postgres', (started) => ({ h, key } = started));
  // Registered after the server's, so it runs before the server closes (after-hooks run in reverse).
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('four workers racing over one cycle enqueue one task per experiment and apply each draw once', async () => {
    h.clock.set(NOW);
    const { id } = await createBandit(h, mabDesign({ enable_autofail: true, autofail_window: 1, autofail_outcome_value: 1 }));
    for (let i = 0; i < 40; i++) await h.pub(`/v1/experiments/${id}/assignments/w${i}`, { key });
    h.clock.advance(2 * HOUR);
    const database = h.server.database;
    for (let w = 0; w < 4; w++) pools.push(await openDatabase({ databaseUrl: database.databaseUrl, schema: database.schema as string, poolSize: 3 }));
    const workers = pools.map((p, w) => workerFor(h, p.db, `w${w}`));
    for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runOnce()));
    const experimentTasks = await database.db.selectFrom('tasks').select('status').where('task_type', '=', AUTOFAIL_EXPERIMENT_TASK).execute();
    expect(experimentTasks).toEqual([{ status: 'success' }]);
    const arms = (await (await h.pub(`/v1/experiments/${id}`, { key })).json()).design_spec.arms as { alpha: number; n_outcomes: number }[];
    expect(arms.reduce((n, a) => n + a.n_outcomes, 0)).toBe(40);
    expect(arms.reduce((n, a) => n + a.alpha - 1, 0)).toBe(40);
    const seqs = await database.db.selectFrom('draws').select(['arm_id', 'outcome_seq']).where('experiment_id', '=', id).execute();
    expect(seqs.every((s) => s.outcome_seq !== null)).toBe(true);
    h.clock.set(NOW);
  });
});
