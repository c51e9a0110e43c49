/**
 * Adaptive Gauss–Legendre quadrature for the one-dimensional integrals behind exact selection probabilities
 * and predictive means. Each panel is integrated with a 15-point rule, whole and as two halves; the
 * difference is its error estimate, and the panel with the largest estimate is split until the total meets
 * the tolerance. A 15-point rule is exact for polynomials of degree 29, so smooth integrands converge in very
 * few splits; peaks and steep steps get refined where they are.
 */

/** Nodes per panel. */
const GAUSS_POINTS = 15;
/** Upper bound on panels, so a pathological integrand costs at most ~ 45 · 2 000 evaluations. */
const MAX_PANELS = 2_000;
/**
 * A panel whose error estimate is below this fraction of its own value is accepted: special functions such
 * as the incomplete beta with parameters in the thousands are only accurate to ~1e-13 relative, and asking
 * for more would split panels on their rounding noise forever.
 */
export const NOISE_RELATIVE = 1e-12;

export interface Integral {
  readonly value: number;
  /** Sum of the per-panel error estimates (an upper bound in practice, not a guarantee). */
  readonly errorEstimate: number;
  /** False when the panel budget ran out before the tolerance was met. */
  readonly converged: boolean;
}

const { nodes: NODES, weights: WEIGHTS } = gaussLegendre(GAUSS_POINTS);

/**
 * ∫ₐᵇ f(x) dx to an absolute tolerance (or `relativeFloor` of the value, whichever is larger).
 * @example integrate((x) => x * x, 0, 1, 1e-14).value // 0.3333333333333333
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  absTolerance: number,
  relativeFloor = NOISE_RELATIVE,
): Integral {
  // Global strategy (as QUADPACK's QAG): keep splitting the panel with the largest error estimate until the
  // total estimate meets the tolerance. Unlike a per-panel share of the tolerance, this converges for
  // bounded integrands with a kink or cusp at an end point (e.g. a CDF behaving like √(1 − t) near 1).
  const panels: Panel[] = [estimate(f, a, b)];
  let value = panels[0]?.value as number;
  let errorEstimate = panels[0]?.error as number;
  while (errorEstimate > Math.max(absTolerance, relativeFloor * Math.abs(value))) {
    if (panels.length >= MAX_PANELS) return { value, errorEstimate, converged: false };
    let worstAt = 0;
    for (let i = 1; i < panels.length; i++) if ((panels[i] as Panel).error > (panels[worstAt] as Panel).error) worstAt = i;
    const worst = panels[worstAt] as Panel;
    const mid = (worst.lo + worst.hi) / 2;
    if (mid <= worst.lo || mid >= worst.hi) return { value, errorEstimate, converged: false };
    const left = estimate(f, worst.lo, mid);
    const right = estimate(f, mid, worst.hi);
    panels[worstAt] = left;
    panels.push(right);
    value = 0;
    errorEstimate = 0;
    for (const p of panels) {
      value += p.value;
      errorEstimate += p.error;
    }
  }
  return { value, errorEstimate, converged: true };
}

interface Panel {
  readonly lo: number;
  readonly hi: number;
  readonly value: number;
  readonly error: number;
}

/** A panel's integral (as two half-panel rules) and its error estimate against the whole-panel rule. */
function estimate(f: (x: number) => number, lo: number, hi: number): Panel {
  const mid = (lo + hi) / 2;
  const halves = panel(f, lo, mid) + panel(f, mid, hi);
  return { lo, hi, value: halves, error: Math.abs(halves - panel(f, lo, hi)) };
}

function panel(f: (x: number) => number, lo: number, hi: number): number {
  const half = (hi - lo) / 2;
  const centre = (hi + lo) / 2;
  let s = 0;
  for (let i = 0; i < GAUSS_POINTS; i++) s += (WEIGHTS[i] as number) * f(centre + half * (NODES[i] as number));
  return s * half;
}

/** Legendre roots by Newton's method from the Chebyshev-like initial guess; weights from P'ₙ. */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * derivative * derivative));
  }
  return { nodes, weights };
}
