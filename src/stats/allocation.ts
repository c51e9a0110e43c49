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

/** Fractions this close to 0 or 1 are float noise from n·p, not real remainders. */
const FRACTION_EPSILON = 1e-9;

/**
 * Arm counts for every stratum at once, by dependent rounding (Gandhi, Khuller, Parthasarathy & Srinivasan
 * 2006) of the bipartite stratum × arm table of exact shares n_s·p_j. Each stratum first gets the floor of
 * every share; the leftover units ("misfits") are then placed by randomly rounding the fractional parts
 * along cycles and maximal paths of the table, which guarantees at once:
 *  - every stratum's count for arm j is ⌊n_s·p_j⌋ or ⌈n_s·p_j⌉ and the stratum total is n_s;
 *  - every arm's overall count is ⌊N·p_j⌋ or ⌈N·p_j⌉ (within one participant of the weights);
 *  - E[count_sj] = n_s·p_j exactly, so every unit's probability of arm j is exactly p_j. Largest remainder
 *    per stratum would break this: with 45/55 weights and strata of one unit it puts everyone in arm 1.
 * Returns counts[s·K + j]. Example: `allocateStrata([10, 3], [1, 1], seededRandom(1))` → e.g. [5, 5, 1, 2].
 */
export function allocateStrata(stratumSizes: ArrayLike<number>, weights: readonly number[], random: Random): Int32Array {
  if (weights.length === 0 || weights.some((w) => !(w > 0) || !Number.isFinite(w))) {
    throw new RangeError('weights must be positive finite numbers');
  }
  const k = weights.length;
  const s = stratumSizes.length;
  const total = weights.reduce((a, b) => a + b, 0);
  const p = weights.map((w) => w / total);
  const counts = new Int32Array(s * k);
  const frac = new Float64Array(s * k);
  // Fractional edges per arm, with swap-remove positions, so a walk finds a neighbour in O(1).
  const armStrata: number[][] = Array.from({ length: k }, () => []);
  const position = new Int32Array(s * k).fill(-1);
  const degree = new Int32Array(s);
  for (let st = 0; st < s; st++) {
    const n = stratumSizes[st]!;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`stratum sizes must be non-negative integers, got ${n}`);
    for (let j = 0; j < k; j++) {
      const exact = n * p[j]!;
      let floor = Math.floor(exact);
      let f = exact - floor;
      if (f > 1 - FRACTION_EPSILON) { floor++; f = 0; }
      if (f < FRACTION_EPSILON) f = 0;
      counts[st * k + j] = floor;
      if (f > 0) {
        frac[st * k + j] = f;
        position[st * k + j] = armStrata[j]!.length;
        armStrata[j]!.push(st);
        degree[st] = degree[st]! + 1;
      }
    }
  }
  const settle = (st: number, j: number): void => {
    const e = st * k + j;
    const f = frac[e]!;
    if (f > FRACTION_EPSILON && f < 1 - FRACTION_EPSILON) return;
    if (f >= 1 - FRACTION_EPSILON) counts[e] = counts[e]! + 1;
    frac[e] = 0;
    const list = armStrata[j]!;
    const at = position[e]!;
    const last = list.pop()!;
    if (at < list.length) {
      list[at] = last;
      position[last * k + j] = at;
    }
    position[e] = -1;
    degree[st] = degree[st]! - 1;
  };
  const armSeen = new Int32Array(k).fill(-1);
  const strataSeen = new Map<number, number>();
  for (let st = 0; st < s; st++) {
    while (degree[st]! > 0) {
      if (degree[st] === 1) {
        // Only float noise can leave a single fractional edge in a stratum; round it on its own.
        const j = frac.subarray(st * k, st * k + k).findIndex((f) => f > 0);
        frac[st * k + j] = random.next() < frac[st * k + j]! ? 1 : 0;
        settle(st, j);
        continue;
      }
      const edges = findCycleOrMaximalPath(st, k, frac, armStrata, armSeen, strataSeen);
      roundAlong(edges, k, frac, random);
      for (const e of edges) settle(Math.floor(e / k), e % k);
    }
  }
  for (let st = 0; st < s; st++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += counts[st * k + j]!;
    if (sum !== stratumSizes[st]) throw new Error(`internal: stratum ${st} allocated ${sum} of ${stratumSizes[st]}`);
  }
  return counts;
}

/**
 * Walks fractional edges from stratum `start` until it closes a cycle or, after a dead end at an arm of
 * degree one, restarts from that arm to the opposite dead end (a maximal path). Returns consecutive edges
 * as indexes s·K + j. Strata always have ≥ 2 fractional edges (their row sums are integers), so walks only
 * end at arms.
 */
function findCycleOrMaximalPath(
  start: number,
  k: number,
  frac: Float64Array,
  armStrata: readonly number[][],
  armSeen: Int32Array,
  strataSeen: Map<number, number>,
): number[] {
  // vertices: strata as s, arms as −(j + 1)
  const walk = (first: number, firstFrom: number): { vertices: number[]; cycleFrom: number } => {
    armSeen.fill(-1);
    strataSeen.clear();
    const vertices = [first];
    const mark = (v: number, at: number): void => {
      if (v >= 0) strataSeen.set(v, at);
      else armSeen[-v - 1] = at;
    };
    mark(first, 0);
    let from = firstFrom;
    for (;;) {
      const cur = vertices[vertices.length - 1]!;
      let next: number | undefined;
      if (cur >= 0) {
        for (let j = 0; j < k; j++) {
          if (frac[cur * k + j]! > 0 && -(j + 1) !== from) { next = -(j + 1); break; }
        }
      } else {
        const list = armStrata[-cur - 1]!;
        next = list[0] === from ? list[1] : list[0];
      }
      if (next === undefined) return { vertices, cycleFrom: -1 };
      const seenAt = next >= 0 ? strataSeen.get(next) : armSeen[-next - 1]! >= 0 ? armSeen[-next - 1] : undefined;
      if (seenAt !== undefined) {
        vertices.push(next);
        return { vertices, cycleFrom: seenAt };
      }
      mark(next, vertices.length);
      vertices.push(next);
      from = cur;
    }
  };
  let result = walk(start, Number.NaN);
  if (result.cycleFrom < 0) {
    const deadEnd = result.vertices[result.vertices.length - 1]!;
    result = walk(deadEnd, Number.NaN);
  }
  const vs = result.cycleFrom >= 0 ? result.vertices.slice(result.cycleFrom) : result.vertices;
  const edges: number[] = [];
  for (let i = 0; i + 1 < vs.length; i++) {
    const a = vs[i]!;
    const b = vs[i + 1]!;
    edges.push(a >= 0 ? a * k + (-b - 1) : b * k + (-a - 1));
  }
  return edges;
}

/** One GKPS step: alternate edges move by +α/−α or −β/+β with probabilities β/(α+β) and α/(α+β). */
function roundAlong(edges: readonly number[], _k: number, frac: Float64Array, random: Random): void {
  let alpha = Infinity;
  let beta = Infinity;
  edges.forEach((e, i) => {
    const x = frac[e]!;
    if (i % 2 === 0) { alpha = Math.min(alpha, 1 - x); beta = Math.min(beta, x); }
    else { alpha = Math.min(alpha, x); beta = Math.min(beta, 1 - x); }
  });
  const up = random.next() < beta / (alpha + beta);
  edges.forEach((e, i) => {
    const sign = i % 2 === 0 ? 1 : -1;
    frac[e] = frac[e]! + (up ? sign * alpha : -sign * beta);
  });
}
