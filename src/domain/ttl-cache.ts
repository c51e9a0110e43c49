/**
 * A small per-process cache whose entries expire after a fixed time and which holds at most a fixed
 * number of entries (the oldest insert goes first). Time is passed in, so tests drive it with a clock.
 * Used for API-key and experiment lookups on the assignment path, where every use is re-validated by the
 * database statement that follows (see `docs/decisions.md`, "Cached lookups").
 *
 * @example
 *   const cache = new TtlCache<string, number>(30_000, 10_000);
 *   cache.set('a', 1, Date.now());
 *   cache.get('a', Date.now()); // 1 for the next 30 s
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAtMs: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  get(key: K, nowMs: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V, nowMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAtMs: nowMs + this.ttlMs });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
