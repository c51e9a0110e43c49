/**
 * A small least-recently-used cache of selection probabilities, owned and passed in by the caller (one per
 * process or per experiment). The key is derived from the score distributions themselves (exact decimal
 * round-trip of every parameter) plus the selection mechanism and the arm, so an entry can never go stale: a
 * new posterior version has a different key. No version counter has to be kept in sync across replicas.
 */

export interface CachedPropensity {
  readonly probability: number;
  readonly method: 'exact' | 'monte-carlo';
}

export interface PropensityCache {
  readonly capacity: number;
  /** Insertion order is recency order (a Map iterates in insertion order). */
  readonly entries: Map<string, CachedPropensity>;
}

/** Entries kept by default: one per (posterior version, arm); enough for a few busy experiments. */
export const DEFAULT_PROPENSITY_CACHE_ENTRIES = 1024;

/**
 * An empty cache.
 * @example const cache = createPropensityCache(); chooseArm(arms, random, { cache })
 */
export function createPropensityCache(capacity = DEFAULT_PROPENSITY_CACHE_ENTRIES): PropensityCache {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  return { capacity, entries: new Map() };
}

/** Looks up and marks the entry most recently used. */
export function cacheGet(cache: PropensityCache, key: string): CachedPropensity | undefined {
  const hit = cache.entries.get(key);
  if (hit !== undefined) {
    cache.entries.delete(key);
    cache.entries.set(key, hit);
  }
  return hit;
}

/** Stores an entry, evicting the least recently used one when full. */
export function cacheSet(cache: PropensityCache, key: string, value: CachedPropensity): void {
  cache.entries.delete(key);
  cache.entries.set(key, value);
  while (cache.entries.size > cache.capacity) {
    const oldest = cache.entries.keys().next().value as string;
    cache.entries.delete(oldest);
  }
}
