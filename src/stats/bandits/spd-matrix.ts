/**
 * The little dense linear algebra the bandits need, for symmetric positive-definite (SPD) matrices:
 * Cholesky factors, inverses and solves, quadratic forms. Matrices are row arrays (`number[][]`) so that
 * posteriors stay plain JSON values; dimensions are small (one per context, at most a few hundred).
 */

export type Vector = readonly number[];
export type Matrix = readonly (readonly number[])[];

/**
 * Lower-triangular L with L Lᵀ = A, or `undefined` when A is not (numerically) positive definite.
 * Only the lower triangle of A is read, so tiny asymmetries from rounding do not matter.
 * @example choleskyLower([[4, 2], [2, 3]]) // [[2, 0], [1, 1.414…]]
 */
export function choleskyLower(a: Matrix): number[][] | undefined {
  const n = a.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const lj = l[j] as number[];
    let diag = at(a, j, j);
    for (let k = 0; k < j; k++) diag -= (lj[k] as number) ** 2;
    if (!(diag > 0) || !Number.isFinite(diag)) return undefined;
    const ljj = Math.sqrt(diag);
    lj[j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const li = l[i] as number[];
      let s = at(a, i, j);
      for (let k = 0; k < j; k++) s -= (li[k] as number) * (lj[k] as number);
      li[j] = s / ljj;
    }
  }
  return l;
}

/** Solves A x = b given A's Cholesky factor L (forward then back substitution). */
export function choleskySolve(l: Matrix, b: Vector): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= at(l, i, k) * (y[k] as number);
    y[i] = s / at(l, i, i);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= at(l, k, i) * (x[k] as number);
    x[i] = s / at(l, i, i);
  }
  return x;
}

/**
 * Inverse of an SPD matrix, symmetrised so that posteriors stay exactly symmetric. Throws when A is not
 * positive definite: for a precision or covariance matrix that is a bug upstream, not something to paper over.
 * @example spdInverse([[2, 0], [0, 4]]) // [[0.5, 0], [0, 0.25]]
 */
export function spdInverse(a: Matrix): number[][] {
  const l = choleskyLower(a);
  if (l === undefined) throw new RangeError('matrix is not symmetric positive definite');
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) => choleskySolve(l, unitVector(n, j)));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => ((columns[j]?.[i] as number) + (columns[i]?.[j] as number)) / 2),
  );
}

/** A x. */
export function matVec(a: Matrix, x: Vector): number[] {
  return a.map((row) => dot(row, x));
}

/** xᵀ y. */
export function dot(x: Vector, y: Vector): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

/** xᵀ A x: the variance of xᵀθ when θ has covariance A. */
export function quadraticForm(a: Matrix, x: Vector): number {
  return dot(x, matVec(a, x));
}

export function identity(n: number, scale = 1): number[][] {
  return Array.from({ length: n }, (_, i) => unitVector(n, i).map((v) => v * scale));
}

function unitVector(n: number, i: number): number[] {
  const e = new Array<number>(n).fill(0);
  e[i] = 1;
  return e;
}

function at(a: Matrix, i: number, j: number): number {
  return a[i]?.[j] as number;
}
