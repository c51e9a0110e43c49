/**
 * Balance check of an assignment against pre-treatment covariates, for ALL arms (the reference only compares
 * arms 0 and 1). With K observed arms we regress the K − 1 indicators 1[arm = j] (j past the first observed
 * arm) on the same design X — intercept, null-free numeric covariates raw, everything else as drop-first
 * dummies of its preprocessed levels — and test that every slope of every equation is zero:
 *
 *   B̂ = (XᵀX)⁺ XᵀD,  e_i = D_i − B̂ᵀx_i,  Ω = Σ_i (e_i e_iᵀ) ⊗ (x_i x_iᵀ)            (HC1 "meat", stacked)
 *   V = n/(n − r) · (I ⊗ (XᵀX)⁺) Ω (I ⊗ (XᵀX)⁺),   r = rank X
 *   F = θ̂ᵀ (R V Rᵀ)⁺ θ̂ / J,  θ̂ = all slopes,  J = rank(R V Rᵀ),  p = P(F(J, n − r) > F)
 *
 * For two arms this is exactly the reference's HC1 Wald test. With a cluster column the meat sums the
 * per-cluster score vectors and the CR1 factor G/(G − 1)·(n − 1)/(n − k) (statsmodels, k = columns of X) is
 * used, with denominator df G − 1 — reported as such (the reference reports n − r but uses G − 1).
 * Rows are processed as sparse vectors (each categorical contributes one nonzero), so memory stays O(p²K²).
 */
import { fSf } from './distributions.ts';
import { symmetricPseudoInverse, symmetrizeFromUpper, waldTest } from './linear-algebra.ts';
import type { Cell, Preprocessed } from './preprocess.ts';
import { DEFAULT_QUANTILES, preprocess } from './preprocess.ts';

/** The reference API's default: balance is "ok" when p > 0.6 (strictly). */
export const DEFAULT_FSTAT_THRESHOLD = 0.6;

export type BalanceErrorCode = 'too_few_participants' | 'insufficient_arms';

/** Raised when a balance check cannot be computed from the data given. */
export class BalanceError extends Error {
  override readonly name = 'BalanceError';
  constructor(readonly code: BalanceErrorCode, message: string) {
    super(message);
  }
}

export interface BalanceResult {
  readonly f_statistic: number;
  /** Independent restrictions tested: (K − 1)·(covariate columns), less any that are collinear. */
  readonly numerator_df: number;
  /** n − rank(X), or G − 1 for a cluster-robust check: the df the p-value was computed with. */
  readonly denominator_df: number;
  readonly p_value: number;
  /** p_value > fstat_thresh. */
  readonly balance_ok: boolean;
}

export interface BalanceOptions {
  /** Balance is ok when the p-value exceeds this. Default 0.6 (the reference API's). */
  readonly fstat_thresh?: number;
  /** Cluster key per row: the check becomes cluster-robust (CR1). */
  readonly clusters?: readonly (string | number)[];
}

interface Layout {
  readonly width: number;
  /** Fills `index`/`value` with row i's nonzeros; returns their count. */
  readonly row: (i: number, index: Int32Array, value: Float64Array) => number;
  readonly maxNonzeros: number;
}

function designLayout(covariates: Preprocessed): Layout {
  const parts = covariates.columns.map((column) => ({ column, numeric: column.raw !== undefined, offset: 0 }));
  let width = 1;
  for (const part of parts) {
    part.offset = width;
    width += part.numeric ? 1 : part.column.levels.length - 1;
  }
  return {
    width,
    maxNonzeros: 1 + parts.length,
    row(i, index, value) {
      index[0] = 0;
      value[0] = 1;
      let nz = 1;
      for (const { column, numeric, offset } of parts) {
        if (numeric) {
          index[nz] = offset;
          value[nz++] = column.raw![i]!;
        } else {
          const code = column.codes[i]!;
          if (code > 0) {
            index[nz] = offset + code - 1;
            value[nz++] = 1;
          }
        }
      }
      return nz;
    },
  };
}

/**
 * Balance of `arms` (arm index per row) over preprocessed covariates; null when no covariate survived.
 * Example: `checkBalance(preprocess({ age, region }), assignment.arms)?.balance_ok`.
 */
