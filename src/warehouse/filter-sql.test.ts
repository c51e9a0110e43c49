/** Pins the SQL text the filter compiler emits per dialect, one case per row of spec §3.4's table. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import { compileFilters, duckdbDialect, postgresDialect, type DialectName } from './filter-sql.ts';
import type { ColumnType, Filter } from './warehouse.ts';

const COLUMNS: Record<string, ColumnType> = {
  name: 'string',
  score: 'float',
  age: 'integer',
  flag: 'boolean',
  big: 'bigint',
  d: 'date',
  ts: 'timestamp',
  tz: 'timestamptz',
  u: 'uuid',
};

function testSql(dialect: DialectName, filters: Filter[], expected: { sql: string; params: unknown[] }): void {
  expect(compileFilters(filters, COLUMNS, dialect)).toEqual(expected);
}

const f = (field_name: string, relation: Filter['relation'], value: Filter['value']): Filter => ({
  field_name,
  relation,
  value,
});

// DuckDB and PostgreSQL share placeholder and quoting styles, so each case is pinned for both.
for (const dialect of ['duckdb', 'postgres'] as const) {
  describe(`compileFilters (${dialect})`, () => {
    it('gives TRUE for no filters', () => {
      testSql(dialect, [], { sql: 'TRUE', params: [] });
    });

    it('includes [null]', () => {
      testSql(dialect, [f('name', 'includes', [null])], { sql: '("name" IS NULL)', params: [] });
    });

    it('includes values', () => {
      testSql(dialect, [f('name', 'includes', ['a', 'b'])], { sql: '("name" IN ($1, $2))', params: ['a', 'b'] });
    });

    it('includes values and null', () => {
      testSql(dialect, [f('name', 'includes', ['a', null])], {
        sql: '("name" IS NULL OR "name" IN ($1))',
        params: ['a'],
      });
    });

    it('excludes [null]', () => {
      testSql(dialect, [f('name', 'excludes', [null])], { sql: '("name" IS NOT NULL)', params: [] });
    });

    it('excludes values and null', () => {
      testSql(dialect, [f('name', 'excludes', ['a', null])], {
        sql: '("name" IS NOT NULL AND "name" NOT IN ($1))',
        params: ['a'],
      });
    });

    it('excludes values keeps NULL rows', () => {
      testSql(dialect, [f('name', 'excludes', ['a', 'b'])], {
        sql: '("name" IS NULL OR "name" NOT IN ($1, $2))',
        params: ['a', 'b'],
      });
    });

    it('between two bounds', () => {
      testSql(dialect, [f('score', 'between', [1, 2.5])], { sql: '("score" BETWEEN $1 AND $2)', params: [1, 2.5] });
    });

    it('between open-ended bounds', () => {
      testSql(dialect, [f('score', 'between', [null, 2.5])], { sql: '("score" <= $1)', params: [2.5] });
      testSql(dialect, [f('score', 'between', [1, null])], { sql: '("score" >= $1)', params: [1] });
    });

    it('between with a trailing null also matches NULL', () => {
      testSql(dialect, [f('age', 'between', [18, 65, null])], {
        sql: '(("age" BETWEEN $1 AND $2) OR "age" IS NULL)',
        params: [18, 65],
      });
      testSql(dialect, [f('age', 'between', [18, null, null])], {
        sql: '(("age" >= $1) OR "age" IS NULL)',
        params: [18],
      });
    });

    it('booleans compare with IS literals, never parameters', () => {
      testSql(dialect, [f('flag', 'includes', [true, null])], { sql: '("flag" IS TRUE OR "flag" IS NULL)', params: [] });
      testSql(dialect, [f('flag', 'excludes', [false])], { sql: '("flag" IS NOT FALSE)', params: [] });
      testSql(dialect, [f('flag', 'excludes', [true, null])], {
        sql: '("flag" IS NOT TRUE AND "flag" IS NOT NULL)',
        params: [],
      });
    });

    it('casts date, timestamp, bigint and uuid parameters and binds canonical strings', () => {
      testSql(
        dialect,
        [
          f('d', 'between', ['2024-01-01T10:00:00Z', '2024-12-31']),
          f('ts', 'includes', ['2024-01-01T10:00:00.1234567Z']),
          f('tz', 'excludes', ['2024-01-01T10:00:00']),
          f('big', 'includes', ['9007199254740993', 5]),
          f('u', 'includes', ['C0FFEE000000400080000000000000AA']),
        ],
        {
          sql:
            '("d" BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)) AND ("ts" IN (CAST($3 AS TIMESTAMP)))' +
            ' AND ("tz" IS NULL OR "tz" NOT IN (CAST($4 AS TIMESTAMPTZ)))' +
            ' AND ("big" IN (CAST($5 AS BIGINT), CAST($6 AS BIGINT))) AND ("u" IN (CAST($7 AS UUID)))',
          params: [
            '2024-01-01',
            '2024-12-31',
            '2024-01-01 10:00:00.123456',
            '2024-01-01 10:00:00+00:00',
            '9007199254740993',
            '5',
            'c0ffee00-0000-4000-8000-0000000000aa',
          ],
        },
      );
    });

    it('numbers parameters after the caller’s own', () => {
      expect(compileFilters([f('name', 'includes', ['a'])], COLUMNS, dialect, { firstParamIndex: 3 })).toEqual({
        sql: '("name" IN ($3))',
        params: ['a'],
      });
    });
  });
}

describe('compileFilters refuses unsafe input', () => {
  it('rejects a field name that is not a plain identifier, even if it is a column', () => {
    const columns = { 'x" OR 1=1 --': 'string' as const };
    expect(() => compileFilters([f('x" OR 1=1 --', 'includes', ['a'])], columns, 'duckdb')).toThrow(ValidationError);
  });

  it('rejects a value of the wrong type with the problem located', () => {
    try {
      compileFilters([f('age', 'includes', ['18'])], COLUMNS, 'postgres');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { loc: [0, 'value', 0], msg: 'Integer columns need an integer.', type: 'value_error' },
      ]);
    }
  });

  it('quotes identifiers by doubling inner double quotes', () => {
    expect(duckdbDialect.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(postgresDialect.quoteIdentifier('plain')).toBe('"plain"');
  });
});
