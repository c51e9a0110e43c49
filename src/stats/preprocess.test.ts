import { describe, expect, it } from 'vitest';
import fixture from './fixtures/balance.json' with { type: 'json' };
import { MISSING_LEVEL, preprocess, qcut } from './preprocess.ts';

describe('qcut', () => {
  it('reproduces the stats.md §2.5 vectors exactly', () => {
    expect(Array.from(qcut([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4).labels)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 3]);
    expect(qcut([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4).edges).toEqual([0, 2.25, 4.5, 6.75, 9]);
    const withNulls = qcut([0, 0, 0, 0, 0, 0, 4, 4, null, null], 4);
    expect(Array.from(withNulls.labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, -1, -1]);
    expect(withNulls.edges).toEqual([0, 1, 4]);
    expect(Array.from(qcut([1, 1, 1, 1, 2, 3], 4).labels)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(qcut([1, 1, 1, 1, 2, 3], 4).edges).toEqual([1, 1.75, 3]);
    const gap = qcut([1.5, 2.5, 2.5, 2.5, 10, 11, 12, 100], 4);
    expect(Array.from(gap.labels)).toEqual([0, 0, 0, 0, 2, 2, 3, 3]);
    expect(gap.edges).toEqual([1.5, 2.5, 6.25, 11.25, 100]);
  });

  it('matches pandas qcut(duplicates="drop") labels and edges bit for bit on the fixture cases', () => {
    for (const c of fixture.qcut) {
      const got = qcut(c.values, c.q);
      expect(Array.from(got.labels, (l) => (l < 0 ? null : l))).toEqual(c.labels);
      expect(got.edges).toEqual(c.edges);
    }
  });
});

describe('preprocess', () => {
  it('keeps an empty interior bin out of the levels and adds the missing level last', () => {
    const p = preprocess({ x: [1.5, 2.5, 2.5, 2.5, 10, 11, 12, 100, null] });
    const x = p.columns[0]!;
    expect(x.kind).toBe('binned');
    expect(x.levels).toEqual(['0', '2', '3', MISSING_LEVEL]);
    expect(Array.from(x.codes)).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 3]);
    expect(x.raw).toBeUndefined();
  });

  it('keeps raw values for numeric columns without nulls and never bins booleans', () => {
    const p = preprocess({ n: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], b: [true, false, true, false, true, false, true, false, true, true] });
    const [b, n] = p.columns;
    expect(b!.kind).toBe('categorical');
    expect(b!.levels).toEqual(['false', 'true']);
    expect(n!.levels).toHaveLength(4);
    expect(Array.from(n!.raw!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives ints with one null five levels and strings a missing level', () => {
    const p = preprocess({ i: [0, 1, 2, 3, 4, 5, 6, 7, 8, null], s: ['a', 'b', 'a', null, 'b', 'a', 'b', 'a', 'b', 'a'] });
    expect(p.columns[0]!.levels).toEqual(['0', '1', '2', '3', MISSING_LEVEL]);
    expect(p.columns[1]!.levels).toEqual(['a', 'b', MISSING_LEVEL]);
  });

  it('excludes constant and unique non-numeric columns but keeps unique numbers (stats.md §2.5 exclusion set)', () => {
    const p = preprocess({
      constInt: [1, 1, 1, 1],
      constStr: ['a', 'a', 'a', 'a'],
      constFloatNaN: [2.5, Number.NaN, 2.5, 2.5],
      constBoolNull: [true, null, true, true],
      uniqueStrings: ['u1', 'u2', 'u3', 'u4'],
      abNulls: ['a', 'b', null, null],
      uniqueInts: [10, 20, 30, 40],
      kept: ['x', 'y', 'x', 'y'],
    }, { exclude: ['id'] });
    expect(p.excluded).toEqual(['abNulls', 'constBoolNull', 'constFloatNaN', 'constInt', 'constStr', 'id', 'uniqueStrings']);
    expect(p.columns.map((c) => c.name)).toEqual(['kept', 'uniqueInts']);
  });
});
