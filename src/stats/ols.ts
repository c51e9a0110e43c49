/**
 * OLS of an outcome on arm dummies with HC1 or cluster-robust CR1 standard errors, computed from streaming
 * per-arm sufficient statistics so a million rows never become a matrix.
 *
 * The algebra. Write the model in cell-means form y_i = μ_{a(i)} + ε_i (X = one-hot arm columns, a
 * reparametrisation of `y ~ 1 + arm dummies`; sandwich estimators are equivariant under it). Then
 *   XᵀX = diag(n_j),  μ̂_j = ȳ_j,  e_i = y_i − ȳ_{a(i)},
 *   HC1 meat  Σ e_i² x_i x_iᵀ = diag(SSR_j),  SSR_j = Σ_{i∈j}(y_i − ȳ_j)²   (Welford's M2; no Σy² cancellation)
 *   V_HC1 = N/(N − r) · diag(SSR_j / n_j²),  r = arms with data (= rank),
 *   CR1 meat  Σ_g s_g s_gᵀ,  s_gj = Σ_{i∈g, a(i)=j} e_i = (Σ_{i∈g,j} y_i − c_j) − n_gj (ȳ_j − c_j)
 *   V_CR1 = G/(G − 1) · (N − 1)/(N − k) · D⁻¹ M D⁻¹,  D = diag(n_j), k = number of arms (statsmodels counts
 *   columns, including an arm without data),
 * and the effect of arm j against the baseline 0 is ȳ_j − ȳ_0 with variance V_jj + V_00 − 2V_j0. Cluster
 * sums are kept per cluster and arm relative to a per-arm shift c_j (the arm's first value) so that the
 * difference above keeps its digits when the outcome has a large mean.
 */

/** Per-arm running moments; arm index = position. */
interface ArmMoments {
  assigned: number;
  n: number;
  mean: number;
  m2: number;
  shift: number;
}

export interface ArmMomentsSnapshot {
  readonly armCount: number;
  /** Rows fed per arm (missing outcomes included). */
  readonly assigned: readonly number[];
  /** Non-missing outcomes per arm. */
  readonly n: readonly number[];
  readonly mean: readonly number[];
  /** Σ (y − ȳ_j)² per arm. */
  readonly ssr: readonly number[];
  /** Present for clustered accumulators: Σ_g s_g s_gᵀ (K×K row-major, unscaled) and the cluster count. */
  readonly clusterMeat?: Float64Array;
  readonly clusterCount?: number;
}

/**
 * Feeds rows (arm, outcome[, cluster]) one at a time or in batches and yields the sufficient statistics.
 * Example: `const acc = new ArmMomentsAccumulator(2); acc.add(0, 1.5); acc.add(1, null); acc.snapshot()`.
 */
export class ArmMomentsAccumulator {
  readonly #arms: ArmMoments[];
  readonly #clusters: Map<string | number, Float64Array> | undefined;

  constructor(readonly armCount: number, options: { readonly clustered?: boolean } = {}) {
    if (!Number.isInteger(armCount) || armCount < 1) throw new RangeError(`armCount must be a positive integer, got ${armCount}`);
    this.#arms = Array.from({ length: armCount }, () => ({ assigned: 0, n: 0, mean: 0, m2: 0, shift: Number.NaN }));
    this.#clusters = options.clustered ? new Map() : undefined;
  }

