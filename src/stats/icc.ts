/**
 * Intra-cluster correlation from (cluster, outcome) rows by one-way random-effects ANOVA (method of
 * moments; stats.md §1.3). With k clusters of sizes n_i, N = Σn_i, cluster means ȳ_i and grand mean ȳ:
 *
 *   MSB = Σ n_i(ȳ_i − ȳ)² / (k − 1),   MSW = ΣΣ (y − ȳ_i)² / (N − k),   n₀ = (N − Σn_i²/N) / (k − 1),
 *   σ²_b = max(0, (MSB − MSW)/n₀),      ICC = σ²_b / (σ²_b + MSW)   (0 when that denominator is 0).
 *
 * Rows whose cluster or outcome is null are dropped first, as the reference's SQL does; booleans count as
 * 0/1. A NaN or infinite outcome is an error rather than a silently dropped row.
 */
import { PowerCalcError } from './power-error.ts';

export type ClusterKey = string | number | boolean | bigint;

export interface ClusterOutcome {
  readonly cluster: ClusterKey | null | undefined;
  readonly outcome: number | boolean | null | undefined;
}

export interface IccEstimate {
  /** In [0, 1]. */
  readonly icc: number;
  readonly msb: number;
  readonly msw: number;
  readonly n0: number;
  readonly numClusters: number;
  /** Rows used (non-null cluster and outcome). */
  readonly n: number;
  /** Rows dropped for a null cluster or outcome. */
  readonly droppedRows: number;
}

/**
 * @example estimateIcc([{ cluster: 1, outcome: 10 }, { cluster: 1, outcome: 10 }, { cluster: 2, outcome: 20 }, { cluster: 2, outcome: 20 }]).icc // 1
 */
export function estimateIcc(rows: readonly ClusterOutcome[]): IccEstimate {
  // Two passes per cluster (mean, then squared deviations) rather than sums of squares, for accuracy.
  const groups = new Map<string, number[]>();
  let dropped = 0;
  for (const row of rows) {
    if (row.cluster == null || row.outcome == null) {
      dropped++;
      continue;
    }
    const y = typeof row.outcome === 'boolean' ? Number(row.outcome) : row.outcome;
    if (!Number.isFinite(y)) throw new PowerCalcError(`outcome must be a finite number, got ${y}`);
    if (typeof row.cluster === 'number' && Number.isNaN(row.cluster)) {
      throw new PowerCalcError('cluster id must not be NaN');
    }
    // Keys compare by value and type, like pandas groupby on one column: 1 and '1' are different clusters.
    const key = `${typeof row.cluster}:${String(row.cluster)}`;
    const values = groups.get(key);
    if (values) values.push(y);
    else groups.set(key, [y]);
  }
  const k = groups.size;
  const n = rows.length - dropped;
  if (n === 0) throw new PowerCalcError('no rows with both a cluster id and an outcome');
  if (k < 2) throw new PowerCalcError(`need at least 2 clusters to estimate the ICC, got ${k}`);
  if (n - k < 1) throw new PowerCalcError('Insufficient within-cluster data: every cluster has a single row');

  let grandSum = 0;
  for (const values of groups.values()) for (const y of values) grandSum += y;
  const grandMean = grandSum / n;
  let ssb = 0;
  let ssw = 0;
  let sumSquaredSizes = 0;
  for (const values of groups.values()) {
    const size = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / size;
    ssb += size * (mean - grandMean) ** 2;
    for (const y of values) ssw += (y - mean) ** 2;
    sumSquaredSizes += size * size;
  }
  const msb = ssb / (k - 1);
  const msw = ssw / (n - k);
  const n0 = (n - sumSquaredSizes / n) / (k - 1);
  const between = Math.max(0, (msb - msw) / n0);
  const total = between + msw;
  const icc = total === 0 ? 0 : Math.min(1, Math.max(0, between / total));
  return { icc, msb, msw, n0, numClusters: k, n, droppedRows: dropped };
}
