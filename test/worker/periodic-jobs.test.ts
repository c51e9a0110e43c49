/**
 * Periodic jobs enqueued by every worker run once per cycle: on one database, and (PostgreSQL) with
 * several workers on separate pools racing for the same cycle.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { openDatabase, type AppDatabase } from '../../src/store/database.ts';
import type { Task } from '../../src/store/schema.ts';
import { cycleOf, cycleStart } from '../../src/worker/periodic.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { createTestDatabase, describeEachDatabase, describePostgresOnly, type TestDatabase } from '../support/databases.ts';
import { recordingLog } from './support.ts';

const HOUR = 3_600_000;
const JOB = { taskType: 'test.periodic', everyMs: HOUR };

describeEachDatabase('periodic jobs', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => database?.close());

  it('runs each cycle once, at the first worker round inside it, and passes the cycle start', async () => {
    const clock = new ManualClock(new Date('2026-11-24T10:15:00Z'));
    const seen: string[] = [];
    const worker = createWorker({
      db: database.db,
      clock,
      log: recordingLog(),
      periodic: [JOB],
      handlers: { [JOB.taskType]: async (task: Task) => void seen.push(cycleOf(task.payload).toISOString()) },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(30 * 60_000); // 10:45, same cycle
    expect(await worker.runOnce()).toBe(0);
    clock.advance(30 * 60_000); // 11:15, next cycle
    expect(await worker.runOnce()).toBe(1);
    expect(seen).toEqual(['2026-11-24T10:00:00.000Z', '2026-11-24T11:00:00.000Z']);
  });

  it('a failing cycle is retried within the cycle and is dead after its attempts; the next cycle starts afresh', async () => {
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    let calls = 0;
    const worker = createWorker({
      db: database.db,
      clock,
      log: recordingLog(),
      random: () => 0,
      periodic: [{ ...JOB, maxAttempts: 2 }],
      handlers: {
        [JOB.taskType]: async () => {
          calls++;
          throw new Error('warehouse down');
        },
      },
    });
    await worker.runOnce();
    clock.advance(20 * 60_000);
    await worker.runOnce();
    const rows = await database.db.selectFrom('tasks').select(['status', 'attempts', 'last_error']).execute();
    expect(rows).toEqual([{ status: 'dead', attempts: 2, last_error: 'warehouse down' }]);
    clock.advance(HOUR);
    await worker.runOnce();
    expect(calls).toBe(3);
  });
});

it('cycle boundaries are aligned to the epoch, so every process computes the same ones', () => {
  expect(cycleStart(new Date('2026-11-24T10:59:59.999Z'), HOUR).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  expect(cycleStart(new Date('2026-11-24T11:00:00.000Z'), HOUR).toISOString()).toBe('2026-11-24T11:00:00.000Z');
  expect(() => cycleOf({})).toThrow(/cycle_start/);
});

describePostgresOnly('periodic jobs with several workers', () => {
  let database: TestDatabase;
  const pools: AppDatabase[] = [];
  beforeEach(async () => {
    database = await createTestDatabase('postgres');
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await database?.close();
  });

  it('five workers racing over three cycles run each cycle exactly once', async () => {
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    const runs: string[] = [];
    for (let w = 0; w < 5; w++) {
      pools.push(await openDatabase({ databaseUrl: database.databaseUrl, schema: database.schema as string, poolSize: 2 }));
    }
    const workers = pools.map((pool, w) =>
      createWorker({
        db: pool.db,
        clock,
        workerId: `w${w}`,
        log: recordingLog(),
        periodic: [JOB],
        handlers: { [JOB.taskType]: async (task: Task) => void runs.push(cycleOf(task.payload).toISOString()) },
      }),
    );
    for (let cycle = 0; cycle < 3; cycle++) {
      await Promise.all(workers.map((w) => w.runOnce()));
      await Promise.all(workers.map((w) => w.runOnce()));
      clock.advance(HOUR);
    }
    expect(runs.sort()).toEqual(['2026-11-24T10:00:00.000Z', '2026-11-24T11:00:00.000Z', '2026-11-24T12:00:00.000Z']);
  });
});
