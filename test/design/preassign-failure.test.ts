/**
 * A preassignment that fails part-way leaves no experiment, arm or assignment behind: the warehouse is
 * made to fail on its second fetch batch (after the experiment row was committed and progress reported),
 * and an insert is made to fail after the first chunks were written inside the data transaction.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseCreateExperiment } from './support.ts';
import { createExperiment } from '../../src/services/experiments/create-experiment.ts';
import { liveProgress } from '../../src/services/experiments/assignment-progress.ts';
import type { ServiceContext, UserActor } from '../../src/services/context.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const SPEC = {
  experiment_type: 'freq_preassigned',
  experiment_name: 'fails',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2099-01-01T00:00:00Z',
  arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
  table_name: 'participants',
  primary_key: 'participant_id',
  strata: [{ field_name: 'channel' }],
  metrics: [{ field_name: 'weekly_minutes' }],
  desired_n: 3000,
};

describeEachDatabase('preassignment failure', (kind) => {
  let server: TestServer;
  let ctx: ServiceContext<UserActor>;
  const counts = async () => {
    const n = async (t: 'experiments' | 'arms' | 'assignments') => Number((await server.database.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { experiments: await n('experiments'), arms: await n('arms'), assignments: await n('assignments') };
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
    const user = await server.database.db.selectFrom('users').select(['id', 'email']).executeTakeFirstOrThrow();
    ctx = { ...server.deps, actor: { kind: 'user', userId: user.id, email: user.email, isPrivileged: true } };
  });
  afterAll(async () => server?.close());

  it('rolls back when the warehouse fails mid-stream, after progress was visible on the experiment', async () => {
    const before = await counts();
    const seen: string[] = [];
    let runningRow: unknown = null;
    const failing: ServiceContext<UserActor> = {
      ...ctx,
      openWarehouse: async (config) => {
        const real = await ctx.openWarehouse(config);
        return Object.assign(Object.create(real) as Warehouse, {
          async *fetchByIds(request: Parameters<Warehouse['fetchByIds']>[0]) {
            let batches = 0;
            for await (const batch of real.fetchByIds(request)) {
              if (++batches === 2) {
                // While it runs, the experiment row exists with its progress (committed in step 1).
                runningRow = await ctx.db.selectFrom('experiments').select(['id', 'assignment_progress']).where('name', '=', 'fails').executeTakeFirst();
                throw new Error('warehouse connection lost');
              }
              yield batch;
            }
          },
          close: () => real.close(),
        });
      },
    };
    await expect(
      createExperiment(failing, server.demoDatasourceId, parseCreateExperiment({ design_spec: SPEC }), { fetchBatchSize: 1000, log: (l) => seen.push(l) }),
    ).rejects.toThrow('warehouse connection lost');
    expect(runningRow).toMatchObject({ assignment_progress: { status: 'running', phase: 'sampling' } });
    expect(liveProgress((runningRow as { id: string }).id)).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('rolls back every chunk when an insert fails inside the data transaction', async () => {
    const before = await counts();
    // A participant id longer than the column allows makes the chunk holding it fail; earlier chunks were written.
    const longId: ServiceContext<UserActor> = {
      ...ctx,
      openWarehouse: async (config) => {
        const real = await ctx.openWarehouse(config);
        return Object.assign(Object.create(real) as Warehouse, {
          async sample(request: Parameters<Warehouse['sample']>[0]) {
            const rows = await real.sample(request);
            return rows.map((r, i) => (i === rows.length - 1 ? { ...r, participant_id: `zz${'x'.repeat(300)}` } : r));
          },
          close: () => real.close(),
        });
      },
    };
    const lines: string[] = [];
    await expect(
      createExperiment(longId, server.demoDatasourceId, parseCreateExperiment({ design_spec: SPEC }), { insertChunkRows: 500, log: (l) => lines.push(l) }),
    ).rejects.toThrow();
    expect(lines.some((l) => /wrote 500 of 3,000 assignments/.test(l))).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('reports progress in the log and stores the summary on the experiment', async () => {
    const lines: string[] = [];
    const config = await createExperiment(ctx, server.demoDatasourceId, parseCreateExperiment({ design_spec: SPEC }), { insertChunkRows: 300, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/assigning 3,000 participants/);
    expect(lines.filter((l) => /wrote/.test(l))).toHaveLength(10);
    expect(lines.at(-1)).toMatch(/done: 3,000 assignments in \d+ ms/);
    expect(config.assignment_progress).toMatchObject({ status: 'done', phase: 'done', written: 3000, total: 3000 });
  });
});