export function checkBalance(covariates: Preprocessed, arms: ArrayLike<number>, options: BalanceOptions = {}): BalanceResult | null {
  const n = covariates.rowCount;
  if (arms.length !== n) throw new RangeError(`arms has ${arms.length} rows, covariates ${n}`);
  if (covariates.columns.length === 0) return null;
  const observed = [...new Set(Array.from(arms))].sort((a, b) => a - b);
  if (observed.length < 2) throw new BalanceError('insufficient_arms', 'Treatment column has insufficient arms.');
  const equation = new Map(observed.slice(1).map((arm, e) => [arm, e]));
  const m = observed.length - 1;
  const layout = designLayout(covariates);
  const p = layout.width;
  const index = new Int32Array(layout.maxNonzeros);
  const value = new Float64Array(layout.maxNonzeros);

  // Pass 1: XᵀX (upper triangle) and XᵀD.
  const xtx = new Float64Array(p * p);
  const xtd = new Float64Array(p * m);
  for (let i = 0; i < n; i++) {
    const nz = layout.row(i, index, value);
    const e = equation.get(arms[i]!);
    for (let a = 0; a < nz; a++) {
      const u = index[a]!;
      const xu = value[a]!;
      for (let b = 0; b < nz; b++) {
        const v = index[b]!;
        if (v >= u) xtx[u * p + v] = xtx[u * p + v]! + xu * value[b]!;
      }
      if (e !== undefined) xtd[u * m + e] = xtd[u * m + e]! + xu;
    }
  }
  symmetrizeFromUpper(xtx, p);
  const { inverse: bread, rank } = symmetricPseudoInverse(xtx, p);
  if (n - rank <= 0) throw new BalanceError('too_few_participants', 'Too few participants to perform a balance check.');
  const coef = new Float64Array(p * m); // coef[u·m + e]
  for (let u = 0; u < p; u++) for (let w = 0; w < p; w++) {
    const buw = bread[u * p + w]!;
    if (buw !== 0) for (let e = 0; e < m; e++) coef[u * m + e] = coef[u * m + e]! + buw * xtd[w * m + e]!;
  }

  // Pass 2: stacked meat, index (e, u) → e·p + u.
  const q = p * m;
  const meat = new Float64Array(q * q);
  const resid = new Float64Array(m);
  const clusterScores = options.clusters ? new Map<string | number, Float64Array>() : undefined;
  if (options.clusters && options.clusters.length !== n) throw new RangeError('clusters must have one key per row');
  for (let i = 0; i < n; i++) {
    const nz = layout.row(i, index, value);
    const own = equation.get(arms[i]!);
    for (let e = 0; e < m; e++) {
      let fit = 0;
      for (let a = 0; a < nz; a++) fit += value[a]! * coef[index[a]! * m + e]!;
      resid[e] = (own === e ? 1 : 0) - fit;
    }
    if (clusterScores) {
      const key = options.clusters![i]!;
      let score = clusterScores.get(key);
      if (!score) clusterScores.set(key, (score = new Float64Array(q)));
      for (let e = 0; e < m; e++) for (let a = 0; a < nz; a++) score[e * p + index[a]!] = score[e * p + index[a]!]! + resid[e]! * value[a]!;
      continue;
    }
    for (let e = 0; e < m; e++) for (let a = 0; a < nz; a++) {
      const r = e * p + index[a]!;
      const left = resid[e]! * value[a]!;
      for (let f = 0; f < m; f++) for (let b = 0; b < nz; b++) {
        const c = f * p + index[b]!;
        if (c >= r) meat[r * q + c] = meat[r * q + c]! + left * resid[f]! * value[b]!;
      }
    }
  }
  let scale: number;
  let dfDenominator: number;
  if (clusterScores) {
    for (const score of clusterScores.values()) for (let r = 0; r < q; r++) {
      const sr = score[r]!;
      if (sr !== 0) for (let c = r; c < q; c++) meat[r * q + c] = meat[r * q + c]! + sr * score[c]!;
    }
    const g = clusterScores.size;
    if (g < 2 || n - p <= 0) throw new BalanceError('too_few_participants', 'Too few clusters to perform a balance check.');
    scale = (g / (g - 1)) * ((n - 1) / (n - p));
    dfDenominator = g - 1;
  } else {
    scale = n / (n - rank);
    dfDenominator = n - rank;
  }
  symmetrizeFromUpper(meat, q);

  // V = scale · (I ⊗ bread) Ω (I ⊗ bread); only the slope rows/columns are needed.
  const slopes: number[] = [];
  for (let e = 0; e < m; e++) for (let u = 1; u < p; u++) slopes.push(e * p + u);
  const left = new Float64Array(q * q); // (I ⊗ bread) Ω
  for (let e = 0; e < m; e++) for (let u = 0; u < p; u++) for (let w = 0; w < p; w++) {
    const buw = bread[u * p + w]!;
    if (buw === 0) continue;
    const from = (e * p + w) * q;
    const to = (e * p + u) * q;
    for (let c = 0; c < q; c++) left[to + c] = left[to + c]! + buw * meat[from + c]!;
  }
  const j = slopes.length;
  const cov = new Float64Array(j * j);
  const theta = new Float64Array(j);
  slopes.forEach((r, a) => {
    theta[a] = coef[(r % p) * m + Math.floor(r / p)]!;
    slopes.forEach((c, b) => {
      const f = Math.floor(c / p);
      const v = c % p;
      let sum = 0;
      for (let w = 0; w < p; w++) sum += left[r * q + f * p + w]! * bread[w * p + v]!;
      cov[a * j + b] = scale * sum;
    });
  });
  const identity = new Float64Array(j * j);
  for (let a = 0; a < j; a++) identity[a * j + a] = 1;
  const wald = waldTest(theta, cov, identity, j, j);
  if (!Number.isFinite(wald.statistic) || wald.rank === 0) {
    throw new BalanceError('too_few_participants', 'Too few participants to perform a balance check.');
  }
  const f = wald.statistic / wald.rank;
  const pValue = fSf(f, wald.rank, dfDenominator);
  return {
    f_statistic: f,
    numerator_df: wald.rank,
    denominator_df: dfDenominator,
    p_value: pValue,
    balance_ok: pValue > (options.fstat_thresh ?? DEFAULT_FSTAT_THRESHOLD),
  };
}

/**
 * Preprocesses raw columns (quartile bins, missing level, constant/id columns dropped) and checks balance.
 * Example: `checkBalanceOfColumns({ age: [30, 41, 25, 52], region: ['N', 'S', 'N', 'S'] }, [0, 1, 0, 1])`.
 */
export function checkBalanceOfColumns(
  columns: Readonly<Record<string, readonly Cell[]>>,
  arms: ArrayLike<number>,
  options: BalanceOptions & { readonly quantiles?: number; readonly exclude?: readonly string[] } = {},
): BalanceResult | null {
  const pre = preprocess(columns, { quantiles: options.quantiles ?? DEFAULT_QUANTILES, exclude: options.exclude ?? [] });
  return checkBalance(pre, arms, options);
}
