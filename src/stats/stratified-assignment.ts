/**
 * Stratified random assignment of participants to arms. Strata come from `preprocess` (categories, quantile
 * bins, an explicit missing level); within each stratum every arm gets the floor of its share, and the
 * leftover units of all strata are placed together by `allocateStrata`, so each stratum is within one unit of
 * its exact share, every arm's total is within one participant of N·weight, and each participant's chance of
 * every arm is exactly its weight. The units of a stratum then receive its arm labels in a seeded random order.
 *
 * Memory: typed arrays of N entries only (stratum ids, a counting-sort permutation, labels), so a million
 * participants cost a few tens of MB. The assignment depends on the order of the input rows: callers who want
 * a replayable assignment must pass participants in a stable order (e.g. sorted by id) with the same seed.
 */
import { allocateByWeights, allocateStrata } from './allocation.ts';
import type { Cell, Preprocessed, ProcessedColumn } from './preprocess.ts';
import { DEFAULT_QUANTILES, preprocess } from './preprocess.ts';
import type { Random } from './random.ts';
import { seededRandom } from './random.ts';

/** Raised for inputs that cannot be assigned, e.g. an id column used as a stratum. */
export class AssignmentError extends Error {
  override readonly name = 'AssignmentError';
}

/** Arm indexes are stored in 16 bits. */
export const MAX_ARMS = 65_535;

/** Mixed-radix stratum keys up to this size are ranked with a lookup table instead of a Map. */
const DENSE_KEY_LIMIT = 1 << 24;

export interface Strata {
  /** Dense stratum index per participant, ordered by the tuple of level indexes (columns by name). */
  readonly ids: Int32Array;
  readonly count: number;
}

/**
 * Numbers the observed combinations of the columns' levels 0 … count − 1.
 * Example: `strataOf(preprocess({ g: ['a', 'b', 'a'] }).columns, 3)` → ids [0, 1, 0], count 2.
 */
export function strataOf(columns: readonly ProcessedColumn[], rowCount: number): Strata {
  const ids = new Int32Array(rowCount);
  if (columns.length === 0) return { ids, count: rowCount === 0 ? 0 : 1 };
  const space = columns.reduce((m, c) => m * c.levels.length, 1);
  const key = new Float64Array(rowCount);
  for (const column of columns) {
    const radix = column.levels.length;
    for (let i = 0; i < rowCount; i++) key[i] = key[i]! * radix + column.codes[i]!;
  }
  if (space <= DENSE_KEY_LIMIT) {
    const rank = new Int32Array(space);
    for (let i = 0; i < rowCount; i++) rank[key[i]!] = 1;
    let count = 0;
    for (let kk = 0; kk < space; kk++) if (rank[kk] === 1) rank[kk] = ++count;
    for (let i = 0; i < rowCount; i++) ids[i] = rank[key[i]!]! - 1;
    return { ids, count };
  }
  const distinct = [...new Set(key)].sort((a, b) => a - b);
  const rank = new Map(distinct.map((k, i) => [k, i]));
  for (let i = 0; i < rowCount; i++) ids[i] = rank.get(key[i]!)!;
  return { ids, count: distinct.length };
}

/**
 * Assigns every participant an arm given its stratum. Example:
 * `assignWithinStrata(Int32Array.of(0, 0, 1, 1), 2, [1, 1], seededRandom(7))` → one of each arm per stratum.
 */
