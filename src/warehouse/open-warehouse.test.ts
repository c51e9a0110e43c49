/** The factory services use, and the "API only" warehouse it returns for `driver: 'none'`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { ensureDemoWarehouse } from './demo-warehouse.ts';
import { DuckDbWarehouse } from './duckdb.ts';
import { NoWarehouse } from './none.ts';
import { openWarehouse } from './open-warehouse.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-open-'));
  await ensureDemoWarehouse(dataDir);
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('openWarehouse', () => {
  it('gives an empty, refusing warehouse for the API-only datasource', async () => {
    const warehouse = await openWarehouse({ driver: 'none' }, { dataDir });
    expect(warehouse).toBeInstanceOf(NoWarehouse);
    expect(await warehouse.listTables()).toEqual([]);
    const error = await warehouse.describeTable('participants').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_request');
    expect((error as Error).message).toBe('This datasource has no warehouse (API only).');
    await expect(warehouse.sample({ table: 't', columns: ['a'], filters: [], limit: 1 })).rejects.toThrow(
      'This datasource has no warehouse (API only).',
    );
    await warehouse.close();
  });

  it('opens DuckDB paths relative to the data directory or absolute inside it', async () => {
    for (const p of ['demo-warehouse.duckdb', path.join(dataDir, 'demo-warehouse.duckdb')]) {
      const warehouse = await openWarehouse({ driver: 'duckdb', path: p }, { dataDir });
      try {
        expect(warehouse).toBeInstanceOf(DuckDbWarehouse);
        expect(await warehouse.listTables()).toEqual(['participants']);
      } finally {
        await warehouse.close();
      }
    }
  });

  it('refuses DuckDB paths outside the data directory', async () => {
    await expect(openWarehouse({ driver: 'duckdb', path: '/etc/hostname' }, { dataDir })).rejects.toThrow(
      /inside the data directory/,
    );
  });
});
