/**
 * The fetch path the analysis relies on, on every engine: `fetchByIds` consumes ids lazily and each yielded
 * batch answers exactly the ids consumed since the previous one (so absent participants are known batch
 * by batch), with unknown and malformed ids answered by no row; the join of `streamParticipants` matches
 * ids the way each engine writes them back (integers, UUIDs in any case).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalId } from '../../src/services/analysis/participant-stream.ts';
import type { WarehouseRow } from '../../src/warehouse/warehouse.ts';
import { describeEachWarehouse } from '../support/databases.ts';
import { createTestWarehouse, type FixtureTable, type TestWarehouse } from '../support/warehouses.ts';

const ROWS: FixtureTable = {
  name: 'members',
  primaryKey: 'id',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'code', type: 'string' },
    { name: 'u', type: 'uuid' },
    { name: 'value', type: 'float' },
  ],
  rows: Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    code: `m-${i + 1}`,
    u: `00000000-0000-4000-8000-${String(i + 1).padStart(12, 'a')}`,
    value: i % 5 === 0 ? null : i * 1.5,
  })),
};

describeEachWarehouse('batched fetch as the analysis uses it', ['duckdb', 'postgres', 'redshift', 'mariadb'] as const, (engine) => {
  let w: TestWarehouse;
  beforeAll(async () => {
    w = await createTestWarehouse(engine, [ROWS]);
  });
  afterAll(async () => w?.close());

  it('answers, batch by batch, exactly the ids consumed since the previous batch', async () => {
    const wanted = ['3', '999', '4', 'x', '5', '6', '7', '-2', '8', '40', '41', '1'];
    const consumed: string[] = [];
    async function* ids() {
      for (const id of wanted) {
        consumed.push(id);
        yield id;
      }
    }
    const windows: { asked: string[]; got: string[] }[] = [];
    for await (const rows of w.warehouse.fetchByIds({ table: 'members', idField: 'id', columns: ['value'], ids: ids(), batchSize: 3 })) {
      windows.push({ asked: consumed.splice(0), got: rows.map((r) => canonicalId('integer', String(r['id']))).sort() });
    }
    const rest = consumed.splice(0);
    for (const { asked, got } of windows) {
      expect(got.every((id) => asked.includes(id))).toBe(true);
      expect(got).toEqual(asked.filter((id) => /^\d+$/.test(id) && Number(id) >= 1 && Number(id) <= 40).sort());
    }
    // Whatever was consumed after the last batch (malformed or unknown ids only) matches nothing.
    expect(rest.filter((id) => /^\d+$/.test(id) && Number(id) <= 40)).toEqual([]);
    expect(windows.flatMap((x) => x.asked).concat(rest)).toEqual(wanted);
  });

  const noUuid = engine === 'redshift';
  it.skipIf(noUuid)(`matches UUID ids however the client cased them${noUuid ? ' (skipped: Redshift has no UUID type)' : ''}`, async () => {
    const wanted = ['00000000-0000-4000-8000-AAAAAAAAAAA7', '00000000000040008000aaaaaaaaaa12'];
    const rows: WarehouseRow[] = [];
    for await (const batch of w.warehouse.fetchByIds({ table: 'members', idField: 'u', columns: ['id'], ids: wanted })) rows.push(...batch);
    expect(rows.map((r) => canonicalId('uuid', String(r['u']))).sort()).toEqual(wanted.map((id) => canonicalId('uuid', id)).sort());
  });
});

it('canonical ids: integers without leading zeros, UUIDs lower case without dashes, decimals as numbers', () => {
  expect(canonicalId('integer', '007')).toBe('7');
  expect(canonicalId('bigint', '-0012345678901234567890')).toBe('-12345678901234567890');
  expect(canonicalId('integer', 'abc')).toBe('abc');
  expect(canonicalId('uuid', '0000-AB')).toBe('0000ab');
  expect(canonicalId('decimal', '12.50')).toBe('12.5');
  expect(canonicalId('string', ' P01 ')).toBe(' P01 ');
});