export function assignWithinStrata(stratumIds: Int32Array, stratumCount: number, weights: readonly number[], random: Random): Uint16Array {
  if (weights.length > MAX_ARMS) throw new AssignmentError(`at most ${MAX_ARMS} arms are supported`);
  const n = stratumIds.length;
  const sizes = new Int32Array(stratumCount);
  for (let i = 0; i < n; i++) { const s = stratumIds[i]!; sizes[s] = sizes[s]! + 1; }
  // One stratum (simple random assignment): largest remainder, so counts are deterministic and match the
  // reference's exact proportions (667/333 for 66.67/33.33). Several strata: unbiased dependent rounding.
  const counts = stratumCount === 1 ? Int32Array.from(allocateByWeights(n, weights, random)) : allocateStrata(sizes, weights, random);
  // Counting sort: start offsets per stratum, then the participants of each stratum contiguously.
  const start = new Int32Array(stratumCount + 1);
  for (let s = 0; s < stratumCount; s++) start[s + 1] = start[s]! + sizes[s]!;
  const fill = start.slice(0, stratumCount);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[stratumIds[i]!]!++] = i;
  const k = weights.length;
  const labels = new Uint16Array(n);
  const arms = new Uint16Array(n);
  for (let s = 0; s < stratumCount; s++) {
    const from = start[s]!;
    const to = start[s + 1]!;
    let at = from;
    for (let j = 0; j < k; j++) for (let c = counts[s * k + j]!; c > 0; c--) labels[at++] = j;
    for (let i = to - 1; i > from; i--) {
      const r = from + random.int(i - from + 1);
      const t = labels[i]!;
      labels[i] = labels[r]!;
      labels[r] = t;
    }
    for (let i = from; i < to; i++) arms[order[i]!] = labels[i]!;
  }
  return arms;
}

export interface StratifiedAssignment {
  /** Arm index (position in `weights`) per participant, in input order. */
  readonly arms: Uint16Array;
  /** Stratum index per participant; all zero for simple random assignment. */
  readonly stratumIds: Int32Array;
  readonly stratumCount: number;
  /** Participants per arm. */
  readonly armSizes: readonly number[];
  /** The strata columns that survived preprocessing (empty: simple random assignment was used). */
  readonly strataUsed: readonly string[];
  /** Preprocessed strata, for the balance check. */
  readonly preprocessed: Preprocessed;
}

export interface StratifiedAssignmentOptions {
  /** Relative arm weights (any positive scale); their count is the number of arms. */
  readonly weights: readonly number[];
  readonly seed: number;
  readonly quantiles?: number;
  /** A column that identifies participants; using it as a stratum is an error, as in the reference. */
  readonly idColumn?: string;
}

/**
 * Preprocesses `strata` columns and assigns participants; with no usable strata column it falls back to
 * simple (complete) random assignment with exact proportions.
 * Example: `assignStratified({ gender: ['f', 'm', 'f', 'm'] }, { weights: [1, 1], seed: 42 }).armSizes` → [2, 2].
 */
export function assignStratified(strata: Readonly<Record<string, readonly Cell[]>>, options: StratifiedAssignmentOptions): StratifiedAssignment {
  if (options.idColumn !== undefined && options.idColumn in strata) {
    throw new AssignmentError(`Columns with only unique values should not be used as strata: ${options.idColumn}`);
  }
  const preprocessed = preprocess(strata, { quantiles: options.quantiles ?? DEFAULT_QUANTILES });
  const { ids, count } = strataOf(preprocessed.columns, preprocessed.rowCount);
  const arms = assignWithinStrata(ids, count, options.weights, seededRandom(options.seed));
  return {
    arms,
    stratumIds: ids,
    stratumCount: count,
    armSizes: countArms(arms, options.weights.length),
    strataUsed: preprocessed.columns.map((c) => c.name),
    preprocessed,
  };
}

/**
 * Complete randomisation: largest-remainder counts (⌊n·p_j⌋ or ⌈n·p_j⌉, deterministic up to ties) in random order.
 * Example: `assignSimple(10, [1, 1, 1], 42)` → 3 or 4 participants per arm.
 */
export function assignSimple(n: number, weights: readonly number[], seed: number): Uint16Array {
  return assignWithinStrata(new Int32Array(n), n === 0 ? 0 : 1, weights, seededRandom(seed));
}

/** Participants per arm. Example: `countArms(Uint16Array.of(0, 1, 1), 2)` → [1, 2]. */
export function countArms(arms: ArrayLike<number>, armCount: number): number[] {
  const sizes = new Array<number>(armCount).fill(0);
  for (let i = 0; i < arms.length; i++) sizes[arms[i]!]!++;
  return sizes;
}
