/**
 * The one contract every warehouse engine must keep, run against each engine by `contract.test.ts`:
 * introspection, count, sampling (seeded and cluster), baselines, ICC inputs, exemplars, batched fetch,
 * limits and error mapping. An engine that cannot do something lists the test names under `skip` with
 * a reason, so a gap is visible in the output instead of hidden in an `if`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MessageNotFoundError, ValidationError, WarehouseError } from '../../src/domain/errors.ts';
import { iccFromInputs, type Warehouse, type WarehouseLimits, type WarehouseRow } from '../../src/warehouse/warehouse.ts';
import type { FixtureTable, TestWarehouse } from '../support/warehouses.ts';

export interface ContractOptions {
  readonly create: (tables: readonly FixtureTable[], limits?: WarehouseLimits) => Promise<TestWarehouse>;
  readonly skip?: readonly { readonly reason: string; readonly tests: readonly string[] }[];
}

const N_ROWS = 120;

/** 120 people in 12 households; one in ten has no score, one in six no country. */
export const PEOPLE: FixtureTable = {
  name: 'people',
  primaryKey: 'id',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'household', type: 'integer' },
    { name: 'country', type: 'string' },
    { name: 'active', type: 'boolean' },
    { name: 'score', type: 'float' },
    { name: 'spend', type: 'decimal' },
    { name: 'big', type: 'bigint' },
    { name: 'joined', type: 'date' },
    { name: 'seen', type: 'timestamp' },
    { name: 'seen_tz', type: 'timestamptz' },
    { name: 'u', type: 'uuid' },
  ],
  rows: Array.from({ length: N_ROWS }, (_, i) => ({
    id: i + 1,
    household: (i % 12) + 1,
    country: i % 6 === 0 ? null : (['US', 'us', 'FR', 'FR ', 'DE'] as const)[i % 5] ?? null,
    active: i % 7 === 0 ? null : i % 2 === 0,
    score: i % 10 === 3 ? null : ((i % 12) + 1) * 10 + (i % 4),
    spend: (i * 1.25).toFixed(2),
    big: (9007199254740993n + BigInt(i)).toString(),
    joined: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    seen: `2024-02-01T00:00:${String(i % 60).padStart(2, '0')}.250000`,
    seen_tz: `2024-03-01T12:00:${String(i % 60).padStart(2, '0')}Z`,
    u: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  })),
};

/** How many fixture rows satisfy `keep`: the expectations are computed, not typed in. */
const rowsWhere = (keep: (r: Readonly<Record<string, unknown>>) => boolean) => PEOPLE.rows.filter(keep).length;

const ids = (rows: readonly WarehouseRow[]) => rows.map((r) => Number(r['id'])).sort((a, b) => a - b);

