/**
 * Turns credentials into actors: admin bearer tokens into users, `X-API-Key` values into datasource keys.
 * Messages and the distinction between "missing", "malformed" and "unknown" follow the reference, because
 * client code branches on them. Beyond the reference, a key may expire (an expired key is answered exactly
 * like an unknown one) and carries scopes: `read` (metadata, exports) and `assign` (assignments, outcomes).
 */
import type { Kysely } from 'kysely';
import { ApiKeyError, MessageNotFoundError, NotFoundError } from '../domain/errors.ts';
import { TtlCache } from '../domain/ttl-cache.ts';
import { API_KEY_PREFIX, hashApiKey } from '../security/api-keys.ts';
import type { DB } from '../store/schema.ts';
import type { ApiKeyActor, ServiceDeps, UserActor } from './context.ts';
import { authenticateSession } from './sessions.ts';

/** The user behind an admin bearer token (a signed session token; see `sessions.ts`). */
export async function authenticateBearer(deps: Pick<ServiceDeps, 'db' | 'clock'>, token: string): Promise<UserActor> {
  return authenticateSession(deps, token);
}

export const API_KEY_INVALID = 'X-API-Key is invalid or does not have access to this resource.';
export const EXPERIMENT_NOT_FOUND = 'Experiment not found or not authorized.';

function checkKeyShape(key: string | undefined): string {
  if (key === undefined || key === '') throw new ApiKeyError('api_key_missing', 'X-API-Key request header is required.');
  if (!key.startsWith(API_KEY_PREFIX)) {
    throw new ApiKeyError('bad_request', `X-API-Key request header is invalid: must start with \`${API_KEY_PREFIX}\`.`);
  }
  return key;
}

export type ApiKeyScope = 'read' | 'assign';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'assign'];
/** How stale `last_used_at` may get; writing it on every request would double the writes of a hot key. */
const LAST_USED_RESOLUTION_MS = 60_000;

async function findKey(deps: Pick<ServiceDeps, 'db' | 'clock'>, key: string) {
  const now = deps.clock.now();
  const found = await deps.db
    .selectFrom('api_keys as k')
    .innerJoin('datasources as d', 'd.id', 'k.datasource_id')
    .select(['k.id', 'k.datasource_id', 'k.scopes', 'k.last_used_at', 'd.organization_id'])
    .where('k.key_hash', '=', hashApiKey(key))
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', now)]))
    .executeTakeFirst();
  if (found && (!found.last_used_at || now.getTime() - found.last_used_at.getTime() > LAST_USED_RESOLUTION_MS)) {
    await deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', found.id).execute();
  }
  return found;
}

/**
 * Keys as the assignment hot path sees them: cached per process for a short time, keyed by the key's hash.
 * Only `authenticateKeyForAssignment` reads the cache, and every answer it gives is re-checked by the
 * get-or-create statement that follows (the key row must still exist, be unexpired, belong to the
 * experiment's datasource and hold `assign`), so a revoked key stops assigning on its next request on
 * every replica. The TTL bounds memory and the staleness of the `last_used_at` bookkeeping only.
 */
export const API_KEY_CACHE_TTL_MS = 30_000;
const API_KEY_CACHE_ENTRIES = 10_000;

interface CachedKey {
  readonly id: string;
  readonly datasource_id: string;
  readonly scopes: string[];
  readonly organization_id: string;
  readonly expires_at: Date | null;
  last_used_at: Date | null;
}

const keyCaches = new WeakMap<Kysely<DB>, TtlCache<string, CachedKey>>();

function keyCacheFor(db: Kysely<DB>): TtlCache<string, CachedKey> {
  let cache = keyCaches.get(db);
  if (!cache) {
    cache = new TtlCache(API_KEY_CACHE_TTL_MS, API_KEY_CACHE_ENTRIES);
    keyCaches.set(db, cache);
  }
  return cache;
}

async function findKeyCached(deps: Pick<ServiceDeps, 'db' | 'clock'>, key: string): Promise<CachedKey | undefined> {
  const cache = keyCacheFor(deps.db);
  const hash = hashApiKey(key);
  const now = deps.clock.now();
  const hit = cache.get(hash, now.getTime());
  if (hit) {
    // Expiry is exact even on a cached copy: the expiry time travels with it.
    if (hit.expires_at !== null && hit.expires_at <= now) {
      cache.delete(hash);
      return undefined;
    }
    if (!hit.last_used_at || now.getTime() - hit.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      hit.last_used_at = now;
      await deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', hit.id).execute();
    }
    return hit;
  }
  const found = await deps.db
    .selectFrom('api_keys as k')
    .innerJoin('datasources as d', 'd.id', 'k.datasource_id')
    .select(['k.id', 'k.datasource_id', 'k.scopes', 'k.expires_at', 'k.last_used_at', 'd.organization_id'])
    .where('k.key_hash', '=', hash)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', now)]))
    .executeTakeFirst();
  if (!found) return undefined;
  if (!found.last_used_at || now.getTime() - found.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    found.last_used_at = now;
    await deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', found.id).execute();
  }
  cache.set(hash, found, now.getTime());
  return found;
}

