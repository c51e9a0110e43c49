/**
 * Signing in: with email and password (local accounts, so the embedded default and offline installs need
 * no identity provider), or with an OpenID Connect provider. Failures share one message, and a password
 * check for an unknown account costs as much as for a known one, so neither reveals who has an account.
 * Attempts are rate-limited by the HTTP layer before they get here.
 *
 * @example await loginWithPassword(deps, { email: 'ana@example.org', password: '…' })  // → { session_token }
 */
import { sql } from 'kysely';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { OidcError, type OidcClient } from '../security/oidc.ts';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../security/passwords.ts';
import { createOrganization } from './bootstrap.ts';
import type { ServiceContext, ServiceDeps, UserActor } from './context.ts';
import { issueSession } from './sessions.ts';
import { normalizeEmail } from './users.ts';

export const LOGIN_FAILED = 'Invalid email or password.';
export const OIDC_LOGIN_FAILED = 'Sign-in with the identity provider failed.';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

export async function loginWithPassword(deps: Deps, input: { email: string; password: string }) {
  const user = await deps.db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', normalizeEmail(input.email)).executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !user.password_hash || !ok) throw new UnauthenticatedError(LOGIN_FAILED);
  await deps.db.updateTable('users').set({ last_login_at: deps.clock.now() }).where('id', '=', user.id).execute();
  return { session_token: await issueSession(deps, user.id) };
}

/** Sets the caller's password; the current one is required once there is one. */
export async function setPassword(ctx: ServiceContext<UserActor>, input: { current_password?: string | undefined; new_password: string }) {
  if (input.new_password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError([{ loc: ['body', 'new_password'], msg: `must be at least ${MIN_PASSWORD_LENGTH} characters`, type: 'string_too_short' }]);
  }
  const user = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  if (user.password_hash && !(input.current_password !== undefined && (await verifyPassword(input.current_password, user.password_hash)))) {
    throw new ForbiddenError('The current password is wrong.');
  }
  const hash = await hashPassword(input.new_password);
  await ctx.db.updateTable('users').set({ password_hash: hash, updated_at: ctx.clock.now() }).where('id', '=', ctx.actor.userId).execute();
}

/**
 * The OIDC callback. The account is found by (issuer, subject), or by verified email for a user who was
 * invited and has never used a provider (their identity is then bound). Nobody signs themselves up, except
 * the very first user of an installation, who becomes privileged with an organization of their own.
 */
export async function loginWithOidc(deps: Deps, client: OidcClient, input: { code: string; codeVerifier: string; nonce: string }) {
  let claims;
  try {
    claims = await client.exchangeCode(input, deps.clock.now());
  } catch (err) {
    if (err instanceof OidcError) throw new UnauthenticatedError(OIDC_LOGIN_FAILED);
    throw err;
  }
  const email = typeof claims.email === 'string' && claims.email_verified !== false ? normalizeEmail(claims.email) : null;
  const now = deps.clock.now();
  const userId = await deps.db.transaction().execute(async (trx) => {
    // Serializes first-user creation with bootstrap and with concurrent first logins.
    await sql`SELECT pg_advisory_xact_lock(hashtext('equipoise.bootstrap'))`.execute(trx);
    const bound = await trx.selectFrom('users').select('id').where('oidc_issuer', '=', claims.iss).where('oidc_subject', '=', claims.sub).executeTakeFirst();
    if (bound) return bound.id;
    if (!email) throw new UnauthenticatedError(OIDC_LOGIN_FAILED);
    const byEmail = await trx.selectFrom('users').select(['id', 'oidc_issuer']).where('email', '=', email).executeTakeFirst();
    if (byEmail) {
      // A user is locked to the first provider account they used.
      if (byEmail.oidc_issuer !== null) throw new UnauthenticatedError(OIDC_LOGIN_FAILED);
      await trx.updateTable('users').set({ oidc_issuer: claims.iss, oidc_subject: claims.sub, updated_at: now }).where('id', '=', byEmail.id).execute();
      return byEmail.id;
    }
    const anyone = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyone) throw new UnauthenticatedError(OIDC_LOGIN_FAILED);
    const id = newId('user');
    await trx.insertInto('users').values({ id, email, is_privileged: true, oidc_issuer: claims.iss, oidc_subject: claims.sub }).execute();
    await createOrganization(trx, 'My Organization', id);
    return id;
  });
  await deps.db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
  return { session_token: await issueSession(deps, userId) };
}

/** What the UI needs to start the provider's sign-in page itself. */
export async function oidcLoginSettings(client: OidcClient | null) {
  if (!client) return { enabled: false as const };
  const d = await client.discovery().catch(() => null);
  if (!d) return { enabled: false as const };
  return {
    enabled: true as const,
    issuer: client.settings.issuer,
    authorization_endpoint: d.authorization_endpoint,
    client_id: client.settings.clientId,
    redirect_uri: client.settings.redirectUri,
    scope: client.settings.scope ?? 'openid email',
  };
}
