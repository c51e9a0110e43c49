/**
 * How many of n units each arm gets. Largest-remainder (Hamilton) apportionment: every arm gets the floor
 * of its exact share, and the leftover units go to the largest fractional remainders, ties broken at random,
 * so sizes never differ from n·weight by one unit or more and always add up to n.
 */
import type { Random } from './random.ts';

/** `weights` are relative (they need not sum to 1 or 100); they must be positive and finite. */
export function allocateByWeights(n: number, weights: readonly number[], random: Random): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (weights.length === 0 || weights.some((w) => !(w > 0) || !Number.isFinite(w))) {
    throw new RangeError('weights must be positive finite numbers');
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (n * w) / total);
  const sizes = exact.map(Math.floor);
  let leftover = n - sizes.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x), tie: random.next() }))
    .sort((p, q) => q.remainder - p.remainder || p.tie - q.tie);
  for (const { i } of order) {
    if (leftover-- <= 0) break;
    sizes[i] = (sizes[i] as number) + 1;
  }
  return sizes;
}

/**
 * Assigns each unit an arm index: exactly `allocateByWeights` many per arm, in a seeded random order.
 * Returns arm indexes aligned with the input order.
 */
export function assignArms(n: number, weights: readonly number[], random: Random): number[] {
  const sizes = allocateByWeights(n, weights, random);
  const labels: number[] = [];
  sizes.forEach((size, arm) => {
    for (let k = 0; k < size; k++) labels.push(arm);
  });
  for (let i = labels.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [labels[i], labels[j]] = [labels[j] as number, labels[i] as number];
  }
  return labels;
}

/** Picks one arm index with probability proportional to its weight. */
export function drawWeighted(weights: readonly number[], random: Random): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
