import { describe, expect, it } from 'vitest';
import type { ColumnType, FilterSpec } from '../api-types.ts';
import { describeFilter, emptyFilter, filterFromSpec, filterToSpec, filterValueProblems, operatorsFor, parseValue, type WizardFilter } from './filters.ts';

const f = (patch: Partial<WizardFilter>): WizardFilter => ({ ...emptyFilter('f1'), field: 'x', ...patch });

describe('type-aware operators', () => {
  it('offers "is" for booleans, lists for text, ranges for numbers and dates, missing/has-value for all', () => {
    expect(operatorsFor('boolean')).toEqual(['is', 'is_missing', 'has_value']);
    expect(operatorsFor('string')).toEqual(['one_of', 'not_one_of', 'is_missing', 'has_value']);
    expect(operatorsFor('uuid')).toEqual(operatorsFor('string'));
    for (const t of ['integer', 'bigint', 'float', 'decimal', 'date', 'timestamp', 'timestamptz'] as ColumnType[]) {
      expect(operatorsFor(t)).toEqual(['one_of', 'not_one_of', 'at_least', 'at_most', 'between', 'is_missing', 'has_value']);
    }
    expect(operatorsFor('unsupported')).toEqual([]);
  });
});

describe('parseValue', () => {
  it('types values the way the API checks them', () => {
    expect(parseValue('integer', ' 18 ')).toEqual({ ok: true, value: 18 });
    expect(parseValue('integer', '18.5').ok).toBe(false);
    expect(parseValue('bigint', '9223372036854775807')).toEqual({ ok: true, value: '9223372036854775807' });
    expect(parseValue('bigint', '9223372036854775808').ok).toBe(false);
    expect(parseValue('float', '2.5e3')).toEqual({ ok: true, value: 2500 });
    expect(parseValue('float', 'abc').ok).toBe(false);
    expect(parseValue('date', '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseValue('date', '2023-02-29')).toEqual({ ok: false, message: "'2023-02-29' is not a date (YYYY-MM-DD)." });
    expect(parseValue('timestamp', '2024-05-01T13:45')).toEqual({ ok: true, value: '2024-05-01T13:45:00' });
    expect(parseValue('timestamptz', '2024-05-01T13:45')).toEqual({ ok: true, value: '2024-05-01T13:45:00Z' });
    expect(parseValue('uuid', 'not-a-uuid').ok).toBe(false);
    expect(parseValue('string', '  KE ')).toEqual({ ok: true, value: 'KE' });
    expect(parseValue('string', '   ')).toEqual({ ok: false, message: 'Enter a value.' });
  });
});

describe('filterToSpec: the sentence on the wire', () => {
  it('maps every operator to the API relations, with "or missing" where asked', () => {
    expect(filterToSpec(f({ op: 'is', bool: 'false' }), 'boolean')).toEqual({ field_name: 'x', relation: 'includes', value: [false] });
    expect(filterToSpec(f({ op: 'is', bool: 'true', orNull: true }), 'boolean')).toEqual({ field_name: 'x', relation: 'includes', value: [true, null] });
    expect(filterToSpec(f({ op: 'one_of', values: 'KE\n\nNG\n' }), 'string')).toEqual({ field_name: 'x', relation: 'includes', value: ['KE', 'NG'] });
    expect(filterToSpec(f({ op: 'one_of', values: '1\n2', orNull: true }), 'integer')).toEqual({ field_name: 'x', relation: 'includes', value: [1, 2, null] });
    expect(filterToSpec(f({ op: 'at_least', low: '18' }), 'integer')).toEqual({ field_name: 'x', relation: 'between', value: [18, null] });
    expect(filterToSpec(f({ op: 'at_most', high: '2024-01-31', orNull: true }), 'date')).toEqual({ field_name: 'x', relation: 'between', value: [null, '2024-01-31', null] });
    expect(filterToSpec(f({ op: 'between', low: '1.5', high: '3' }), 'float')).toEqual({ field_name: 'x', relation: 'between', value: [1.5, 3] });
    expect(filterToSpec(f({ op: 'is_missing' }), 'string')).toEqual({ field_name: 'x', relation: 'includes', value: [null] });
    expect(filterToSpec(f({ op: 'has_value' }), 'string')).toEqual({ field_name: 'x', relation: 'excludes', value: [null] });
  });

  it('"is not one of" drops missing values unless "or missing" is on (excludes keeps NULLs unless null is listed)', () => {
    expect(filterToSpec(f({ op: 'not_one_of', values: 'US' }), 'string')).toEqual({ field_name: 'x', relation: 'excludes', value: ['US', null] });
    expect(filterToSpec(f({ op: 'not_one_of', values: 'US', orNull: true }), 'string')).toEqual({ field_name: 'x', relation: 'excludes', value: ['US'] });
  });
});

describe('filterFromSpec: stored filters back into sentences', () => {
  const cases: Array<[FilterSpec, ColumnType]> = [
    [{ field_name: 'x', relation: 'includes', value: [false] }, 'boolean'],
    [{ field_name: 'x', relation: 'includes', value: [true, null] }, 'boolean'],
    [{ field_name: 'x', relation: 'includes', value: ['KE', 'NG'] }, 'string'],
    [{ field_name: 'x', relation: 'excludes', value: ['US', null] }, 'string'],
    [{ field_name: 'x', relation: 'excludes', value: ['US'] }, 'string'],
    [{ field_name: 'x', relation: 'between', value: [18, null] }, 'integer'],
    [{ field_name: 'x', relation: 'between', value: [null, '2024-01-31', null] }, 'date'],
    [{ field_name: 'x', relation: 'between', value: [1.5, 3] }, 'float'],
    [{ field_name: 'x', relation: 'between', value: ['2024-05-01T13:45:00Z', null] }, 'timestamptz'],
    [{ field_name: 'x', relation: 'includes', value: [null] }, 'integer'],
    [{ field_name: 'x', relation: 'excludes', value: [null] }, 'integer'],
  ];
  it.each(cases)('round-trips %j', (spec, type) => {
    expect(filterToSpec(filterFromSpec(spec, type, 'k'), type)).toEqual(spec);
  });

  it('reads boolean excludes as the states they keep', () => {
    // excludes [true] keeps false and NULL: "is false, or missing".
    expect(filterFromSpec({ field_name: 'x', relation: 'excludes', value: [true] }, 'boolean', 'k')).toMatchObject({ op: 'is', bool: 'false', orNull: true });
    expect(filterFromSpec({ field_name: 'x', relation: 'excludes', value: [true, false] }, 'boolean', 'k')).toMatchObject({ op: 'is_missing' });
  });
});

describe('filterValueProblems', () => {
  it('names the input with the problem', () => {
    expect(filterValueProblems(f({ op: 'one_of', values: '' }), 'string')).toEqual({ values: 'Enter at least one value, one per line.' });
    expect(filterValueProblems(f({ op: 'one_of', values: '1\nx' }), 'integer')).toEqual({ values: "'x' is not a whole number." });
    expect(filterValueProblems(f({ op: 'between', low: '', high: '3' }), 'integer')).toEqual({ low: 'Enter a value.' });
    expect(filterValueProblems(f({ op: 'between', low: '40', high: '30' }), 'integer')).toEqual({ high: 'The upper bound must not be below the lower bound.' });
    expect(filterValueProblems(f({ op: 'between', low: '2024-02-01', high: '2024-01-01' }), 'date').high).toBeDefined();
    expect(filterValueProblems(f({ op: 'between', low: '10', high: '9' }), 'bigint').high).toBeDefined();
    expect(filterValueProblems(f({ op: 'has_value' }), 'integer')).toEqual({});
  });
});

describe('describeFilter', () => {
  it('reads like a sentence', () => {
    expect(describeFilter({ field_name: 'age', relation: 'between', value: [18, 35, null] })).toBe('age between 18 and 35, or missing');
    expect(describeFilter({ field_name: 'age', relation: 'between', value: [null, 35] })).toBe('age ≤ 35');
    expect(describeFilter({ field_name: 'country', relation: 'includes', value: ['KE', 'NG'] })).toBe('country is one of KE, NG');
    expect(describeFilter({ field_name: 'country', relation: 'excludes', value: ['US', null] })).toBe('country is not US (missing values excluded)');
    expect(describeFilter({ field_name: 'income', relation: 'excludes', value: [null] })).toBe('income has a value');
  });
});
