/**
 * The DuckDB engine against real temp files: introspection, value normalization, sampling, and the
 * safety rails (path confinement, read-only, no external file access).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, MessageNotFoundError, ValidationError, WarehouseError } from '../domain/errors.ts';
import { DuckDbWarehouse, normalizeDuckDbType } from './duckdb.ts';

async function writeDuckDbFile(file: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

const FIXTURE_SQL = `
CREATE TABLE kinds (
  id INTEGER PRIMARY KEY, flag BOOLEAN, name VARCHAR, u UUID, small SMALLINT, tiny TINYINT, big BIGINT,
  huge HUGEINT, dbl DOUBLE, flt FLOAT, amount DECIMAL(10, 2), d DATE, ts TIMESTAMP, tz TIMESTAMPTZ,
  tags VARCHAR[]
);
COMMENT ON COLUMN kinds.name IS 'Display name';
INSERT INTO kinds VALUES
  (1, true, 'a', 'c0ffee00-0000-4000-8000-000000000001', 1, 1, 9007199254740993, 1, 1.5, 0.5, 12.34,
   '2024-01-02', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+00', ['x']),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', NULL, NULL, '1969-12-31', '1969-12-31 23:59:59.5', NULL, NULL);
CREATE VIEW a_view AS SELECT id FROM kinds;
CREATE TABLE numbers AS SELECT i AS n, i % 3 AS bucket FROM range(0, 500) r(i);
`;

let dir: string;
let file: string;
let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-duckdb-'));
  file = path.join(dir, 'fixture.duckdb');
  await writeDuckDbFile(file, FIXTURE_SQL);
  warehouse = await DuckDbWarehouse.open({ path: 'fixture.duckdb', baseDir: dir });
});

afterAll(async () => {
  await warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DuckDbWarehouse introspection', () => {
  it('lists tables and views of the main schema, sorted', async () => {
    expect(await warehouse.listTables()).toEqual(['a_view', 'kinds', 'numbers']);
  });

  it('describes columns sorted by name with normalized types, comments and primary key', async () => {
    const info = await warehouse.describeTable('kinds');
    expect(info.primaryKey).toEqual(['id']);
    expect(info.columns.map((c) => [c.name, c.type, c.nativeType])).toEqual([
      ['amount', 'decimal', 'DECIMAL(10,2)'],
      ['big', 'bigint', 'BIGINT'],
      ['d', 'date', 'DATE'],
      ['dbl', 'float', 'DOUBLE'],
      ['flag', 'boolean', 'BOOLEAN'],
      ['flt', 'float', 'FLOAT'],
      ['huge', 'bigint', 'HUGEINT'],
      ['id', 'integer', 'INTEGER'],
      ['name', 'string', 'VARCHAR'],
      ['small', 'integer', 'SMALLINT'],
      ['tags', 'unsupported', 'VARCHAR[]'],
      ['tiny', 'integer', 'TINYINT'],
      ['ts', 'timestamp', 'TIMESTAMP'],
      ['tz', 'timestamptz', 'TIMESTAMP WITH TIME ZONE'],
      ['u', 'uuid', 'UUID'],
    ]);
    expect(info.columns.find((c) => c.name === 'name')?.description).toBe('Display name');
    expect(info.columns.find((c) => c.name === 'id')?.description).toBeNull();
  });

  it('describes a view (no primary key)', async () => {
    const info = await warehouse.describeTable('a_view');
    expect(info).toEqual({
      name: 'a_view',
      columns: [{ name: 'id', type: 'integer', nativeType: 'INTEGER', description: null }],
      primaryKey: [],
    });
  });

  it('names the known tables when a table is missing', async () => {
    const error = await warehouse.describeTable('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageNotFoundError);
    expect((error as Error).message).toBe("The table 'nope' does not exist. Known tables: a_view, kinds, numbers");
  });

  it('maps REAL and unknown types', () => {
    expect(normalizeDuckDbType('REAL')).toBe('float');
    expect(normalizeDuckDbType('decimal(18,3)')).toBe('decimal');
    expect(normalizeDuckDbType('INTERVAL')).toBe('unsupported');
  });
});

describe('DuckDbWarehouse.sample', () => {
  const all = ['id', 'flag', 'name', 'u', 'big', 'huge', 'dbl', 'amount', 'd', 'ts', 'tz'];

  it('returns JSON-safe normalized values', async () => {
    const rows = await warehouse.sample({ table: 'kinds', columns: all, filters: [], limit: 10, seed: 1 });
    const byId = new Map(rows.map((r) => [r['id'], r]));
    expect(byId.get(1)).toEqual({
      id: 1,
      flag: true,
      name: 'a',
      u: 'c0ffee00-0000-4000-8000-000000000001',
      big: '9007199254740993',
      huge: '1',
      dbl: 1.5,
      amount: '12.34',
      d: '2024-01-02',
      ts: '2024-01-02T03:04:05.123456',
      tz: '2024-01-02T03:04:05Z',
    });
    // Before the epoch (floor, not truncation), NaN has no JSON form and becomes null.
    expect(byId.get(2)).toMatchObject({ d: '1969-12-31', ts: '1969-12-31T23:59:59.500000', dbl: null, tz: null });
  });

  it('returns the same rows for the same seed and different rows for another seed', async () => {
    const request = { table: 'numbers', columns: ['n'], filters: [], limit: 20 };
    const first = await warehouse.sample({ ...request, seed: 7 });
    const again = await warehouse.sample({ ...request, seed: 7 });
    const other = await warehouse.sample({ ...request, seed: 8 });
    expect(first).toHaveLength(20);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // A random subset, not the first rows of the table.
    expect(first.map((r) => r['n'])).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps a seeded sample stable across instances of the same file', async () => {
    const second = await DuckDbWarehouse.open({ path: file, baseDir: dir });
    try {
      const request = { table: 'numbers', columns: ['n', 'bucket'], filters: [], limit: 15, seed: 3 };
      expect(await second.sample(request)).toEqual(await warehouse.sample(request));
    } finally {
      await second.close();
    }
  });

  it('respects the limit and filters without a seed', async () => {
    const rows = await warehouse.sample({
      table: 'numbers',
      columns: ['n', 'bucket'],
      filters: [{ field_name: 'bucket', relation: 'includes', value: [1] }],
      limit: 50,
    });
    expect(rows).toHaveLength(50);
    // range() yields BIGINT, which callers receive as strings.
    expect(rows.every((r) => r['bucket'] === '1')).toBe(true);
    const everything = await warehouse.sample({ table: 'numbers', columns: ['n'], filters: [], limit: 1000 });
    expect(everything).toHaveLength(500);
  });

  it('rejects unknown columns, unknown tables and bad limits before running SQL', async () => {
    const missing = await warehouse
      .sample({ table: 'kinds', columns: ['id', 'nope'], filters: [], limit: 1 })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).issues).toEqual([
      { loc: ['columns', 1], msg: "Column 'nope' does not exist in table 'kinds'.", type: 'value_error' },
    ]);
    await expect(warehouse.sample({ table: 'gone', columns: ['id'], filters: [], limit: 1 })).rejects.toThrow(
      MessageNotFoundError,
    );
    await expect(warehouse.sample({ table: 'kinds', columns: ['id'], filters: [], limit: -1 })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('DuckDbWarehouse safety', () => {
  it('opens read-only: the engine refuses writes', async () => {
    await expect(warehouse.unsafeQueryForTests('CREATE TABLE x (a INTEGER)')).rejects.toThrow(/read-only/);
    await expect(warehouse.unsafeQueryForTests('DELETE FROM numbers')).rejects.toThrow(WarehouseError);
  });

  it('has external access off: no reading server files, no attaching others', async () => {
    await expect(warehouse.unsafeQueryForTests("SELECT * FROM read_csv('/etc/hostname')")).rejects.toThrow(
      /disabled by configuration/,
    );
    await expect(warehouse.unsafeQueryForTests(`ATTACH '${path.join(dir, 'other.duckdb')}' AS other`)).rejects.toThrow(
      /disabled by configuration/,
    );
    await expect(warehouse.unsafeQueryForTests('SET enable_external_access = true')).rejects.toThrow(WarehouseError);
  });

  it('lets several read-only instances hold the same file at once', async () => {
    const others = await Promise.all([1, 2, 3].map(() => DuckDbWarehouse.open({ path: 'fixture.duckdb', baseDir: dir })));
    try {
      const lists = await Promise.all(others.map((w) => w.listTables()));
      expect(lists).toEqual([lists[0], lists[0], lists[0]]);
    } finally {
      await Promise.all(others.map((w) => w.close()));
    }
  });

  it('refuses paths that escape the data directory with ..', async () => {
    const inner = path.join(dir, 'inner');
    fs.mkdirSync(inner, { recursive: true });
    const error = await DuckDbWarehouse.open({ path: '../fixture.duckdb', baseDir: inner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_request');
    expect((error as Error).message).toBe(`The DuckDB file must be inside the data directory ${inner}.`);
    await expect(DuckDbWarehouse.open({ path: file, baseDir: inner })).rejects.toThrow(/inside the data directory/);
    await expect(DuckDbWarehouse.open({ path: inner, baseDir: inner })).rejects.toThrow(/inside the data directory/);
  });

  it('refuses a symlink inside the data directory that points outside it', async () => {
    const inner = path.join(dir, 'linked');
    fs.mkdirSync(inner, { recursive: true });
    fs.symlinkSync(file, path.join(inner, 'sneaky.duckdb'));
    await expect(DuckDbWarehouse.open({ path: 'sneaky.duckdb', baseDir: inner })).rejects.toThrow(
      /inside the data directory/,
    );
  });

  it('reports a missing file as not found, like a missing database', async () => {
    const error = await DuckDbWarehouse.open({ path: 'missing.duckdb', baseDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageNotFoundError);
    expect((error as Error).message).toBe("The DuckDB file 'missing.duckdb' does not exist.");
  });
});
