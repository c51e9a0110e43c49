/**
 * Filter semantics (spec §3.4) proven by running the compiled SQL on a real DuckDB file whose rows hold
 * NULLs in every column: the pinned text in filter-sql.test.ts says what we emit, this says it is right.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from './duckdb.ts';
import type { Filter } from './warehouse.ts';

const PEOPLE_SQL = `
CREATE TABLE people (
  id INTEGER PRIMARY KEY, name VARCHAR, flag BOOLEAN, big BIGINT, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ,
  score DOUBLE, u UUID
);
INSERT INTO people VALUES
  (1, 'a', true, 9007199254740993, '2024-01-01', '2024-01-01 08:00:00', '2024-01-01 08:00:00+00', 1.5,
   'c0ffee00-0000-4000-8000-000000000001'),
  (2, 'b', false, 5, '2024-02-01', '2024-02-01 12:00:00', '2024-02-01 12:00:00+00', 2.5,
   'c0ffee00-0000-4000-8000-000000000002'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'A', true, -3, '2024-03-01', '2024-03-01 00:00:00.5', '2024-03-01 00:00:00.5+00', 3.5,
   'c0ffee00-0000-4000-8000-000000000004'),
  (5, 'c', false, 9007199254740994, '2024-01-15', '2024-01-15 23:00:00', '2024-01-15 23:00:00+00', 10,
   'c0ffee00-0000-4000-8000-000000000005');
`;

let dir: string;
let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-filters-'));
  const instance = await DuckDBInstance.create(path.join(dir, 'people.duckdb'));
  const connection = await instance.connect();
  await connection.run(PEOPLE_SQL);
  connection.closeSync();
  instance.closeSync();
  warehouse = await DuckDbWarehouse.open({ path: 'people.duckdb', baseDir: dir });
});

afterAll(async () => {
  await warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function matching(...filters: Filter[]): Promise<number[]> {
  const rows = await warehouse.sample({ table: 'people', columns: ['id'], filters, limit: 100 });
  return rows.map((r) => Number(r['id'])).sort((a, b) => a - b);
}

const f = (field_name: string, relation: Filter['relation'], value: Filter['value']): Filter => ({
  field_name,
  relation,
  value,
});

describe('filter semantics on DuckDB (spec §3.4 table)', () => {
  it.each<[string, Filter, number[]]>([
    ['includes [null]', f('name', 'includes', [null]), [3]],
    ['includes ["a"] is case-sensitive', f('name', 'includes', ['a']), [1]],
    ['includes ["a", null]', f('name', 'includes', ['a', null]), [1, 3]],
    ['excludes [null]', f('name', 'excludes', [null]), [1, 2, 4, 5]],
    ['excludes ["a", null]', f('name', 'excludes', ['a', null]), [2, 4, 5]],
    ['excludes ["a", "b"] keeps NULL', f('name', 'excludes', ['a', 'b']), [3, 4, 5]],
    ['between [lo, hi] is inclusive', f('score', 'between', [1.5, 3.5]), [1, 2, 4]],
    ['between [null, hi]', f('score', 'between', [null, 2.5]), [1, 2]],
    ['between [lo, null]', f('score', 'between', [2.5, null]), [2, 4, 5]],
    ['between [lo, hi, null]', f('score', 'between', [2, 3.5, null]), [2, 3, 4]],
    ['between [lo, null, null]', f('score', 'between', [3, null, null]), [3, 4, 5]],
  ])('%s', async (_label, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it.each<[string, Filter, number[]]>([
    ['includes [true]', f('flag', 'includes', [true]), [1, 4]],
    ['includes [false, null]', f('flag', 'includes', [false, null]), [2, 3, 5]],
    ['includes [null]', f('flag', 'includes', [null]), [3]],
    ['excludes [true] keeps NULL', f('flag', 'excludes', [true]), [2, 3, 5]],
    ['excludes [true, null]', f('flag', 'excludes', [true, null]), [2, 5]],
    ['excludes [null]', f('flag', 'excludes', [null]), [1, 2, 4, 5]],
    ['includes [true, false]', f('flag', 'includes', [true, false]), [1, 2, 4, 5]],
  ])('booleans: %s', async (_label, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it.each<[string, Filter, number[]]>([
    ['date between', f('d', 'between', ['2024-01-01', '2024-01-31']), [1, 5]],
    ['date drops the time part', f('d', 'includes', ['2024-01-15T23:30:00Z']), [5]],
    ['date excludes keeps NULL', f('d', 'excludes', ['2024-01-01']), [2, 3, 4, 5]],
    ['timestamp between', f('ts', 'between', ['2024-01-01T00:00:00Z', '2024-02-01T12:00:00']), [1, 2, 5]],
    ['timestamp between, bounds inclusive to the microsecond', f('ts', 'between', ['2024-01-01T08:00:00.000001', '2024-02-01T11:59:59.999999']), [5]],
    ['timestamp with fraction', f('ts', 'includes', ['2024-03-01T00:00:00.5']), [4]],
    ['timestamptz with Z', f('tz', 'includes', ['2024-02-01T12:00:00Z']), [2]],
    ['timestamptz without offset is UTC', f('tz', 'between', ['2024-01-15T23:00:00', null]), [2, 4, 5]],
    ['bigint string beyond 2^53', f('big', 'includes', ['9007199254740993']), [1]],
    ['bigint mixed number and string', f('big', 'includes', [5, '-3']), [2, 4]],
    ['bigint between strings', f('big', 'between', ['0', '9007199254740993']), [1, 2]],
    ['uuid in any case', f('u', 'includes', ['C0FFEE00-0000-4000-8000-000000000002']), [2]],
    ['integer primary key', f('id', 'excludes', [1, 2]), [3, 4, 5]],
  ])('typed values: %s', async (_label, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it('combines filters with AND', async () => {
    expect(await matching(f('flag', 'excludes', [null]), f('score', 'between', [2, null]))).toEqual([2, 4, 5]);
    expect(await matching(f('name', 'excludes', ['a']), f('flag', 'includes', [true]))).toEqual([4]);
  });

  it('treats a value that looks like SQL as a plain value', async () => {
    expect(await matching(f('name', 'includes', ["a') OR TRUE --"]))).toEqual([]);
  });
});