export function runWarehouseContract(options: ContractOptions): void {
  const skipped = new Map((options.skip ?? []).flatMap((s) => s.tests.map((t) => [t, s.reason] as const)));
  const test = (name: string, fn: () => Promise<void>) => {
    const reason = skipped.get(name);
    if (reason) it.skip(`${name} (skipped: ${reason})`, fn);
    else it(name, fn);
  };

  let handle: TestWarehouse;
  let w: Warehouse;
  beforeAll(async () => {
    handle = await options.create([PEOPLE]);
    w = handle.warehouse;
  });
  afterAll(async () => {
    await handle?.close();
  });

  test('lists tables and describes normalized column types', async () => {
    expect(await w.listTables()).toContain('people');
    const info = await w.describeTable('people');
    expect(Object.fromEntries(info.columns.map((c) => [c.name, c.type]))).toEqual(Object.fromEntries(PEOPLE.columns.map((c) => [c.name, c.type])));
    expect(info.columns.map((c) => c.name)).toEqual([...info.columns.map((c) => c.name)].sort());
  });

  test('reports the primary key', async () => {
    expect((await w.describeTable('people')).primaryKey).toEqual(['id']);
  });

  test('answers a missing table with 404 naming the known tables', async () => {
    const err = await w.describeTable('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessageNotFoundError);
    expect((err as Error).message).toMatch(/^The table 'nope' does not exist\. Known tables: .*people/);
  });

  test('counts rows passing filters, case- and space-sensitively', async () => {
    expect(await w.count({ table: 'people', filters: [] })).toBe(N_ROWS);
    const country = (r: Readonly<Record<string, unknown>>) => r['country'];
    expect(await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'includes', value: ['US'] }] })).toBe(rowsWhere((r) => country(r) === 'US'));
    expect(await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'includes', value: ['FR'] }] })).toBe(rowsWhere((r) => country(r) === 'FR'));
    // excludes keeps NULLs unless listed (spec §3.4).
    expect(await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'excludes', value: ['US', 'us'] }] })).toBe(
      rowsWhere((r) => country(r) !== 'US' && country(r) !== 'us'),
    );
    expect(await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'excludes', value: ['US', null] }] })).toBe(
      rowsWhere((r) => country(r) !== 'US' && country(r) !== null),
    );
    expect(await w.count({ table: 'people', filters: [{ field_name: 'active', relation: 'includes', value: [true] }] })).toBe(rowsWhere((r) => r['active'] === true));
    expect(await w.count({ table: 'people', filters: [{ field_name: 'seen_tz', relation: 'between', value: ['2024-03-01T12:00:10Z', '2024-03-01T12:00:19+00:00'] }] })).toBe(20);
    expect(await w.count({ table: 'people', filters: [{ field_name: 'big', relation: 'between', value: ['9007199254741000', null] }] })).toBe(113);
  });

  test('samples at most the limit, only eligible rows, reproducibly with a seed', async () => {
    const request = { table: 'people', columns: ['id', 'country'], filters: [{ field_name: 'country', relation: 'includes' as const, value: ['DE'] }], limit: 10 };
    const rows = await w.sample(request);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r['country'] === 'DE')).toBe(true);
    const first = await w.sample({ ...request, seed: 5 });
    expect(await w.sample({ ...request, seed: 5 })).toEqual(first);
    const all = await w.sample({ ...request, limit: 1000 });
    expect(all).toHaveLength(rowsWhere((r) => r['country'] === 'DE'));
  });

  test('returns canonical values', async () => {
    const [row] = await w.sample({ table: 'people', columns: PEOPLE.columns.map((c) => c.name), filters: [{ field_name: 'id', relation: 'includes', value: [2] }], limit: 1 });
    expect(row).toEqual({ ...PEOPLE.rows[1], spend: '1.25' });
  });

  test('draws whole clusters with cluster sampling', async () => {
    const rows = await w.sample({ table: 'people', columns: ['id', 'household'], filters: [], limit: 0, cluster: { field: 'household', clusters: 3 }, seed: 1 });
    const households = new Set(rows.map((r) => r['household']));
    expect(households.size).toBe(3);
    expect(rows).toHaveLength(30);
  });

  test('computes baselines over eligible rows with population sd', async () => {
    const [score, active] = await w.baselineStats({ table: 'people', filters: [{ field_name: 'household', relation: 'between', value: [1, 6] }], metrics: ['score', 'active'] });
    const eligible = PEOPLE.rows.filter((r) => Number(r['household']) <= 6);
    const values = eligible.map((r) => r['score']).filter((v): v is number => typeof v === 'number');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(score).toMatchObject({ field: 'score', n: 60, nonNullN: values.length });
    expect(score?.mean).toBeCloseTo(mean, 9);
    expect(score?.sd).toBeCloseTo(sd, 9);
    const flags = eligible.map((r) => r['active']).filter((v): v is boolean => v !== null);
    expect(active?.nonNullN).toBe(flags.length);
    expect(active?.mean).toBeCloseTo(flags.filter(Boolean).length / flags.length, 9);
    await expect(w.baselineStats({ table: 'people', filters: [], metrics: ['country'] })).rejects.toThrow(ValidationError);
  });

  test('gives ICC inputs whose ICC is high when clusters explain the metric', async () => {
    const inputs = await w.iccInputs({ table: 'people', filters: [], metric: 'score', clusterField: 'household' });
    expect(inputs.clusters).toBe(12);
    expect(inputs.n).toBe(rowsWhere((r) => r['score'] !== null));
    expect(iccFromInputs(inputs)).toBeGreaterThan(0.9);
  });

  test('lists distinct values or the range of a field', async () => {
    expect(await w.fieldExemplars('people', 'country')).toEqual({ kind: 'distinct', values: ['DE', 'FR', 'FR ', 'US', 'us'], truncated: false });
    expect(await w.fieldExemplars('people', 'active')).toEqual({ kind: 'distinct', values: [false, true], truncated: false });
    expect(await w.fieldExemplars('people', 'joined')).toEqual({ kind: 'range', min: '2024-01-01', max: '2024-01-28' });
    expect(await w.fieldExemplars('people', 'score')).toEqual({ kind: 'range', min: 10, max: 123 });
  });

  test('fetches rows for ids in batches, skipping unknown and malformed ids', async () => {
    function* wanted() {
      for (let i = 1; i <= 50; i++) yield String(i);
      yield 'not-a-number';
      yield '100000';
    }
    const batches: WarehouseRow[][] = [];
    for await (const batch of w.fetchByIds({ table: 'people', idField: 'id', columns: ['score'], ids: wanted(), batchSize: 16 })) batches.push(batch);
    expect(batches.length).toBe(4);
    const rows = batches.flat();
    expect(ids(rows)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(rows.find((r) => r['id'] === 2)).toEqual({ id: 2, score: 21 });
  });

  test('fetches by a uuid id column', async () => {
    const u = String(PEOPLE.rows[7]?.['u']);
    const out: WarehouseRow[] = [];
    for await (const batch of w.fetchByIds({ table: 'people', idField: 'u', columns: ['id'], ids: [u.toUpperCase(), 'zzz'] })) out.push(...batch);
    expect(out).toEqual([{ u, id: 8 }]);
  });

  test('checks connectivity', async () => {
    await expect(w.checkConnectivity()).resolves.toBeUndefined();
  });

  test('refuses a sample or fetch beyond the row cap, naming the setting', async () => {
    const capped = await options.create([PEOPLE], { statementTimeoutMs: 60_000, maxRows: 10 });
    try {
      const err = await capped.warehouse.sample({ table: 'people', columns: ['id'], filters: [], limit: 11 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as WarehouseError).code).toBe('limit_exceeded');
      expect((err as Error).message).toMatch(/row cap.*max_rows/);
      const cluster = await capped.warehouse.sample({ table: 'people', columns: ['id'], filters: [], limit: 0, cluster: { field: 'household', clusters: 2 } }).catch((e: unknown) => e);
      expect((cluster as WarehouseError).code).toBe('limit_exceeded');
      const fetching = (async () => {
        for await (const _ of capped.warehouse.fetchByIds({ table: 'people', idField: 'id', columns: [], ids: PEOPLE.rows.map((r) => String(r['id'])) })) void _;
      })();
      await expect(fetching).rejects.toThrow(/max_rows/);
    } finally {
      await capped.close();
    }
  });

  test('refuses injection through table names, field names and values', async () => {
    await expect(w.count({ table: 'people; DROP TABLE people', filters: [] })).rejects.toThrow(ValidationError);
    await expect(w.count({ table: 'people', filters: [{ field_name: 'id" OR 1=1 --', relation: 'includes', value: [1] }] })).rejects.toThrow(ValidationError);
    await expect(w.sample({ table: 'people', columns: ['id`, (SELECT 1)'], filters: [], limit: 1 })).rejects.toThrow(ValidationError);
    const hostile = ["US' OR '1'='1", 'US" OR "1"="1', "'); DROP TABLE people; --", '\\', "US\\' OR 1=1 #"];
    expect(await w.count({ table: 'people', filters: [{ field_name: 'country', relation: 'includes', value: hostile }] })).toBe(0);
    expect(await w.count({ table: 'people', filters: [] })).toBe(N_ROWS);
  });
}