  /** Adds one participant; null, undefined or NaN outcomes count as missing. Booleans count as 0/1. */
  add(arm: number, outcome: number | boolean | null | undefined, cluster?: string | number | null): void {
    const moments = this.#arms[arm];
    if (moments === undefined) throw new RangeError(`arm ${arm} is outside 0..${this.armCount - 1}`);
    moments.assigned++;
    if (outcome === null || outcome === undefined) return;
    const y = typeof outcome === 'boolean' ? (outcome ? 1 : 0) : outcome;
    if (Number.isNaN(y)) return;
    if (!Number.isFinite(y)) throw new RangeError(`outcome must be finite, got ${y}`);
    if (moments.n === 0) moments.shift = y;
    moments.n++;
    const delta = y - moments.mean;
    moments.mean += delta / moments.n;
    moments.m2 += delta * (y - moments.mean);
    if (this.#clusters) {
      if (cluster === null || cluster === undefined) throw new RangeError('a clustered accumulator needs a cluster for every row with an outcome');
      let sums = this.#clusters.get(cluster);
      if (!sums) this.#clusters.set(cluster, (sums = new Float64Array(2 * this.armCount)));
      sums[2 * arm] = sums[2 * arm]! + 1;
      sums[2 * arm + 1] = sums[2 * arm + 1]! + (y - moments.shift);
    }
  }

  /** Adds aligned arrays of rows. */
  addBatch(arms: ArrayLike<number>, outcomes: ArrayLike<number | boolean | null>, clusters?: ArrayLike<string | number | null>): void {
    for (let i = 0; i < arms.length; i++) this.add(arms[i]!, outcomes[i], clusters?.[i]);
  }

  snapshot(): ArmMomentsSnapshot {
    const arms = this.#arms;
    const base: ArmMomentsSnapshot = {
      armCount: this.armCount,
      assigned: arms.map((a) => a.assigned),
      n: arms.map((a) => a.n),
      mean: arms.map((a) => (a.n > 0 ? a.mean : Number.NaN)),
      ssr: arms.map((a) => a.m2),
    };
    if (!this.#clusters) return base;
    const k = this.armCount;
    const meat = new Float64Array(k * k);
    const score = new Float64Array(k);
    for (const sums of this.#clusters.values()) {
      for (let j = 0; j < k; j++) {
        const a = arms[j]!;
        score[j] = a.n > 0 ? sums[2 * j + 1]! - sums[2 * j]! * (a.mean - a.shift) : 0;
      }
      for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) meat[j * k + l] = meat[j * k + l]! + score[j]! * score[l]!;
    }
    return { ...base, clusterMeat: meat, clusterCount: this.#clusters.size };
  }
}

export type CovarianceType = 'HC1' | 'CR1';

export interface ArmModel {
  readonly covariance: CovarianceType;
  /** Covariance of the per-arm means (K×K row-major); NaN rows/columns for arms without data. */
  readonly meanCovariance: Float64Array;
  readonly mean: readonly number[];
  /** Residual df for t inference: N − r (HC1) or G − 1 (CR1), as statsmodels uses with use_t. */
  readonly dfResid: number;
  readonly nobs: number;
  readonly rank: number;
  readonly clusterCount?: number;
}

/**
 * The arm-dummy OLS with robust covariance, from a snapshot.
 * Example: `fitArmModel(acc.snapshot()).meanCovariance`.
 */
export function fitArmModel(s: ArmMomentsSnapshot): ArmModel {
  const k = s.armCount;
  const nobs = s.n.reduce((a, b) => a + b, 0);
  const rank = s.n.filter((n) => n > 0).length;
  const cov = new Float64Array(k * k).fill(Number.NaN);
  if (s.clusterMeat && s.clusterCount !== undefined) {
    const g = s.clusterCount;
    const scale = (g / (g - 1)) * ((nobs - 1) / (nobs - k));
    for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) {
      if (s.n[j]! > 0 && s.n[l]! > 0) cov[j * k + l] = (scale * s.clusterMeat[j * k + l]!) / (s.n[j]! * s.n[l]!);
    }
    return { covariance: 'CR1', meanCovariance: cov, mean: s.mean, dfResid: g - 1, nobs, rank, clusterCount: g };
  }
  const scale = nobs / (nobs - rank);
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < k; l++) if (s.n[j]! > 0 && s.n[l]! > 0) cov[j * k + l] = 0;
    if (s.n[j]! > 0) cov[j * k + j] = (scale * s.ssr[j]!) / s.n[j]! ** 2;
  }
  return { covariance: 'HC1', meanCovariance: cov, mean: s.mean, dfResid: nobs - rank, nobs, rank };
}
