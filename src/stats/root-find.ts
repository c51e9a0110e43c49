/**
 * One-dimensional root finding for the power solvers: Brent's method (inverse quadratic interpolation,
 * secant and bisection steps, Brent 1973, ch. 4) on a bracket whose ends have opposite signs, plus an
 * upward bracket expansion for monotone functions whose root has no known upper bound (a sample size).
 * Brent never leaves the bracket and needs at most about (log2 of the bracket / tolerance)² steps, so a
 * noisy or flat function degrades to bisection instead of diverging.
 */

/** Raised when a bracket holds no sign change or the iteration budget runs out. */
export class RootFindError extends Error {
  override readonly name = 'RootFindError';
}

export interface RootOptions {
  /** Absolute tolerance on x. */
  readonly xtol?: number;
  /** Relative tolerance on x (times |x|). Four machine epsilons: tighter is below rounding noise. */
  readonly rtol?: number;
  readonly maxIterations?: number;
}

const DEFAULT_RTOL = 4 * Number.EPSILON;
const DEFAULT_MAX_ITERATIONS = 500;

/**
 * A root of f in [a, b], where f(a) and f(b) differ in sign (or one is zero).
 * @example brentRoot((x) => x * x - 2, 0, 2) // 1.4142135623730951
 */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  options: RootOptions = {},
): number {
  const xtol = options.xtol ?? 0;
  const rtol = options.rtol ?? DEFAULT_RTOL;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  let fa = f(a);
  let fb = f(b);
  if (Number.isNaN(fa) || Number.isNaN(fb)) throw new RootFindError('the function is NaN at a bracket end');
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) {
    throw new RootFindError(`f(a) and f(b) must have different signs (f(${a}) = ${fa}, f(${b}) = ${fb})`);
  }
  // Invariant: b is the best estimate, c the previous bracket end so that the root lies between b and c.
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol = 2 * rtol * Math.abs(b) + 0.5 * xtol + Number.MIN_VALUE;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Interpolate: secant when only two distinct points, inverse quadratic otherwise.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolation only if it lands well inside the bracket and shrinks fast enough.
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if (Number.isNaN(fb)) throw new RootFindError(`the function is NaN at x = ${b}`);
  }
  throw new RootFindError(`no convergence after ${maxIterations} iterations`);
}

export interface ExpandOptions {
  /** Multiplier applied to the upper end at each step. */
  readonly factor?: number;
  /** Give up when the upper end would pass this value. */
  readonly limit?: number;
}

/**
 * For f increasing or decreasing through zero above `low`: grows the upper end from `startHigh` by a
 * factor until f changes sign, and returns the bracket [low', high] with the last same-sign point as low'.
 * @example expandBracketUp((n) => n - 1000, 2, 50) // [800, 1600]
 */
export function expandBracketUp(
  f: (x: number) => number,
  low: number,
  startHigh: number,
  options: ExpandOptions = {},
): [number, number] {
  const factor = options.factor ?? 2;
  const limit = options.limit ?? 1e15;
  const fLow = f(low);
  if (fLow === 0) return [low, low];
  let lo = low;
  let hi = Math.max(startHigh, low);
  for (;;) {
    const fHi = f(hi);
    if (fHi === 0 || Math.sign(fHi) !== Math.sign(fLow)) return [lo, hi];
    if (hi * factor > limit) throw new RootFindError(`no sign change below ${limit}`);
    lo = hi;
    hi *= factor;
  }
}
