/**
 * Per-process copies of the experiments the assignment path reads, so a repeat request needs no lookup
 * of its own. A copy is never trusted blindly: it carries the experiment's `version` (bumped by trigger on
 * every change, migration 0005), and the get-or-create statement compares it in the same round trip. A
 * copy changed by another API replica is therefore noticed on its next use, not after the TTL; the TTL
 * only bounds memory and how long an unused copy lingers. Changes made through this process's services
 * also drop the copy at once (`forgetExperiment`).
 */
import type { Kysely } from 'kysely';
import { TtlCache } from '../../domain/ttl-cache.ts';
import { loadExperiment, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import type { DB } from '../../store/schema.ts';
import type { ServiceDeps } from '../context.ts';

export const EXPERIMENT_CACHE_TTL_MS = 30_000;
const EXPERIMENT_CACHE_ENTRIES = 10_000;

/** One cache per database handle, so test servers sharing a process never see each other's rows. */
const caches = new WeakMap<Kysely<DB>, TtlCache<string, LoadedExperiment>>();

function cacheFor(db: Kysely<DB>): TtlCache<string, LoadedExperiment> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new TtlCache(EXPERIMENT_CACHE_TTL_MS, EXPERIMENT_CACHE_ENTRIES);
    caches.set(db, cache);
  }
  return cache;
}

/** The experiment with its arms, from the cache or the database (`fresh` skips the cache). */
export async function cachedExperiment(deps: Pick<ServiceDeps, 'db' | 'clock'>, experimentId: string, fresh = false): Promise<LoadedExperiment | undefined> {
  const cache = cacheFor(deps.db);
  const now = deps.clock.now().getTime();
  if (!fresh) {
    const hit = cache.get(experimentId, now);
    if (hit) return hit;
  }
  const loaded = await loadExperiment(deps.db, experimentId);
  if (loaded) cache.set(experimentId, loaded, now);
  else cache.delete(experimentId);
  return loaded;
}

export function forgetExperiment(deps: Pick<ServiceDeps, 'db'>, experimentId: string): void {
  caches.get(deps.db)?.delete(experimentId);
}
