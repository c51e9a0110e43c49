/**
 * Adjusted p-values across many comparisons (arms × metrics): Holm's step-down family-wise error control and
 * Benjamini–Hochberg false-discovery-rate control, matching statsmodels `multipletests(method="holm" /
 * "fdr_bh")`. NaN p-values (arms without data) are left NaN and not counted as tests.
 */

function finiteOrder(pValues: readonly number[]): number[] {
  pValues.forEach((p) => {
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
  });
  return pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i])).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
}

/**
 * Holm: the i-th smallest of m p-values becomes max over k ≤ i of min(1, (m − k + 1)·p_(k)).
 * Example: `holm([0.01, 0.04, 0.03])` → [0.03, 0.06, 0.06].
 */
export function holm(pValues: readonly number[]): number[] {
  const order = finiteOrder(pValues);
  const m = order.length;
  const out = pValues.map(() => Number.NaN);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[i]!));
    out[i] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg: the i-th smallest becomes min over k ≥ i of min(1, m·p_(k)/k).
 * Example: `benjaminiHochberg([0.01, 0.04, 0.03])` → [0.03, 0.04, 0.04].
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const order = finiteOrder(pValues);
  const m = order.length;
  const out = pValues.map(() => Number.NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank]!;
    running = Math.min(running, (m * pValues[i]!) / (rank + 1));
    out[i] = running;
  }
  return out;
}
