/** The bundled demo warehouse: generated once, deterministic, and described by its participant type. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTICIPANT_TYPE, DEMO_WAREHOUSE_FILE, ensureDemoWarehouse } from './demo-warehouse.ts';
import { DuckDbWarehouse } from './duckdb.ts';

let dir: string;
let first: Awaited<ReturnType<typeof ensureDemoWarehouse>>;
let elapsedMs: number;
let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-demo-'));
  const started = performance.now();
  first = await ensureDemoWarehouse(path.join(dir, 'data'));
  elapsedMs = performance.now() - started;
  warehouse = await DuckDbWarehouse.open({ path: first.path, baseDir: path.join(dir, 'data') });
});

afterAll(async () => {
  await warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function scalar(sql: string): Promise<unknown> {
  const [row] = await warehouse.unsafeQueryForTests(sql);
  return Object.values(row ?? {})[0];
}

describe('ensureDemoWarehouse', () => {
  it('creates the file quickly, leaving no temporary files behind', () => {
    expect(first).toEqual({ path: path.join(dir, 'data', DEMO_WAREHOUSE_FILE), table: 'participants', created: true });
    expect(elapsedMs).toBeLessThan(3000);
    expect(fs.readdirSync(path.join(dir, 'data'))).toEqual([DEMO_WAREHOUSE_FILE]);
  });

  it('holds 20,000 participants with unique ids', async () => {
    expect(await scalar('SELECT count(*) FROM participants')).toBe('20000');
    expect(await scalar('SELECT count(DISTINCT participant_id) FROM participants')).toBe('20000');
    expect(await scalar('SELECT min(participant_id) FROM participants')).toBe('p000001');
  });

  it('has some NULLs in the documented columns, and none in the outcomes', async () => {
    for (const column of ['country', 'gender', 'age', 'income']) {
      const nulls = Number(await scalar(`SELECT count(*) FILTER (WHERE ${column} IS NULL) FROM participants`));
      expect(nulls, column).toBeGreaterThan(100);
      expect(nulls, column).toBeLessThan(2000);
    }
    expect(await scalar('SELECT count(*) FILTER (WHERE completed_course IS NULL OR weekly_minutes IS NULL) FROM participants')).toBe('0');
    expect(await scalar('SELECT min(age) >= 16 AND max(age) <= 80 FROM participants')).toBe(true);
  });

  it('matches its participant type: same columns, types and descriptions', async () => {
    const info = await warehouse.describeTable('participants');
    expect(info.primaryKey).toEqual(['participant_id']);
    const fromTable = info.columns.map((c) => [c.name, c.type, c.description]);
    const fromType = [...DEMO_PARTICIPANT_TYPE.fields]
      .sort((a, b) => (a.field_name < b.field_name ? -1 : 1))
      .map((f) => [f.field_name, f.data_type, f.description]);
    expect(fromTable).toEqual(fromType);
    expect(DEMO_PARTICIPANT_TYPE.fields.filter((f) => f.is_unique_id).map((f) => f.field_name)).toEqual(['participant_id']);
  });

  it('does not regenerate or rewrite an existing file', async () => {
    const before = fs.statSync(first.path);
    const second = await ensureDemoWarehouse(path.join(dir, 'data'));
    expect(second).toEqual({ ...first, created: false });
    const after = fs.statSync(first.path);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
  });

  it('generates the same data every time', async () => {
    const other = path.join(dir, 'other');
    const again = await ensureDemoWarehouse(other);
    const copy = await DuckDbWarehouse.open({ path: again.path, baseDir: other });
    try {
      const request = { table: 'participants', columns: ['participant_id', 'age', 'income', 'completed_course'], filters: [], limit: 50, seed: 11 };
      expect(await copy.sample(request)).toEqual(await warehouse.sample(request));
    } finally {
      await copy.close();
    }
  });
});
