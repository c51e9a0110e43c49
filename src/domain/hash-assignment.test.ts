/** Every case of GrowthBook's shared conformance data (`reference/vectors/hash-assignment-cases.json`). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketRanges, chooseVariation, equalWeights, fnv1a32, hashAssignment, hashUnit, inNamespace, type BucketRange } from './hash-assignment.ts';

// A copy of `reference/vectors/hash-assignment-cases.json` (data, MIT), kept in the repo so CI needs nothing outside it.
const VECTORS = path.resolve(import.meta.dirname, 'fixtures/hash-assignment-cases.json');
const cases = JSON.parse(fs.readFileSync(VECTORS, 'utf8')) as {
  hash: [string, string, number, number | null][];
  getBucketRange: [string, [number, number, number[] | null], [number, number][]][];
  chooseVariation: [string, number, [number, number][], number][];
  inNamespace: [string, string, [string, number, number], boolean][];
  getEqualWeights: [number, number[]][];
};

describe('GrowthBook hash vectors', () => {
  it('has every group of cases', () => {
    expect(cases.hash).toHaveLength(15);
    expect(cases.getBucketRange).toHaveLength(13);
    expect(cases.chooseVariation).toHaveLength(13);
    expect(cases.inNamespace).toHaveLength(16);
    expect(cases.getEqualWeights).toHaveLength(6);
  });

  it.each(cases.hash)('hash(%j, %j, v%i) = %j', (seed, value, version, expected) => {
    const got = hashUnit(seed, value, version);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBe(expected);
  });

  it.each(cases.getBucketRange)('getBucketRange: %s', (_name, [n, coverage, weights], expected) => {
    const got = bucketRanges(n, coverage, weights);
    expect(got).toHaveLength(expected.length);
    got.forEach(([start, end], i) => {
      expect(start).toBeCloseTo((expected[i] as [number, number])[0], 9);
      expect(end).toBeCloseTo((expected[i] as [number, number])[1], 9);
    });
  });

  it.each(cases.chooseVariation)('chooseVariation: %s', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges as BucketRange[])).toBe(expected);
  });

  it.each(cases.inNamespace)('inNamespace: %s', (_name, id, ns, expected) => {
    expect(inNamespace(id, ns)).toBe(expected);
  });

  it.each(cases.getEqualWeights)('getEqualWeights(%i)', (n, expected) => {
    const got = equalWeights(n);
    expect(got).toHaveLength(expected.length);
    got.forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 8));
  });
});

describe('hashAssignment', () => {
  it('is FNV-1a 32-bit on the textbook vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('records the bucket the arm was chosen from and splits 50/50 roughly evenly', () => {
    const counts = [0, 0];
    for (let i = 0; i < 20_000; i++) {
      const a = hashAssignment('exp_seed', `p${i}`, null, 2);
      expect(a.bucket).toBe(Math.round((hashUnit('exp_seed', `p${i}`, 2) as number) * 10_000));
      expect(a.armIndex).toBe(a.bucket < 5000 ? 0 : 1);
      counts[a.armIndex] = (counts[a.armIndex] as number) + 1;
    }
    expect(Math.abs((counts[0] as number) - 10_000)).toBeLessThan(400);
  });

  it('honours weights in design order', () => {
    const a = hashAssignment('s', 'x', [0.2, 0.8], 2);
    expect(a.armIndex).toBe(a.bucket < 2000 ? 0 : 1);
  });
});
