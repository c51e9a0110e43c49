/**
 * Covariate-adjusted effects by Lin's (2013) fully interacted OLS:
 *   y = α + Σ_{j≥1} τ_j·1[arm = j] + βᵀ(x − x̄) + Σ_{j≥1} γ_jᵀ 1[arm = j](x − x̄) + ε,   HC1 (or CR1) errors,
 * with pre-treatment covariates x centred at their sample mean x̄. Unlike the reference's `metric ~ arm`, it
 * removes outcome variance that the covariates explain (pre-period metric, strata) without biasing τ, even
 * when the arms' regression slopes differ.
 *
 * Streaming in two passes. The interacted model is the same as one regression per arm, so we fit it in the
 * equivalent parametrisation y = m_j + b_jᵀ(x − x̄_j) within arm j (x̄_j = the arm's mean), whose XᵀX is
 * block diagonal: diag(n_j, C_j) with C_j = Σ_{i∈j}(x_i − x̄_j)(x_i − x̄_j)ᵀ. Pass 1 keeps per-arm counts,
 * means and co-moment matrices of (x, y) by Welford updates (exact, no raw second moments); pass 2 adds the
 * residual "meat" Σ e_i² w_i w_iᵀ with w_i = (1, x_i − x̄_j) (or per-cluster scores for CR1). The adjusted arm
 * mean is μ_j = m_j + b_jᵀ(x̄ − x̄_j) = L_jᵀθ_j with L_j = (1, x̄ − x̄_j), and because sandwich covariances are
 * equivariant under reparametrisation, Var(μ_j − μ_0) equals the HC1 variance of τ_j in Lin's regression
 * exactly; the HC1 factor is N/(N − r) with r = rank = Σ_j (1 + rank C_j). Memory: O(K·(1+p)²), plus one
 * K·(1+p) score vector per cluster for CR1.
 */
import type { AnalysisOptions, MetricAnalysis } from './analysis.ts';
import { armAnalyses } from './analysis.ts';
import { symmetricPseudoInverse } from './linear-algebra.ts';

interface ArmState {
  assigned: number;
  n: number;
  /** Means of (x_1 … x_p, y). */
  mean: Float64Array;
  /** Co-moments of (x, y), (p+1)² row-major. */
  co: Float64Array;
}

interface Fitted {
  readonly xbar: Float64Array;
  /** Per arm: slopes b_j (p), and u_j = bread_j · L_j (1 + p), the direction of the adjusted mean. */
  readonly slopes: Float64Array[];
  readonly directions: Float64Array[];
  readonly rank: number;
}

/**
 * Two-pass accumulator. Example:
 * `const lin = new LinAdjustmentAccumulator(2, 1); rows.forEach((r) => lin.addFirstPass(r.arm, r.y, [r.x]));
 *  lin.finishFirstPass(); rows.forEach((r) => lin.addSecondPass(r.arm, r.y, [r.x])); lin.analyze()`.
 */
export class LinAdjustmentAccumulator {
  readonly #arms: ArmState[];
  readonly #p: number;
  readonly #meat: Float64Array[];
  readonly #clusters: Map<string | number, Float64Array> | undefined;
  #fitted: Fitted | undefined;
  readonly #delta: Float64Array;
  readonly #w: Float64Array;

  constructor(readonly armCount: number, readonly covariateCount: number, options: { readonly clustered?: boolean } = {}) {
    const d = covariateCount + 1;
    this.#p = covariateCount;
    this.#arms = Array.from({ length: armCount }, () => ({ assigned: 0, n: 0, mean: new Float64Array(d), co: new Float64Array(d * d) }));
    this.#meat = Array.from({ length: armCount }, () => new Float64Array(d * d));
    this.#clusters = options.clustered ? new Map() : undefined;
    this.#delta = new Float64Array(d);
    this.#w = new Float64Array(d);
  }

  /** Complete cases only: a row with a missing outcome or covariate counts as a missing value. */
  static isComplete(y: number | boolean | null | undefined, x: ArrayLike<number | null>): boolean {
    if (y === null || y === undefined || (typeof y === 'number' && !Number.isFinite(y))) return false;
    for (let a = 0; a < x.length; a++) if (x[a] === null || !Number.isFinite(x[a])) return false;
    return true;
  }

