/**
 * Session tokens for the admin API: `xa_<key id>.<claims>.<signature>`, where the claims are base64url JSON
 * `{sub, iat, exp}` (milliseconds) and the signature is HMAC-SHA256 over `<key id>.<claims>` with the named
 * signing key. Tokens are stateless, so any API replica can check them; revocation works by comparing `iat`
 * with the user's `last_logout`. Keys rotate: the newest signs, older ones still verify.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_TOKEN_PREFIX = 'xa_';

export interface SessionClaims {
  /** The user id. */
  readonly sub: string;
  /** Issued at, ms since the epoch. */
  readonly iat: number;
  /** Expires at, ms since the epoch. */
  readonly exp: number;
}

export interface SigningKey {
  readonly id: string;
  /** 32 random bytes. */
  readonly secret: Buffer;
}

/** A fresh signing key, e.g. `newSigningKey()` → `{ id: 'k3f9…', secret: <32 bytes> }`. */
export function newSigningKey(): SigningKey {
  return { id: `k${randomBytes(8).toString('hex')}`, secret: randomBytes(32) };
}

function mac(key: SigningKey, signed: string): Buffer {
  return createHmac('sha256', key.secret).update(`equipoise.session.v1:${signed}`).digest();
}

/** @example signSessionToken(key, { sub: 'u_x', iat: Date.now(), exp: Date.now() + 3_600_000 }) → 'xa_k…' */
export function signSessionToken(key: SigningKey, claims: SessionClaims): string {
  const body = Buffer.from(JSON.stringify({ sub: claims.sub, iat: claims.iat, exp: claims.exp })).toString('base64url');
  const signed = `${key.id}.${body}`;
  return `${SESSION_TOKEN_PREFIX}${signed}.${mac(key, signed).toString('base64url')}`;
}

export interface UnverifiedToken {
  readonly keyId: string;
  /** Checks the signature with the named key and returns the claims, or null if anything is off. */
  verify(key: SigningKey): SessionClaims | null;
}

/** Splits a token without trusting it; null when it is not shaped like a session token at all. */
export function parseSessionToken(token: string): UnverifiedToken | null {
  if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 2048) return null;
  const parts = token.slice(SESSION_TOKEN_PREFIX.length).split('.');
  if (parts.length !== 3) return null;
  const [keyId, body, signature] = parts as [string, string, string];
  if (!/^k[0-9a-f]{16}$/.test(keyId)) return null;
  return {
    keyId,
    verify(key) {
      if (key.id !== keyId) return null;
      const expected = mac(key, `${keyId}.${body}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionClaims>;
        if (typeof claims.sub !== 'string' || typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return null;
        return { sub: claims.sub, iat: claims.iat, exp: claims.exp };
      } catch {
        return null;
      }
    },
  };
}
