/** Value typing and relation rules of filters (spec §3.4), checked without any database. */
import { describe, expect, it } from 'vitest';
import { bindableFilterValue, validateFilters } from './filter-values.ts';
import type { ColumnType, Filter } from './warehouse.ts';

const COLUMNS: Record<string, ColumnType> = {
  name: 'string',
  score: 'float',
  amount: 'decimal',
  age: 'integer',
  flag: 'boolean',
  big: 'bigint',
  d: 'date',
  ts: 'timestamp',
  tz: 'timestamptz',
  u: 'uuid',
  blob: 'unsupported',
};

function problems(filter: Filter): string[] {
  return validateFilters([filter], COLUMNS).map((i) => `${i.loc.join('.')}: ${i.msg}`);
}

describe('validateFilters value typing', () => {
  it.each<[string, Filter['value']]>([
    ['name', ['a', null]],
    ['score', [1, 2.5]],
    ['amount', [3]],
    ['age', [18]],
    ['flag', [true, null]],
    ['big', [5, '9223372036854775807', '-9223372036854775808']],
    ['d', ['2024-02-29', '2024-02-29T10:00:00Z']],
    ['ts', ['2024-01-01T10:00:00', '2024-01-01 10:00:00.123456789+00:00', '2024-01-01T10:00Z']],
    ['tz', ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00-00:00']],
    ['u', ['c0ffee00-0000-4000-8000-000000000000', 'C0FFEE000000400080000000000000AA']],
  ])('accepts %s = %j', (field_name, value) => {
    expect(problems({ field_name, relation: 'includes', value })).toEqual([]);
  });

  it.each<[string, Filter['value'][number], string]>([
    ['flag', 'true', 'Boolean columns need true or false.'],
    ['name', 1, 'String columns need a string value.'],
    ['u', 'not-a-uuid', 'UUID columns need a UUID string.'],
    ['age', 1.5, 'Integer columns need an integer.'],
    ['age', '18', 'Integer columns need an integer.'],
    ['score', Number.NaN, 'Numeric columns need a finite number.'],
    ['amount', Number.POSITIVE_INFINITY, 'Numeric columns need a finite number.'],
    ['score', true, 'Numeric columns need a finite number.'],
    ['big', '12.5', 'Bigint columns need an integer or a decimal integer string.'],
    ['big', '9223372036854775808', 'Bigint value is out of the 64-bit range.'],
    ['big', 2 ** 60, 'Bigint columns need an integer (send large values as a decimal string).'],
    ['d', 20240101, 'Date and timestamp columns need an ISO 8601 string.'],
    ['d', '2023-02-29', "Value '2023-02-29' is not a valid calendar date."],
    ['ts', 'yesterday', "Value 'yesterday' is not an ISO 8601 date or datetime."],
    ['ts', '2024-01-01T25:00:00', "Value '2024-01-01T25:00:00' has an invalid time of day."],
    ['tz', '2024-01-01T10:00:00+02:00', "Value '2024-01-01T10:00:00+02:00' must be in UTC (offset Z or +00:00)."],
    ['blob', 'x', 'Filters are not supported on this column type.'],
  ])('rejects %s = %j', (field_name, bad, msg) => {
    expect(problems({ field_name, relation: 'includes', value: [bad] })).toEqual([`0.value.0: ${msg}`]);
  });

  it('names unknown and malformed fields', () => {
    expect(problems({ field_name: 'nope', relation: 'includes', value: ['a'] })).toEqual([
      "0.field_name: Column 'nope' does not exist in the table.",
    ]);
    expect(problems({ field_name: 'a b', relation: 'includes', value: ['a'] })).toEqual([
      "0.field_name: Invalid field name 'a b'.",
    ]);
    expect(validateFilters([{ field_name: 'constructor', relation: 'includes', value: ['a'] }], COLUMNS)).toHaveLength(1);
  });
});

describe('validateFilters relation rules', () => {
  it('needs 2 or 3 values for between, a null third value and at most one null bound', () => {
    expect(problems({ field_name: 'age', relation: 'between', value: [1] })).toEqual([
      '0.value: between needs exactly 2 values, or 3 with a trailing null.',
    ]);
    expect(problems({ field_name: 'age', relation: 'between', value: [1, 2, 3, 4] })).toHaveLength(1);
    expect(problems({ field_name: 'age', relation: 'between', value: [1, 2, 3] })).toEqual([
      '0.value.2: The third value of between may only be null.',
    ]);
    expect(problems({ field_name: 'age', relation: 'between', value: [null, null] })).toEqual([
      '0.value: At most one bound of between may be null.',
    ]);
    expect(problems({ field_name: 'age', relation: 'between', value: [null, 5, null] })).toEqual([]);
  });

  it('needs same-typed between bounds', () => {
    expect(problems({ field_name: 'big', relation: 'between', value: [1, '5'] })).toEqual([
      '0.value: The bounds of between must be the same type (got number and string).',
    ]);
  });

  it('needs a non-empty list for includes and excludes', () => {
    expect(problems({ field_name: 'name', relation: 'includes', value: [] })).toEqual([
      '0.value: includes needs at least one value.',
    ]);
    expect(problems({ field_name: 'name', relation: 'excludes', value: [] })).toEqual([
      '0.value: excludes needs at least one value.',
    ]);
  });

  it('refuses between, duplicates and all-three-values on booleans', () => {
    expect(problems({ field_name: 'flag', relation: 'between', value: [false, true] })).toEqual([
      '0.relation: Boolean columns cannot use between.',
    ]);
    expect(problems({ field_name: 'flag', relation: 'includes', value: [true, true] })).toEqual([
      '0.value: Boolean filter values must not repeat.',
    ]);
    expect(problems({ field_name: 'flag', relation: 'excludes', value: [true, false, null] })).toEqual([
      '0.value: A boolean excludes of true, false and null is not allowed.',
    ]);
  });

  it('locates problems by filter index so callers can prefix the request path', () => {
    const issues = validateFilters(
      [
        { field_name: 'name', relation: 'includes', value: ['ok'] },
        { field_name: 'age', relation: 'includes', value: [1, 'two'] },
      ],
      COLUMNS,
    );
    expect(issues).toEqual([{ loc: [1, 'value', 1], msg: 'Integer columns need an integer.', type: 'value_error' }]);
  });
});

describe('bindableFilterValue', () => {
  it('canonicalizes temporal, bigint and uuid values', () => {
    expect(bindableFilterValue('date', '2024-01-02T23:59:59Z')).toBe('2024-01-02');
    expect(bindableFilterValue('timestamp', '2024-01-02T03:04:05.1234567Z')).toBe('2024-01-02 03:04:05.123456');
    expect(bindableFilterValue('timestamptz', '2024-01-02T03:04')).toBe('2024-01-02 03:04:00+00:00');
    expect(bindableFilterValue('bigint', 42)).toBe('42');
    expect(bindableFilterValue('uuid', 'C0FFEE000000400080000000000000AA')).toBe('c0ffee00-0000-4000-8000-0000000000aa');
    expect(bindableFilterValue('float', 1.5)).toBe(1.5);
  });
});