  addFirstPass(arm: number, outcome: number | boolean | null | undefined, x: ArrayLike<number | null>): void {
    if (this.#fitted) throw new Error('the first pass is finished');
    const state = this.#arms[arm];
    if (!state) throw new RangeError(`arm ${arm} is outside 0..${this.armCount - 1}`);
    if (x.length !== this.#p) throw new RangeError(`expected ${this.#p} covariates, got ${x.length}`);
    state.assigned++;
    if (!LinAdjustmentAccumulator.isComplete(outcome, x)) return;
    const p = this.#p;
    const d = p + 1;
    state.n++;
    const delta = this.#delta;
    for (let a = 0; a < d; a++) {
      const v = a < p ? (x[a] as number) : Number(outcome);
      delta[a] = v - state.mean[a]!;
      state.mean[a] = state.mean[a]! + delta[a]! / state.n;
    }
    // co += δ (v − mean_new)ᵀ, the vector form of Welford's update
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const vb = b < p ? (x[b] as number) : Number(outcome);
        state.co[a * d + b] = state.co[a * d + b]! + delta[a]! * (vb - state.mean[b]!);
      }
    }
  }

  finishFirstPass(): void {
    const p = this.#p;
    const d = p + 1;
    const total = this.#arms.reduce((a, s) => a + s.n, 0);
    const xbar = new Float64Array(p);
    for (const s of this.#arms) for (let a = 0; a < p; a++) xbar[a] = xbar[a]! + (s.n * s.mean[a]!) / total;
    let rank = 0;
    const slopes: Float64Array[] = [];
    const directions: Float64Array[] = [];
    for (const s of this.#arms) {
      const b = new Float64Array(p);
      const u = new Float64Array(d);
      if (s.n > 0) {
        const cxx = new Float64Array(p * p);
        for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) cxx[a * p + c] = (s.co[a * d + c]! + s.co[c * d + a]!) / 2;
        const { inverse, rank: r } = p > 0 ? symmetricPseudoInverse(cxx, p) : { inverse: new Float64Array(0), rank: 0 };
        rank += 1 + r;
        for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) b[a] = b[a]! + inverse[a * p + c]! * s.co[c * d + p]!;
        // u = blockdiag(1/n, C⁺) · (1, x̄ − x̄_j)
        u[0] = 1 / s.n;
        for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) u[1 + a] = u[1 + a]! + inverse[a * p + c]! * (xbar[c]! - s.mean[c]!);
      }
      slopes.push(b);
      directions.push(u);
    }
    this.#fitted = { xbar, slopes, directions, rank };
  }

  addSecondPass(arm: number, outcome: number | boolean | null | undefined, x: ArrayLike<number | null>, cluster?: string | number | null): void {
    const fitted = this.#fitted;
    if (!fitted) throw new Error('call finishFirstPass() before the second pass');
    if (!LinAdjustmentAccumulator.isComplete(outcome, x)) return;
    const p = this.#p;
    const d = p + 1;
    const s = this.#arms[arm]!;
    const w = this.#w;
    w[0] = 1;
    let e = Number(outcome) - s.mean[p]!;
    for (let a = 0; a < p; a++) {
      w[1 + a] = (x[a] as number) - s.mean[a]!;
      e -= fitted.slopes[arm]![a]! * w[1 + a]!;
    }
    if (this.#clusters) {
      if (cluster === null || cluster === undefined) throw new RangeError('a clustered accumulator needs a cluster for every complete row');
      let score = this.#clusters.get(cluster);
      if (!score) this.#clusters.set(cluster, (score = new Float64Array(this.armCount * d)));
      for (let a = 0; a < d; a++) score[arm * d + a] = score[arm * d + a]! + e * w[a]!;
      return;
    }
    const meat = this.#meat[arm]!;
    const e2 = e * e;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) meat[a * d + b] = meat[a * d + b]! + e2 * w[a]! * w[b]!;
  }

  /** Adjusted effects and means. Example: `lin.analyze({ baseline: 0, alpha: 0.05 })`. */
  analyze(options: AnalysisOptions = {}): MetricAnalysis {
    const fitted = this.#fitted;
    if (!fitted) throw new Error('call finishFirstPass() and the second pass first');
    const k = this.armCount;
    const d = this.#p + 1;
    const nobs = this.#arms.reduce((a, s) => a + s.n, 0);
    const mean = this.#arms.map((s, j) => {
      if (s.n === 0) return Number.NaN;
      let m = s.mean[this.#p]!;
      for (let a = 0; a < this.#p; a++) m += fitted.slopes[j]![a]! * (fitted.xbar[a]! - s.mean[a]!);
      return m;
    });
    const cov = new Float64Array(k * k).fill(Number.NaN);
    const quad = (u: Float64Array, m: Float64Array, v: Float64Array, uOff: number, vOff: number, stride: number): number => {
      let sum = 0;
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) sum += u[a]! * m[(uOff + a) * stride + vOff + b]! * v[b]!;
      return sum;
    };
    const has = (j: number): boolean => this.#arms[j]!.n > 0;
    if (this.#clusters) {
      const g = this.#clusters.size;
      const q = k * d;
      const meat = new Float64Array(q * q);
      for (const score of this.#clusters.values()) for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) meat[r * q + c] = meat[r * q + c]! + score[r]! * score[c]!;
      const scale = (g / (g - 1)) * ((nobs - 1) / (nobs - q));
      for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) {
        if (has(j) && has(l)) cov[j * k + l] = scale * quad(fitted.directions[j]!, meat, fitted.directions[l]!, j * d, l * d, q);
      }
      return armAnalyses({ mean, meanCovariance: cov, dfResid: g - 1, nobs, covariance: 'CR1', clusterCount: g, assigned: this.#arms.map((s) => s.assigned), n: this.#arms.map((s) => s.n) }, options, true);
    }
    const scale = nobs / (nobs - fitted.rank);
    for (let j = 0; j < k; j++) {
      if (!has(j)) continue;
      for (let l = 0; l < k; l++) if (has(l)) cov[j * k + l] = 0;
      const meat = this.#meat[j]!;
      for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) meat[a * d + b] = meat[b * d + a]!;
      cov[j * k + j] = scale * quad(fitted.directions[j]!, meat, fitted.directions[j]!, 0, 0, d);
    }
    return armAnalyses({ mean, meanCovariance: cov, dfResid: nobs - fitted.rank, nobs, covariance: 'HC1', assigned: this.#arms.map((s) => s.assigned), n: this.#arms.map((s) => s.n) }, options, true);
  }
}

export interface LinInput {
  readonly arms: ArrayLike<number>;
  readonly outcomes: ArrayLike<number | boolean | null>;
  /** One array per covariate, aligned with `arms`. */
  readonly covariates: readonly ArrayLike<number | null>[];
  readonly clusters?: ArrayLike<string | number | null>;
}

/**
 * Lin-adjusted analysis of in-memory columns (both passes). Example:
 * `linAdjustedAnalysis({ arms, outcomes, covariates: [preMetric] }, 2, { baseline: 0 })`.
 */
export function linAdjustedAnalysis(input: LinInput, armCount: number, options: AnalysisOptions = {}): MetricAnalysis {
  const p = input.covariates.length;
  const acc = new LinAdjustmentAccumulator(armCount, p, { clustered: input.clusters !== undefined });
  const x = new Array<number | null>(p);
  const row = (i: number): (number | null)[] => {
    for (let a = 0; a < p; a++) x[a] = input.covariates[a]![i] ?? null;
    return x;
  };
  for (let i = 0; i < input.arms.length; i++) acc.addFirstPass(input.arms[i]!, input.outcomes[i], row(i));
  acc.finishFirstPass();
  for (let i = 0; i < input.arms.length; i++) acc.addSecondPass(input.arms[i]!, input.outcomes[i], row(i), input.clusters?.[i]);
  return acc.analyze(options);
}
