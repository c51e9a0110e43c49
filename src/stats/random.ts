/**
 * Seeded pseudo-random numbers for everything that must be reproducible (sampling order, assignment
 * shuffles). xoshiro128** seeded through SplitMix32: fast, 2^128-1 period, and good statistical quality,
 * unlike Math.random, which cannot be seeded.
 */
import { randomInt } from 'node:crypto';

export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator whose whole sequence is fixed by `seed` (any integer; only its low 53 bits matter). */
export function seededRandom(seed: number): Random {
  // Fold the high bits into the low ones, then fill all four state words from one SplitMix stream so that
  // neighbouring seeds (1, 2, 3, ...) give unrelated first draws.
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  const mix = splitmix32((seed >>> 0) ^ Math.imul(high, 0x9e3779b1));
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => (nextUint32() * 2 ** 21 + (nextUint32() >>> 11)) / 2 ** 53;
  return {
    next,
    int(n) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Seeds span 48 bits: they survive JSON numbers and bigint columns exactly. */
export const MAX_SEED = 2 ** 48 - 1;

/** A fresh seed from the operating system's CSPRNG, for draws that need not be reproducible. */
export function randomSeed(): number {
  return randomInt(MAX_SEED);
}
