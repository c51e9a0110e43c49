/**
 * One filter semantics everywhere: random tables and random filters, and DuckDB, PostgreSQL, MariaDB and
 * the in-memory evaluator must select exactly the same ids, NULLs included. The seed and run count are
 * fixed so CI is reproducible; a failure prints the shrunk table and filters.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowPassesFilters } from '../../src/warehouse/filter-eval.ts';
import type { ColumnType, Filter, FilterValue, WarehouseValue } from '../../src/warehouse/warehouse.ts';
import { REQUIRE_SERVICES } from '../support/databases.ts';
import { availableEngines, createTestWarehouse, type EngineName, type FixtureColumn, type FixtureTable } from '../support/warehouses.ts';

export const PROPERTY_SEED = 20_261_124;
export const PROPERTY_RUNS = 25;
const FILTER_SETS_PER_TABLE = 8;
const MAX_ROWS = 20;

/** Small value pools, so random filters hit real rows; strings probe case, trailing spaces and non-ASCII. */
const POOLS: Record<string, { type: FixtureColumn['type']; values: readonly (string | number | boolean)[] }> = {
  s: { type: 'string', values: ['a', 'A', 'b', 'a ', ' ', '', 'é', 'ab'] },
  n: { type: 'integer', values: [-3, -1, 0, 1, 2, 5] },
  f: { type: 'float', values: [-0.5, 0, 0.1, 2.25, 1e-7, 3] },
  b: { type: 'boolean', values: [true, false] },
  d: { type: 'date', values: ['2024-01-01', '2024-01-02', '2024-02-29', '1969-12-31'] },
  t: { type: 'timestamp', values: ['2024-01-01T00:00:00', '2024-01-01T00:00:00.500000', '2024-01-01T12:30:00', '2023-12-31T23:59:59.999999'] },
  big: { type: 'bigint', values: ['-9007199254740993', '0', '9007199254740993', '9007199254740994'] },
};
const FIELDS = Object.keys(POOLS);
const COLUMNS: FixtureColumn[] = [{ name: 'id', type: 'integer' }, ...FIELDS.map((name) => ({ name, type: POOLS[name]!.type }))];
const TYPES: Record<string, ColumnType> = Object.fromEntries(COLUMNS.map((c) => [c.name, c.type]));

const cell = (field: string) => fc.option(fc.constantFrom(...POOLS[field]!.values), { nil: null, freq: 4 });

const rowArb = fc.record(Object.fromEntries(FIELDS.map((f) => [f, cell(f)])) as Record<string, fc.Arbitrary<WarehouseValue>>);

/** A filter value as the API receives it; dates of timestamp columns sometimes without a time or with `Z`. */
function filterValue(field: string): fc.Arbitrary<string | number | boolean> {
  const base = fc.constantFrom(...POOLS[field]!.values);
  if (POOLS[field]!.type === 'timestamp') return fc.oneof(base, base.map((v) => `${v}Z`), fc.constant('2024-01-01'));
  if (POOLS[field]!.type === 'bigint') return fc.oneof(base, fc.constant('-5'));
  return base;
}

const filterArb: fc.Arbitrary<Filter> = fc.constantFrom(...FIELDS).chain((field): fc.Arbitrary<Filter> => {
  if (POOLS[field]!.type === 'boolean') {
    return fc
      .tuple(fc.constantFrom('includes' as const, 'excludes' as const), fc.subarray([true, false, null] as FilterValue[], { minLength: 1, maxLength: 2 }))
      .map(([relation, value]) => ({ field_name: field, relation, value }));
  }
  const value = filterValue(field);
  const list = fc.tuple(fc.array(value, { minLength: 0, maxLength: 3 }), fc.boolean()).map(([vs, withNull]) => [...vs, ...(withNull || vs.length === 0 ? [null] : [])]);
  const between = fc
    .tuple(fc.option(value, { nil: null }), fc.option(value, { nil: null }), fc.boolean())
    .filter(([lo, hi]) => lo !== null || hi !== null)
    .map(([lo, hi, orNull]) => (orNull ? [lo, hi, null] : [lo, hi]));
  return fc.oneof(
    fc.tuple(fc.constantFrom('includes' as const, 'excludes' as const), list).map(([relation, v]) => ({ field_name: field, relation, value: v })),
    between.map((v) => ({ field_name: field, relation: 'between' as const, value: v })),
  );
});

const caseArb = fc.record({
  rows: fc.array(rowArb, { minLength: 0, maxLength: MAX_ROWS }),
  filterSets: fc.array(fc.array(filterArb, { minLength: 1, maxLength: 3 }), { minLength: FILTER_SETS_PER_TABLE, maxLength: FILTER_SETS_PER_TABLE }),
});

describe('filters select the same ids on every engine and in memory', () => {
  let engines: EngineName[] = [];
  beforeAll(async () => {
    const up = await availableEngines();
    engines = (['duckdb', 'postgres', 'mariadb'] as const).filter((e) => up[e]);
    // Locally a missing server narrows the comparison; in CI every engine must take part.
    if (REQUIRE_SERVICES && engines.length < 3) throw new Error(`REQUIRE_SERVICES=1 but only ${engines.join(', ')} can run`);
  });

  it(`agrees on ${PROPERTY_RUNS} random tables × ${FILTER_SETS_PER_TABLE} filter sets (seed ${PROPERTY_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ rows, filterSets }) => {
        const table: FixtureTable = { name: 'random_people', primaryKey: 'id', columns: COLUMNS, rows: rows.map((r, i) => ({ id: i + 1, ...r })) };
        const handles = await Promise.all(engines.map((e) => createTestWarehouse(e, [table])));
        try {
          for (const filters of filterSets) {
            const expected = table.rows.filter((r) => rowPassesFilters(r, filters, TYPES)).map((r) => Number(r['id']));
            for (const [i, handle] of handles.entries()) {
              const got = await handle.warehouse.sample({ table: table.name, columns: ['id'], filters, limit: MAX_ROWS + 1 });
              const ids = got.map((r) => Number(r['id'])).sort((a, b) => a - b);
              expect({ engine: engines[i], filters, ids }).toEqual({ engine: engines[i], filters, ids: expected });
            }
          }
        } finally {
          await Promise.all(handles.map((h) => h.close()));
        }
      }),
      { seed: PROPERTY_SEED, numRuns: PROPERTY_RUNS },
    );
  });
});
