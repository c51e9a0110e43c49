/**
 * Small dense symmetric linear algebra for the regression code: the matrices here are p×p with p the number
 * of regressors (tens at most), never n×p, so plain Float64Arrays in row-major order are enough.
 *
 * The pseudo-inverse stands in for statsmodels' `method="pinv"`: rank-deficient designs (an unobserved
 * category, a constant covariate inside one arm) must not throw. It works on the equilibrated matrix
 * D^{-1} A D^{-1} (D = √diag A) because raw covariates such as income (~1e5) next to an intercept make
 * XᵀX's eigenvalues span 1e-11 of each other, where an unscaled rank cut-off would drop a real direction.
 * For full-rank A the result is the exact inverse; for rank-deficient A it is a generalized inverse whose
 * estimable quantities (fitted values, contrasts, Wald tests of estimable hypotheses) equal the
 * Moore–Penrose ones.
 */

/** Relative eigenvalue cut-off on the equilibrated matrix, whose diagonal is 1: directions this flat are dropped. */
export const RANK_TOLERANCE = 1e-10;

const JACOBI_MAX_SWEEPS = 100;

export interface SymmetricEigen {
  /** Eigenvalues, in no particular order. */
  readonly values: Float64Array;
  /** Column j (entries j, k + j, 2k + j, …) is the eigenvector of values[j]. */
  readonly vectors: Float64Array;
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric k×k matrix; accurate to a few ulps relative for the
 * well-scaled matrices we give it. Example: `symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values` → [1, 3] (some order).
 */
export function symmetricEigen(matrix: Float64Array, k: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += a[i * k + i]! ** 2;
      for (let j = i + 1; j < k; j++) off += a[i * k + j]! ** 2;
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i]!;
  return { values, vectors: v };
}

export interface PseudoInverse {
  readonly inverse: Float64Array;
  readonly rank: number;
}

/**
 * Generalized inverse of a symmetric positive semi-definite k×k matrix and its numerical rank.
 * Example: `symmetricPseudoInverse(Float64Array.of(4, 0, 0, 0), 2)` → inverse [0.25, 0, 0, 0], rank 1.
 */
export function symmetricPseudoInverse(matrix: Float64Array, k: number): PseudoInverse {
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const d = matrix[i * k + i]!;
    scale[i] = d > 0 ? 1 / Math.sqrt(d) : 0; // a zero diagonal means an all-zero row and column: drop it
  }
  const scaled = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) scaled[i * k + j] = matrix[i * k + j]! * scale[i]! * scale[j]!;
  const { values, vectors } = symmetricEigen(scaled, k);
  const largest = values.reduce((m, x) => Math.max(m, x), 0);
  const inverse = new Float64Array(k * k);
  let rank = 0;
  for (let e = 0; e < k; e++) {
    const lambda = values[e]!;
    if (!(lambda > largest * RANK_TOLERANCE)) continue;
    rank++;
    for (let i = 0; i < k; i++) {
      const vi = vectors[i * k + e]! / lambda;
      if (vi === 0) continue;
      for (let j = 0; j < k; j++) inverse[i * k + j] = inverse[i * k + j]! + vi * vectors[j * k + e]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inverse[i * k + j] = inverse[i * k + j]! * scale[i]! * scale[j]!;
  return { inverse, rank };
}

/** C = A·B for row-major A (m×n) and B (n×p). Example: `multiply(a, b, 2, 2, 2)`. */
export function multiply(a: Float64Array, b: Float64Array, m: number, n: number, p: number): Float64Array {
  const c = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < n; l++) {
      const ail = a[i * n + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < p; j++) c[i * p + j] = c[i * p + j]! + ail * b[l * p + j]!;
    }
  }
  return c;
}

/** A sandwich B·M·B for symmetric k×k B and M. Example: `sandwich(bread, meat, k)`. */
export function sandwich(bread: Float64Array, meat: Float64Array, k: number): Float64Array {
  return multiply(multiply(bread, meat, k, k, k), bread, k, k, k);
}

/** Fills the lower triangle from the upper one (accumulators only add to j ≥ i). */
export function symmetrizeFromUpper(matrix: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) matrix[i * k + j] = matrix[j * k + i]!;
}

export interface WaldTest {
  /** (Rβ)ᵀ (R V Rᵀ)⁺ (Rβ): chi-square on `rank` df under the null. */
  readonly statistic: number;
  /** rank(R V Rᵀ), the number of independent restrictions actually tested. */
  readonly rank: number;
}

/**
 * Wald statistic for H0: Rβ = 0 given coefficient covariance V (k×k) and restriction rows R (r×k).
 * Example: `waldTest(beta, cov, restrictions, 2, 3)`.
 */
export function waldTest(beta: Float64Array, covariance: Float64Array, restrictions: Float64Array, r: number, k: number): WaldTest {
  const rb = multiply(restrictions, beta, r, k, 1);
  const rv = multiply(restrictions, covariance, r, k, k);
  const rt = new Float64Array(k * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) rt[j * r + i] = restrictions[i * k + j]!;
  const rvr = multiply(rv, rt, r, k, r);
  symmetrizeFromUpper(rvr, r);
  if (rvr.some((x) => !Number.isFinite(x))) return { statistic: Number.NaN, rank: 0 };
  const { inverse, rank } = symmetricPseudoInverse(rvr, r);
  const q = multiply(inverse, rb, r, r, 1);
  let statistic = 0;
  for (let i = 0; i < r; i++) statistic += rb[i]! * q[i]!;
  return { statistic, rank };
}