/** Drops a key's cached copy; the assignment path calls it when the database says the copy is stale. */
export function forgetApiKey(deps: Pick<ServiceDeps, 'db'>, key: string): void {
  keyCaches.get(deps.db)?.delete(hashApiKey(key));
}

function checkScope(found: { scopes: string[] }, scope: ApiKeyScope): void {
  if (!found.scopes.includes(scope)) throw new ApiKeyError('api_key_invalid', `X-API-Key does not have the '${scope}' scope.`);
}

/**
 * For `GET /v1/experiments`: the key must belong to the named datasource. Unknown datasource → 404,
 * unknown key or another datasource's key → 403.
 */
export async function authenticateKeyForDatasource(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  key: string | undefined,
  datasourceId: string,
): Promise<ApiKeyActor> {
  const shaped = checkKeyShape(key);
  const ds = await deps.db.selectFrom('datasources').select('id').where('id', '=', datasourceId).executeTakeFirst();
  if (!ds) throw new MessageNotFoundError('Datasource not found.');
  const found = await findKey(deps, shaped);
  if (!found || found.datasource_id !== datasourceId) throw new ApiKeyError('api_key_invalid', API_KEY_INVALID);
  checkScope(found, 'read');
  return actorOf(found);
}

/**
 * For experiment-scoped routes: the experiment is looked up through the key's datasource, so an unknown
 * key, another datasource's key and an unknown experiment all answer the same 404.
 */
export async function authenticateKeyForExperiment(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  key: string | undefined,
  experimentId: string,
  datasourceHeader: string | undefined,
  scope: ApiKeyScope = 'read',
): Promise<ApiKeyActor> {
  const found = await findKey(deps, checkKeyShape(key));
  return authorizeForExperiment(found, experimentId, datasourceHeader, scope, async (id) => {
    const exp = await deps.db.selectFrom('experiments').select('datasource_id').where('id', '=', id).executeTakeFirst();
    return exp?.datasource_id;
  });
}

/**
 * `authenticateKeyForExperiment` for the assignment hot path, with the same answers in the same order,
 * but reading the key from the per-process cache and the experiment's datasource through
 * `experimentDatasource` (the caller's experiment cache). The caller must confirm the key in its database
 * statement and call `forgetApiKey` when that check fails.
 */
export async function authenticateKeyForAssignment(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  key: string | undefined,
  experimentId: string,
  datasourceHeader: string | undefined,
  experimentDatasource: (experimentId: string) => Promise<string | undefined>,
): Promise<ApiKeyActor> {
  const found = await findKeyCached(deps, checkKeyShape(key));
  return authorizeForExperiment(found, experimentId, datasourceHeader, 'assign', experimentDatasource);
}

/**
 * The experiment-scoped checks, in the reference's order: an unknown key and an experiment outside the
 * key's datasource answer the same 404; a mismatched Datasource-ID header is a 403; the scope is checked
 * last, so a key without it learns nothing about other datasources.
 */
async function authorizeForExperiment(
  found: KeyGrant | undefined,
  experimentId: string,
  datasourceHeader: string | undefined,
  scope: ApiKeyScope,
  experimentDatasource: (experimentId: string) => Promise<string | undefined>,
): Promise<ApiKeyActor> {
  if (!found) throw new NotFoundError(EXPERIMENT_NOT_FOUND);
  if (datasourceHeader !== undefined && datasourceHeader !== found.datasource_id) {
    throw new ApiKeyError('api_key_invalid', API_KEY_INVALID);
  }
  if ((await experimentDatasource(experimentId)) !== found.datasource_id) throw new NotFoundError(EXPERIMENT_NOT_FOUND);
  checkScope(found, scope);
  return actorOf(found);
}

/** What a key lookup yields, cached or not. */
interface KeyGrant {
  readonly id: string;
  readonly datasource_id: string;
  readonly organization_id: string;
  readonly scopes: string[];
}

function actorOf(found: KeyGrant): ApiKeyActor {
  return { kind: 'api_key', keyId: found.id, datasourceId: found.datasource_id, organizationId: found.organization_id };
}
