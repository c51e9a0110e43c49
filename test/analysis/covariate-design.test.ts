/**
 * The covariate encoding shared by Lin's adjustment and the balance check, on hand-made columns: mean
 * imputation with an indicator only from 20 missing values, rare levels merged, single-level and empty
 * columns dropped with a reason, too many levels refused.
 */
import { expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.ts';
import { encodeCovariates, MAX_LEVELS } from '../../src/services/analysis/covariate-design.ts';
import { ParticipantColumns } from '../../src/services/analysis/participant-columns.ts';
import type { WarehouseValue } from '../../src/warehouse/warehouse.ts';

function store(columns: Record<string, { kind: 'numeric' | 'categorical'; values: WarehouseValue[] }>, found?: boolean[]) {
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.values.length;
  const s = new ParticipantColumns({ metrics: [], covariates: names.map((name) => ({ name, kind: columns[name]!.kind })), clustered: false });
  s.append({
    size: n,
    arms: new Int32Array(n).map((_, i) => i % 2),
    clusters: null,
    found: Uint8Array.from(found ?? new Array<boolean>(n).fill(true), (f) => (f ? 1 : 0)),
    values: Object.fromEntries(names.map((name) => [name, columns[name]!.values])),
  });
  return s;
}

it('imputes the mean of the participants found, adding an indicator only from 20 missing values', () => {
  const few = Array.from({ length: 100 }, (_, i): WarehouseValue => (i < 19 ? null : i));
  const many = Array.from({ length: 100 }, (_, i): WarehouseValue => (i < 20 ? null : i));
  // The last participant is absent from the warehouse: its (large) value is not in the mean.
  const found = Array.from({ length: 101 }, (_, i) => i < 100);
  const e = encodeCovariates(store({ few: { kind: 'numeric', values: [...few, 1e9] }, many: { kind: 'numeric', values: [...many, 1e9] } }, found), ['few', 'many']);
  expect(e.names).toEqual(['few', 'many', 'many:missing']);
  const meanFew = Array.from({ length: 81 }, (_, i) => i + 19).reduce((a, b) => a + b, 0) / 81;
  expect(e.columns[0]![0]).toBeCloseTo(meanFew, 12);
  expect(e.columns[0]![50]).toBe(50);
  expect(e.columns[0]![100]).toBe(0); // absent: not used anywhere
  expect(Array.from(e.columns[2]!).slice(0, 21)).toEqual([...new Array<number>(20).fill(1), 0]);
});

it('turns categories into dummies of code-point-ordered levels, merging rare ones and keeping a NULL level', () => {
  const values: WarehouseValue[] = [...new Array<WarehouseValue>(30).fill('b'), ...new Array<WarehouseValue>(25).fill('a'), ...new Array<WarehouseValue>(5).fill('z'), ...new Array<WarehouseValue>(22).fill(null), 'Q'];
  const e = encodeCovariates(store({ plan: { kind: 'categorical', values } }), ['plan']);
  expect(e.names).toEqual(['plan=b', 'plan=__OTHER__', 'plan=__NULL__']);
  expect(e.columns[1]![57]).toBe(1); // 'z' is rare
  expect(e.columns[1]![82]).toBe(1); // 'Q' too
  expect(e.columns[2]![70]).toBe(1);
  expect(e.columns.every((c) => c[40] === 0)).toBe(true); // 'a', the reference level
});

it('drops columns that cannot vary and refuses too many levels', () => {
  const e = encodeCovariates(
    store({ same: { kind: 'categorical', values: new Array<WarehouseValue>(40).fill('x') }, empty: { kind: 'numeric', values: new Array<WarehouseValue>(40).fill(null) } }),
    ['same', 'empty'],
  );
  expect(e.names).toEqual([]);
  expect(e.dropped).toEqual([
    { field: 'same', reason: 'only one level' },
    { field: 'empty', reason: 'no participant has a value' },
  ]);
  const wide = Array.from({ length: (MAX_LEVELS + 1) * 20 }, (_, i): WarehouseValue => `level${Math.floor(i / 20)}`);
  expect(() => encodeCovariates(store({ wide: { kind: 'categorical', values: wide } }), ['wide'])).toThrow(ValidationError);
});
