/**
 * Admin sessions: issuing signed session tokens, checking them on every admin request, logout, and the
 * rotation of the signing keys. The keys live in the app database (table `session_keys`) so every API
 * replica signs and verifies with the same set; each process caches them briefly and reloads when it meets
 * a key id it does not know, so a rotation done elsewhere is picked up at once.
 *
 * @example
 *   const token = await issueSession(deps, userId);         // 'xa_k….….…'
 *   const actor = await authenticateSession(deps, token);   // { kind: 'user', userId, … }
 */
import type { Kysely } from 'kysely';
import { UnauthenticatedError } from '../domain/errors.ts';
import { newSigningKey, parseSessionToken, signSessionToken, type SigningKey } from '../security/sessions.ts';
import type { DB } from '../store/schema.ts';
import type { ServiceContext, ServiceDeps, UserActor } from './context.ts';

/** How long a session from a login lasts (the reference's 12 h). */
export const SESSION_TTL_MS = 12 * 3600 * 1000;
/** The longest any token lives (the start-up login link); old keys are kept at least this long after retiring. */
export const MAX_SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** How long a process trusts its cached key list before reading it again. */
const KEY_CACHE_MS = 60_000;

interface CachedKeys {
  readonly keys: readonly SigningKey[];
  readonly loadedAt: number;
}

// Per database handle, so tests with several databases in one process never share keys.
const cache = new WeakMap<Kysely<DB>, CachedKeys>();

async function loadKeys(db: Kysely<DB>): Promise<readonly SigningKey[]> {
  const rows = await db.selectFrom('session_keys').select(['id', 'secret']).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const keys = rows.map((r) => ({ id: r.id, secret: Buffer.from(r.secret, 'base64') }));
  cache.set(db, { keys, loadedAt: Date.now() });
  return keys;
}

async function keys(db: Kysely<DB>, options: { reload?: boolean } = {}): Promise<readonly SigningKey[]> {
  const cached = cache.get(db);
  if (!options.reload && cached && Date.now() - cached.loadedAt < KEY_CACHE_MS && cached.keys.length > 0) return cached.keys;
  return loadKeys(db);
}

/** Adds a signing key; it signs from now on. Called on first use and by `equipoise keys rotate`. */
export async function addSessionKey(db: Kysely<DB>, now: Date): Promise<string> {
  const key = newSigningKey();
  await db.insertInto('session_keys').values({ id: key.id, secret: key.secret.toString('base64'), created_at: now }).execute();
  // A key can go once a newer key has been signing for longer than any token lives.
  const cutoff = new Date(now.getTime() - MAX_SESSION_TTL_MS - 60_000);
  await db
    .deleteFrom('session_keys as k')
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('session_keys as newer').select('newer.id').whereRef('newer.created_at', '>', 'k.created_at').where('newer.created_at', '<', cutoff)),
    )
    .execute();
  await loadKeys(db);
  return key.id;
}

async function signingKey(db: Kysely<DB>, now: Date): Promise<SigningKey> {
  let list = await keys(db);
  if (list.length === 0) {
    await addSessionKey(db, now);
    list = await keys(db, { reload: true });
  }
  return list[0] as SigningKey;
}

/** A session token for the user, valid for `ttlMs`. Issued after `last_logout`, so a logout a moment ago does not void it. */
export async function issueSession(deps: Pick<ServiceDeps, 'db' | 'clock'>, userId: string, ttlMs = SESSION_TTL_MS): Promise<string> {
  const now = deps.clock.now().getTime();
  const user = await deps.db.selectFrom('users').select('last_logout').where('id', '=', userId).executeTakeFirstOrThrow();
  const iat = Math.max(now, user.last_logout.getTime() + 1);
  const key = await signingKey(deps.db, new Date(now));
  return signSessionToken(key, { sub: userId, iat, exp: iat + Math.min(ttlMs, MAX_SESSION_TTL_MS) });
}

/** The user behind a bearer token, with the reference's two 401 messages. */
export async function authenticateSession(deps: Pick<ServiceDeps, 'db' | 'clock'>, token: string): Promise<UserActor> {
  const parsed = parseSessionToken(token);
  if (!parsed) throw new UnauthenticatedError('Session token invalid or expired.');
  let key = (await keys(deps.db)).find((k) => k.id === parsed.keyId);
  key ??= (await keys(deps.db, { reload: true })).find((k) => k.id === parsed.keyId);
  const claims = key ? parsed.verify(key) : null;
  const now = deps.clock.now().getTime();
  if (!claims || claims.exp <= now) throw new UnauthenticatedError('Session token invalid or expired.');
  const user = await deps.db.selectFrom('users').select(['id', 'email', 'is_privileged', 'last_logout']).where('id', '=', claims.sub).executeTakeFirst();
  if (!user || user.last_logout.getTime() >= claims.iat) throw new UnauthenticatedError('Expired session, or user not found.');
  return { kind: 'user', userId: user.id, email: user.email, isPrivileged: user.is_privileged };
}

/** Ends every session of the caller issued until now. */
export async function logout(ctx: ServiceContext<UserActor>): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.updateTable('users').set({ last_logout: now, updated_at: now }).where('id', '=', ctx.actor.userId).execute();
}

