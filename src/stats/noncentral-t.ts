/**
 * Noncentral Student t distribution: CDF and survival function, the building blocks of t-test power.
 *
 * T = (Z + δ) / √(V/ν) with Z ~ N(0, 1) and V ~ χ²_ν independent. Conditioning on U = √(V/ν):
 *
 *   P(T ≤ x) = ∫₀^∞ Φ(x·u − δ) g_ν(u) du,   g_ν(u) = 2 a^a u^{ν−1} e^{−a u²} / Γ(a),  a = ν/2,
 *
 * and P(T > x) is the same integral for (−x, −δ). Both integrands are positive, so either tail is
 * computed directly with full relative accuracy (no 1 − F cancellation, no alternating series when x and δ
 * have opposite signs, which is where the usual Poisson-mixture series of Lenth (AS 243) loses digits).
 * For ν ≥ 1 the log-integrand is concave in u (Φ is log-concave, and so is g_ν), so it has one peak: we find
 * it, cut the range where the integrand has fallen by e^{−50} relative to the peak, and integrate with
 * adaptive Gauss–Legendre panels in scaled (log) space so nothing underflows before the final product.
 * Accuracy: about 1e-13 relative against mpmath over ν ∈ [1, 10⁴], δ ∈ [−10, 40], tails down to 1e-300.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { normalCdf, tCdf } from './distributions.ts';
import { brentRoot } from './root-find.ts';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this z, log Φ(z) comes from its asymptotic series (erfc is still fine here, the series is exact enough). */
const LOG_CDF_SERIES_BELOW = -20;
/** The integration range ends where the integrand is e^{−50} ≈ 2e-22 of its peak (concavity bounds the rest). */
const LOG_DROP_AT_RANGE_END = 50;
/** Relative tolerance of each quadrature panel against the whole integral. */
const QUADRATURE_RTOL = 1e-14;
const NOISE_FLOOR_RTOL = 2e-13;
const MAX_PANEL_DEPTH = 16;
const GAUSS_POINTS = 20;

/**
 * P(T ≤ x) for the noncentral t with `df` ≥ 1 degrees of freedom and noncentrality `nc`.
 * @example nctCdf(1.5, 10, 2) // ≈ 0.3047854474
 */
export function nctCdf(x: number, df: number, nc: number): number {
  return lowerTail(x, df, nc);
}

/**
 * P(T > x), computed directly (not as 1 − cdf), so far right tails keep their digits.
 * @example nctSf(1.5, 10, 2) // ≈ 0.6952145526
 */
export function nctSf(x: number, df: number, nc: number): number {
  return lowerTail(-x, df, -nc);
}

