/**
 * Sign-in with the configured identity provider: authorization code + PKCE, done in the browser as the
 * reference does, with the verifier, state and nonce kept in sessionStorage across the redirect.
 */
import { api } from '../api/client.ts';

export interface OidcSettings {
  readonly enabled: boolean;
  readonly issuer?: string;
  readonly authorization_endpoint?: string;
  readonly client_id?: string;
  readonly redirect_uri?: string;
  readonly scope?: string;
}

const PENDING_KEY = 'equipoise.oidc';

function randomString(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(buf);
}

function base64url(buf: Uint8Array): string {
  let s = '';
  for (const b of buf) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function startOidcLogin(settings: OidcSettings): Promise<void> {
  if (!settings.authorization_endpoint || !settings.client_id || !settings.redirect_uri) throw new Error('The identity provider is not fully configured on the server.');
  const verifier = randomString(48);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce }));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(settings.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.client_id,
    redirect_uri: settings.redirect_uri,
    scope: settings.scope ?? 'openid email',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** Finishes a sign-in the provider redirected back to; resolves with the session token. */
export async function finishOidcLogin(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') ?? error}`);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; nonce: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending || pending.state !== params.get('state')) throw new Error('This sign-in link is stale or was opened in another tab. Start again.');
  const code = params.get('code');
  if (!code) throw new Error('The identity provider sent no authorization code.');
  const { session_token } = await api.post<{ session_token: string }>('/v1/a/oidc/callback', { code, code_verifier: pending.verifier, nonce: pending.nonce });
  return session_token;
}
