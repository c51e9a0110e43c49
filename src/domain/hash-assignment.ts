/**
 * Deterministic assignment compatible with GrowthBook SDKs (reference `peers.md` §2.1), so a client can
 * recompute an online experiment's arm offline: 32-bit FNV-1a hashing (versions 1 and 2), bucket ranges
 * built from weights and coverage, the choice of a variation from a hash, namespaces and equal weights.
 * Hash version 2 has 10,000 buckets (4 decimal places); version 1 has 1,000 and is kept for parity only.
 *
 * @example
 *   const n = hashUnit('exp_abc', 'participant-7', 2);        // 0.5123
 *   const ranges = bucketRanges(2, 1, [0.5, 0.5]);            // [[0, 0.5], [0.5, 1]]
 *   chooseVariation(n as number, ranges);                     // 1
 */

export type HashVersion = 1 | 2;
export type BucketRange = readonly [start: number, end: number];

/** Buckets of hash version 2; a stored bucket is `round(unit × HASH_BUCKETS)`. */
export const HASH_BUCKETS = 10_000;
const FNV_OFFSET_BASIS_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;
/** Weights summing outside [0.99, 1.01] are treated as a mistake and replaced by equal weights. */
const WEIGHT_SUM_TOLERANCE = 0.01;

/**
 * 32-bit FNV-1a over UTF-16 code units (as the JavaScript SDK iterates strings, so non-ASCII ids hash the
 * same in every GrowthBook SDK that follows it), returned as an unsigned integer.
 */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET_BASIS_32;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME_32);
  }
  return h >>> 0;
}

/**
 * Where `value` falls in [0, 1) for `seed`: version 1 hashes `value + seed` into 1,000 steps; version 2
 * hashes `seed + value`, then the decimal text of that hash again, into 10,000 steps (GrowthBook's
 * "unbiased" form). Unknown versions give null (the participant is excluded).
 */
export function hashUnit(seed: string, value: string, version: number): number | null {
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % HASH_BUCKETS) / HASH_BUCKETS;
  return null;
}

/** `n` equal weights summing to 1 (none for n < 1). */
export function equalWeights(n: number): number[] {
  if (n < 1) return [];
  return Array.from({ length: n }, () => 1 / n);
}

/**
 * Contiguous ranges on [0, 1), one per variation, each starting where the previous weight ended and
 * shrunk to `coverage × weight` at its left edge, so lowering coverage never moves an included
 * participant to another arm. Coverage is clamped to [0, 1]; weights of the wrong length or a sum far
 * from 1 fall back to equal weights.
 */
export function bucketRanges(numVariations: number, coverage: number, weights?: readonly number[] | null): BucketRange[] {
  const clamped = Math.min(1, Math.max(0, coverage));
  let w: readonly number[] = weights ?? equalWeights(numVariations);
  if (w.length !== numVariations) w = equalWeights(numVariations);
  const sum = w.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) w = equalWeights(numVariations);
  let start = 0;
  return w.map((weight) => {
    const range: BucketRange = [start, start + clamped * weight];
    start += weight;
    return range;
  });
}

/** The index of the range holding `unit` (start inclusive, end exclusive), or -1 when none does. */
export function chooseVariation(unit: number, ranges: readonly BucketRange[]): number {
  return ranges.findIndex(([start, end]) => unit >= start && unit < end);
}

/** Whether `id` falls in a namespace's slice [start, end), using the namespace's own hash (version 1). */
export function inNamespace(id: string, namespace: readonly [name: string, start: number, end: number]): boolean {
  const [name, start, end] = namespace;
  const unit = hashUnit(`__${name}`, id, 1) as number;
  return unit >= start && unit < end;
}

export interface HashAssignment {
  /** Index into the arms in design order, or -1 when the participant falls outside the coverage. */
  readonly armIndex: number;
  /** 0 … HASH_BUCKETS-1. */
  readonly bucket: number;
}

/**
 * The arm a participant gets in a hash-mode experiment: version 2 hash of `seed + participantId`,
 * weights as fractions of 1 (null = equal), full coverage unless given.
 */
export function hashAssignment(seed: string, participantId: string, weights: readonly number[] | null, numArms: number, coverage = 1): HashAssignment {
  const unit = hashUnit(seed, participantId, 2) as number;
  return { armIndex: chooseVariation(unit, bucketRanges(numArms, coverage, weights)), bucket: Math.round(unit * HASH_BUCKETS) };
}