function lowerTail(x: number, df: number, nc: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || Number.isNaN(nc)) return Number.NaN;
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be at least 1, got ${df}`);
  if (!Number.isFinite(nc)) throw new RangeError(`noncentrality must be finite, got ${nc}`);
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (df === Infinity) return normalCdf(x - nc);
  if (x === 0) return normalCdf(-nc); // P(Z + δ ≤ 0)
  // Central t: for x > 0 the result is above 1/2, so 1 − (left tail) loses nothing.
  if (nc === 0) return x < 0 ? tCdf(x, df) : 1 - tCdf(-x, df);
  return integrate(x, df, nc);
}

/** log Φ(z), accurate for very negative z where Φ underflows. */
export function logNormalCdf(z: number): number {
  if (z >= LOG_CDF_SERIES_BELOW) return z > 0 ? Math.log1p(-normalCdf(-z)) : Math.log(normalCdf(z));
  // Φ(z) = φ(z)/|z| · (1 − 1/z² + 1·3/z⁴ − 1·3·5/z⁶ + …); at |z| ≥ 20 the terms fall below 1e-17 long
  // before the asymptotic series starts to diverge (around term z²/2).
  const z2 = z * z;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 40 && Math.abs(term) > 1e-18; k++) {
    term *= -(2 * k - 1) / z2;
    sum += term;
  }
  return -z2 / 2 - Math.log(-z) - LOG_SQRT_2PI + Math.log(sum);
}

/**
 * Stirling's error: ln Γ(a) − [(a − ½) ln a − a + ½ ln 2π]. Needed so that the chi density's normalising
 * constant a ln a − ln Γ(a) does not lose digits to cancellation when ν is in the thousands.
 */
function stirlingError(a: number): number {
  if (a < 15) return gammaln(a) - ((a - 0.5) * Math.log(a) - a + LOG_SQRT_2PI);
  const inv = 1 / a;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
}

/** w − ln(1 + w), with a series near 0 where the subtraction would cancel. */
function wMinusLog1p(w: number): number {
  if (Math.abs(w) >= 0.1) return w - Math.log1p(w);
  let power = w * w;
  let sum = 0;
  for (let k = 2; k < 40; k++) {
    const term = power / k;
    sum += k % 2 === 0 ? term : -term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    power *= w;
  }
  return sum;
}

interface Integrand {
  /** log of Φ(x·u − δ)·g_ν(u). */
  readonly logH: (u: number) => number;
  /** Its first and second derivatives, for locating the peak and its width. */
  readonly d1: (u: number) => number;
  readonly d2: (u: number) => number;
}

function makeIntegrand(x: number, df: number, nc: number): Integrand {
  const a = df / 2;
  const logConst = Math.LN2 + 0.5 * Math.log(a) - LOG_SQRT_2PI - stirlingError(a);
  const logG = (u: number): number => {
    const w = (u - 1) * (u + 1);
    if (Math.abs(w) < 0.5) {
      // −ln u − a·(u² − 1 − ln u²): the large terms a and a·u² cancel analytically.
      return logConst - Math.log(u) - a * wMinusLog1p(w);
    }
    const logU = df === 1 ? 0 : (df - 1) * Math.log(u);
    return logConst + logU - a * w;
  };
  /** φ(z)/Φ(z), the inverse Mills ratio. */
  const millsInverse = (z: number): number => Math.exp(-0.5 * z * z - LOG_SQRT_2PI - logNormalCdf(z));
  return {
    logH: (u) => logNormalCdf(x * u - nc) + logG(u),
    // (ν − 1)/u terms are written out only for ν > 1: at ν = 1 and u → 0 they would be 0/0.
    d1: (u) => x * millsInverse(x * u - nc) + (df > 1 ? (df - 1) / u : 0) - df * u,
    d2: (u) => {
      const z = x * u - nc;
      const r = millsInverse(z);
      // r(z + r) lies in (0, 1) and tends to 1 as z → −∞; clamp the rounding noise there.
      const curvature = Math.min(1, Math.max(0, r * (z + r)));
      return -x * x * curvature - (df > 1 ? (df - 1) / (u * u) : 0) - df;
    },
  };
}

function integrate(x: number, df: number, nc: number): number {
  const h = makeIntegrand(x, df, nc);
  const peak = findPeak(h, df);
  const logPeak = h.logH(peak);
  // Width of the peak from the curvature there; the concave log-integrand falls at least this fast nearby.
  const width = 1 / Math.sqrt(-h.d2(Math.max(peak, Number.MIN_VALUE)));
  const lo = rangeEnd(h, peak, -width, logPeak);
  const hi = rangeEnd(h, peak, width, logPeak);
  const f = (u: number): number => Math.exp(h.logH(u) - logPeak);
  // A first pass sizes the absolute tolerance; the adaptive pass then refines each side of the peak.
  const rough = (peak > lo ? gaussPanel(f, lo, peak) : 0) + gaussPanel(f, peak, hi);
  const tol = rough * QUADRATURE_RTOL;
  let total = adaptiveGauss(f, peak, hi, tol, 0);
  if (peak > lo) total += adaptiveGauss(f, lo, peak, tol, 0);
  return Math.min(1, Math.exp(logPeak + Math.log(total)));
}

/** The maximiser of the concave log-integrand on [0, ∞): a zero of its derivative, or 0 when ν = 1 and it falls from there. */
function findPeak(h: Integrand, df: number): number {
  let hi = 1;
  while (h.d1(hi) > 0) hi *= 2;
  let lo = hi / 2;
  while (lo > 1e-300 && h.d1(lo) < 0) lo /= 2;
  if (lo <= 1e-300) return df === 1 ? 0 : lo;
  return brentRoot(h.d1, lo, hi, { rtol: 1e-12 });
}

/** Walks from the peak by doubling steps until the log-integrand has dropped by LOG_DROP_AT_RANGE_END. */
function rangeEnd(h: Integrand, peak: number, step: number, logPeak: number): number {
  for (let k = 1; k < 2000; k *= 2) {
    const u = peak + k * step;
    if (u <= 0) return 0;
    if (h.logH(u) < logPeak - LOG_DROP_AT_RANGE_END) return u;
  }
  return peak + 2000 * step;
}

/** Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_n (computed once). */
const GAUSS = gaussLegendre(GAUSS_POINTS);

function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / derivative;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    nodes.push(t);
    weights.push(2 / ((1 - t * t) * derivative * derivative));
  }
  return { nodes, weights };
}

function gaussPanel(f: (u: number) => number, a: number, b: number): number {
  const mid = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  let sum = 0;
  for (let i = 0; i < GAUSS.nodes.length; i++) {
    sum += (GAUSS.weights[i] as number) * f(mid + half * (GAUSS.nodes[i] as number));
  }
  return sum * half;
}

/** Splits a panel in two until both halves agree with the whole to `tol` (absolute). */
function adaptiveGauss(f: (u: number) => number, a: number, b: number, tol: number, depth: number): number {
  const whole = gaussPanel(f, a, b);
  const mid = 0.5 * (a + b);
  const left = gaussPanel(f, a, mid);
  const right = gaussPanel(f, mid, b);
  const sum = left + right;
  // The floor stops splitting once the halves agree to the integrand's own rounding noise (its log can be
  // near −800 in far tails, so exp(log) carries ~1e-13 relative error), whatever the requested tolerance.
  if (Math.abs(sum - whole) <= Math.max(tol, NOISE_FLOOR_RTOL * Math.abs(sum)) || depth >= MAX_PANEL_DEPTH) {
    return sum;
  }
  return adaptiveGauss(f, a, mid, tol / 2, depth + 1) + adaptiveGauss(f, mid, b, tol / 2, depth + 1);
}
