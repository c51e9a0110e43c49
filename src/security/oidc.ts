/**
 * An OpenID Connect relying party for the authorization-code flow with PKCE. The browser (our UI) makes
 * the code verifier and nonce and sends the user to the provider; the server then exchanges the code at
 * the token endpoint with its client secret and the verifier, and checks the ID token itself: signature
 * against the provider's JWKS (RS256/PS256/ES256/EdDSA), issuer, audience, authorized party, expiry with
 * 30 s leeway, and the nonce. When the ID token carries no email, it is read from UserInfo (same subject).
 * Discovery and keys are cached for an hour; an unknown `kid` refetches the keys.
 *
 * @example
 *   const client = new OidcClient({ issuer, clientId, clientSecret, redirectUri });
 *   const claims = await client.exchangeCode({ code, codeVerifier, nonce });   // { iss, sub, email, … }
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scope?: string;
}

export interface IdTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly [claim: string]: unknown;
}

export class OidcError extends Error {}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly userinfo_endpoint?: string;
}

const CACHE_MS = 3600 * 1000;
const LEEWAY_S = 30;

function b64json(part: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new OidcError('ID token is not a well-formed JWT.');
  }
}

export class OidcClient {
  #discovery: { value: Promise<Discovery>; at: number } | undefined;
  #keys: { value: Promise<JsonWebKey[]>; at: number } | undefined;

  constructor(
    readonly settings: OidcSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Sharing one promise keeps concurrent logins from stampeding the provider. */
  discovery(): Promise<Discovery> {
    if (!this.#discovery || Date.now() - this.#discovery.at > CACHE_MS) {
      const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const value = this.#getJson(url).then((d) => {
        const doc = d as Partial<Discovery>;
        if (doc.issuer !== this.settings.issuer || !doc.token_endpoint || !doc.jwks_uri || !doc.authorization_endpoint) {
          throw new OidcError('OIDC discovery document does not match the configured issuer.');
        }
        return doc as Discovery;
      });
      value.catch(() => (this.#discovery = undefined));
      this.#discovery = { value, at: Date.now() };
    }
    return this.#discovery.value;
  }

  async #getJson(url: string): Promise<unknown> {
    const res = await this.fetchImpl(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new OidcError(`${url} answered ${res.status}.`);
    return res.json();
  }

  async #jwks(refresh: boolean): Promise<JsonWebKey[]> {
    if (refresh || !this.#keys || Date.now() - this.#keys.at > CACHE_MS) {
      const { jwks_uri } = await this.discovery();
      const value = this.#getJson(jwks_uri).then((j) => ((j as { keys?: JsonWebKey[] }).keys ?? []) as JsonWebKey[]);
      value.catch(() => (this.#keys = undefined));
      this.#keys = { value, at: Date.now() };
    }
    return this.#keys.value;
  }

  async #key(kid: unknown): Promise<KeyObject> {
    const pick = (keys: JsonWebKey[]) => keys.find((k) => (kid === undefined ? keys.length === 1 : k.kid === kid) && (k.use ?? 'sig') === 'sig');
    const jwk = pick(await this.#jwks(false)) ?? pick(await this.#jwks(true));
    if (!jwk) throw new OidcError('ID token is signed with an unknown key.');
    return createPublicKey({ key: jwk, format: 'jwk' });
  }

  /** Exchanges the authorization code and returns the verified ID token's claims. */
  async exchangeCode(input: { code: string; codeVerifier: string; nonce: string }, now = new Date()): Promise<IdTokenClaims> {
    const d = await this.discovery();
    const basic = Buffer.from(`${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`).toString('base64');
    const res = await this.fetchImpl(d.token_endpoint, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: this.settings.redirectUri,
        code_verifier: input.codeVerifier,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new OidcError(`Token endpoint answered ${res.status}.`);
    const body = (await res.json()) as { id_token?: unknown; access_token?: unknown };
    if (typeof body.id_token !== 'string') throw new OidcError('Token endpoint returned no ID token.');
    const claims = await this.verifyIdToken(body.id_token, input.nonce, now);
    if (claims.email !== undefined || !d.userinfo_endpoint || typeof body.access_token !== 'string') return claims;
    // Many providers put scope claims (email) only in UserInfo; its subject must be the ID token's.
    const info = await this.fetchImpl(d.userinfo_endpoint, {
      headers: { Authorization: `Bearer ${body.access_token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!info.ok) throw new OidcError(`UserInfo endpoint answered ${info.status}.`);
    const extra = (await info.json()) as { sub?: unknown; email?: unknown; email_verified?: unknown };
    if (extra.sub !== claims.sub) throw new OidcError('UserInfo subject does not match the ID token.');
    return {
      ...claims,
      ...(typeof extra.email === 'string' ? { email: extra.email } : {}),
      ...(typeof extra.email_verified === 'boolean' ? { email_verified: extra.email_verified } : {}),
    };
  }

  async verifyIdToken(idToken: string, nonce: string, now = new Date()): Promise<IdTokenClaims> {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw new OidcError('ID token is not a well-formed JWT.');
    const [h, p, s] = parts as [string, string, string];
    const header = b64json(h);
    const claims = b64json(p);
    const key = await this.#key(header.kid);
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    let ok: boolean;
    switch (header.alg) {
      case 'RS256':
        ok = verify('sha256', data, key, signature);
        break;
      case 'PS256':
        ok = verify('sha256', data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, signature);
        break;
      case 'ES256':
        ok = verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
        break;
      case 'EdDSA':
        ok = verify(null, data, key, signature);
        break;
      default:
        throw new OidcError(`ID token algorithm ${String(header.alg)} is not accepted.`);
    }
    if (!ok) throw new OidcError('ID token signature is invalid.');
    const t = Math.floor(now.getTime() / 1000);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.settings.issuer) throw new OidcError('ID token issuer does not match.');
    if (!aud.includes(this.settings.clientId)) throw new OidcError('ID token audience does not match.');
    if ((aud.length > 1 || claims.azp !== undefined) && claims.azp !== this.settings.clientId) throw new OidcError('ID token authorized party does not match.');
    if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_S < t) throw new OidcError('ID token has expired.');
    if (typeof claims.iat !== 'number' || claims.iat - LEEWAY_S > t) throw new OidcError('ID token is issued in the future.');
    if (claims.nonce !== nonce) throw new OidcError('ID token nonce does not match.');
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new OidcError('ID token has no subject.');
    return claims as unknown as IdTokenClaims;
  }
}
