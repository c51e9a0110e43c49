/**
 * Bandits through the shared analysis entry points, on both app databases: `GET …/analyze` answers the bandit
 * analysis for MAB and points contextual bandits to `analyze_cmab`; snapshots store the bandit analysis (a
 * CMAB at the mean context of its draws); the public results export serves it as JSON and as one CSV row
 * per arm. No `experiment.warning` is raised for a bandit's uneven traffic, which is its purpose.
 */
import { expect, it } from 'vitest';
import type { SnapshotSettings } from '../../src/services/snapshots/snapshot-tasks.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker, type Worker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import type { RuntimeHarness } from '../runtime/support.ts';
import { recordingLog } from '../worker/support.ts';
import { banditPath, cmabDesign, createBandit, json, mabDesign, useBanditRuntime } from './support.ts';

const HOUR = 3_600_000;
const SETTINGS: SnapshotSettings = { intervalMs: 6 * HOUR, checkMs: HOUR, timeoutMs: 30_000 };

describeEachDatabase('bandit analysis through analyze, snapshots and the results export', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  let worker: Worker;

  useBanditRuntime(kind, (started) => {
    ({ h, key } = started);
    const handlers = createTaskHandlers({ db: h.server.database.db, clock: h.clock, allowPrivateIps: true, secrets: h.server.deps.secrets, publicUrl: h.server.baseUrl, services: h.server.deps, snapshots: SETTINGS });
    worker = createWorker({ db: h.server.database.db, clock: h.clock, handlers, log: recordingLog(), batchSize: 50 });
  });

  const snapshots = (id: string) => `/v1/m/organizations/${h.server.organizationId}/datasources/${h.server.apiOnlyDatasourceId}/experiments/${id}/snapshots`;

  it('MAB: analyze answers the posterior analysis, a snapshot stores the same, and the export has one CSV row per arm', async () => {
    const { id } = await createBandit(h, mabDesign());
    for (let i = 0; i < 8; i++) {
      expect((await h.pub(`/v1/experiments/${id}/assignments/p${i}`, { key })).status).toBe(200);
      expect((await h.pub(`/v1/experiments/${id}/assignments/p${i}/outcome`, { key, ...json({ outcome: i % 2 }) })).status).toBe(200);
    }

    const live = await h.server.admin(banditPath(h, id, '/analyze'));
    expect(live.status).toBe(200);
    const analysis = (await live.json()) as { type: string; n_outcomes: number; arm_analyses: { arm_id: string; n_draws: number; post_pred_mean: number }[] };
    expect(analysis).toMatchObject({ type: 'bandit', n_outcomes: 8 });
    expect(analysis.arm_analyses.reduce((a, b) => a + b.n_draws, 0)).toBe(8);

    const withBaseline = await h.server.admin(banditPath(h, id, `/analyze?baseline_arm_id=${analysis.arm_analyses[0]!.arm_id}`));
    expect(withBaseline.status).toBe(422);
    expect(JSON.stringify(await withBaseline.json())).toMatch(/no baseline/);

    const { id: snapshotId } = (await (await h.server.admin(snapshots(id), { method: 'POST' })).json()) as { id: string };
    await worker.runOnce();
    const { snapshot } = (await (await h.server.admin(`${snapshots(id)}/${snapshotId}`)).json()) as { snapshot: { status: string; data: Record<string, unknown> } };
    expect(snapshot.status).toBe('success');
    expect(snapshot.data).toEqual(analysis);

    const exported = await h.pub(`/v1/experiments/${id}/results?snapshot_id=latest`, { key });
    expect(await exported.json()).toEqual(analysis);
    const csv = (await (await h.pub(`/v1/experiments/${id}/results/csv`, { key })).text()).trim().split('\n');
    expect(csv[0]).toMatch(/^arm_id,arm_name,n_draws,n_outcomes,prior_pred_mean,/);
    expect(csv).toHaveLength(1 + 2);
    const events = await h.server.database.db.selectFrom('events').select('type').where('type', '=', 'experiment.warning').execute();
    expect(events).toEqual([]);
  });

  it('CMAB: analyze points to analyze_cmab; snapshots and the export use the mean context of the draws', async () => {
    const { id, config } = await createBandit(h, cmabDesign());
    const [returning, age] = config.design_spec.contexts!.map((c) => c.context_id);
    const values = [
      [1, 30],
      [0, 50],
      [1, 40],
    ];
    for (const [i, [r, a]] of values.entries()) {
      const draw = await h.pub(`/v1/experiments/${id}/assignments/c${i}/assign_cmab`, {
        key,
        ...json({ context_inputs: [{ context_id: returning, context_value: r }, { context_id: age, context_value: a }] }),
      });
      expect(draw.status).toBe(200);
    }
    const live = await h.server.admin(banditPath(h, id, '/analyze'));
    expect(live.status).toBe(422);
    expect(JSON.stringify(await live.json())).toMatch(/analyze_cmab/);

    const { id: snapshotId } = (await (await h.server.admin(snapshots(id), { method: 'POST' })).json()) as { id: string };
    await worker.runOnce();
    const { snapshot } = (await (await h.server.admin(`${snapshots(id)}/${snapshotId}`)).json()) as { snapshot: { status: string; data: { type: string; contexts: number[] } } };
    expect(snapshot.status).toBe('success');
    expect(snapshot.data.type).toBe('bandit');
    // Mean context of the draws: returning 2/3 rounds to 1 (binary), age 40; in context-id order.
    const byId = new Map([
      [returning!, 1],
      [age!, 40],
    ]);
    expect(snapshot.data.contexts).toEqual([...byId.keys()].sort().map((k) => byId.get(k)));
    const exported = (await (await h.pub(`/v1/experiments/${id}/results`, { key })).json()) as { type: string; contexts: number[] };
    expect(exported).toMatchObject({ type: 'bandit', contexts: snapshot.data.contexts });
  });
});
