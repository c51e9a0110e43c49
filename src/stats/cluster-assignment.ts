/**
 * Cluster-randomised assignment: whole clusters (schools, villages, shops) are the units. Clusters are
 * stratified by quantile bins of their size, the arm weights apply to clusters (not participants), and each
 * participant inherits its cluster's arm. As in the reference, caller strata are not used at cluster level.
 * Clusters are ordered by their key before assignment, so the result does not depend on row order.
 */
import type { Cell } from './preprocess.ts';
import { DEFAULT_QUANTILES } from './preprocess.ts';
import { AssignmentError, assignStratified, countArms } from './stratified-assignment.ts';

export interface ClusterAssignment {
  /** Arm index per participant, in input order. */
  readonly arms: Uint16Array;
  /** Distinct cluster keys, sorted (numbers before strings). */
  readonly clusters: readonly (string | number)[];
  /** Arm per cluster, aligned with `clusters`. */
  readonly clusterArms: Uint16Array;
  /** Participants per cluster, aligned with `clusters`. */
  readonly clusterSizes: Float64Array;
  /** Participants per arm. */
  readonly armSizes: readonly number[];
  /** Clusters per arm. */
  readonly armClusterCounts: readonly number[];
  /** Size strata used (1 when all clusters have the same size). */
  readonly stratumCount: number;
}

export interface ClusterAssignmentOptions {
  readonly weights: readonly number[];
  readonly seed: number;
  readonly quantiles?: number;
}

/**
 * Example: `assignClusters(['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'], { weights: [1, 1], seed: 42 }).armClusterCounts` → [2, 2].
 */
export function assignClusters(clusterOf: readonly (string | number | null)[], options: ClusterAssignmentOptions): ClusterAssignment {
  const index = new Map<string | number, number>();
  const keys: (string | number)[] = [];
  const raw = new Int32Array(clusterOf.length);
  for (let i = 0; i < clusterOf.length; i++) {
    const c = clusterOf[i];
    if (c === null || c === undefined || (typeof c === 'number' && Number.isNaN(c))) {
      throw new AssignmentError(`participant ${i} has no cluster`);
    }
    let at = index.get(c);
    if (at === undefined) {
      at = keys.length;
      index.set(c, at);
      keys.push(c);
    }
    raw[i] = at;
  }
  const order = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  const position = new Int32Array(keys.length);
  order.forEach((original, p) => (position[original] = p));
  const clusters = order.map((i) => keys[i]!);
  const clusterSizes = new Float64Array(clusters.length);
  for (let i = 0; i < raw.length; i++) { const c = position[raw[i]!]!; clusterSizes[c] = clusterSizes[c]! + 1; }
  const sizeColumn: Cell[] = Array.from(clusterSizes);
  const assigned = assignStratified({ cluster_size: sizeColumn }, {
    weights: options.weights,
    seed: options.seed,
    quantiles: options.quantiles ?? DEFAULT_QUANTILES,
  });
  const arms = new Uint16Array(clusterOf.length);
  for (let i = 0; i < raw.length; i++) arms[i] = assigned.arms[position[raw[i]!]!]!;
  return {
    arms,
    clusters,
    clusterArms: assigned.arms,
    clusterSizes,
    armSizes: countArms(arms, options.weights.length),
    armClusterCounts: assigned.armSizes,
    stratumCount: assigned.stratumCount,
  };
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
