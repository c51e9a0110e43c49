/**
 * Signing in: email + password (scrypt) with uniform failures, the login rate limit (10 attempts per 15
 * minutes per address and per account, 429 + Retry-After), and OpenID Connect (authorization code + PKCE)
 * against a real provider started in the test with the `oidc-provider` package.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import { OidcClient } from '../../src/security/oidc.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

const CLIENT_ID = 'equipoise-test';
const CLIENT_SECRET = 'oidc-client-secret-for-tests-0123456789';
const REDIRECT_URI = 'http://127.0.0.1:1/login/oidc';

interface TestProvider {
  readonly issuer: string;
  /** The provider account the next sign-in uses: its subject and email. */
  signInAs(sub: string, email: string): void;
  close(): Promise<void>;
}

async function startProvider(): Promise<TestProvider> {
  const accounts = new Map<string, string>();
  let next = { sub: '', email: '' };
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: accounts.get(sub), email_verified: true }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['cookie-signing-key-for-tests'] },
    // Consent is implied: this test is about our relying party, not the provider's screens.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      accounts.set(next.sub, next.email);
      provider
        .interactionFinished(req, res, { login: { accountId: next.sub } }, { mergeWithLastSubmission: false })
        .catch((err: unknown) => {
          res.statusCode = 500;
          res.end(String(err));
        });
      return;
    }
    void callback(req, res);
  };
  return {
    issuer,
    signInAs(sub, email) {
      next = { sub, email };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the browser does: PKCE + nonce, the provider's redirects with its cookies, back to our redirect URI. */
async function browserSignIn(issuer: string, options: { nonce?: string } = {}) {
  const codeVerifier = randomBytes(32).toString('base64url');
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: REDIRECT_URI,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    nonce,
    state: randomBytes(8).toString('hex'),
    prompt: 'login',
  });
  const cookies = new Map<string, string>();
  let url = `${issuer}/auth?${params}`;
  for (let hops = 0; hops < 10; hops++) {
    const res = await fetch(url, { redirect: 'manual', headers: { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`provider stopped at ${url} with ${res.status}: ${await res.text()}`);
    url = new URL(location, url).toString();
    if (url.startsWith(REDIRECT_URI)) {
      const code = new URL(url).searchParams.get('code');
      if (!code) throw new Error(`no code in ${url}`);
      return { code, code_verifier: codeVerifier, nonce };
    }
  }
  throw new Error('too many redirects');
}

describeEachDatabase('password login', (kind) => {
  let f: AccountsFixture;
  beforeAll(async () => {
    // Login limits count in fixed 15-minute windows: a clock that stands still in the middle of one keeps a
    // run that happens to cross a boundary (hh:00, :15, :30, :45) from starting the count afresh.
    const window = 15 * 60_000;
    const clock = new ManualClock(new Date(Math.floor(Date.now() / window) * window + window / 2));
    f = await accountsFixture(kind, { trustProxy: true }, clock);
  });
  afterAll(async () => f?.close());

  const login = (body: unknown, ip = '10.0.0.1') => f.caller(null)('/v1/a/login', { method: 'POST', json: body, headers: { 'X-Forwarded-For': ip } });

  it('signs in with email and password, and fails alike for a wrong password and an unknown account', async () => {
    expect((await f.admin('/v1/m/password', { method: 'PUT', json: { new_password: 'short' } })).status).toBe(422);
    expect((await f.admin('/v1/m/password', { method: 'PUT', json: { new_password: 'first password 123' } })).status).toBe(204);
    expect((await f.admin('/v1/m/password', { method: 'PUT', json: { new_password: 'second password 456' } })).status).toBe(403);
    const ok = await login({ email: 'Admin@Localhost', password: 'first password 123' });
    expect(ok.status).toBe(200);
    const token = (await ok.json()).session_token;
    expect((await (await f.caller(token)('/v1/m/caller-identity')).json()).email).toBe('admin@localhost');

    const wrong = await login({ email: 'admin@localhost', password: 'nope nope nope' }, '10.0.0.2');
    const unknown = await login({ email: 'ghost@example.org', password: 'nope nope nope' }, '10.0.0.3');
    const noPassword = await login({ email: 'outsider-np@example.org', password: 'nope nope nope' }, '10.0.0.4');
    for (const r of [wrong, unknown, noPassword]) {
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ detail: 'Invalid email or password.' });
    }
  });

  it('allows 10 attempts per 15 minutes per account and per address, then 429 with Retry-After', async () => {
    await f.newUser('target@example.org');
    for (let i = 0; i < 10; i++) expect((await login({ email: 'target@example.org', password: 'guess guess' }, `10.1.0.${i}`)).status).toBe(401);
    const blocked = await login({ email: 'target@example.org', password: 'guess guess' }, '10.1.1.1');
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await blocked.json()).detail).toMatch(/Too many requests/);

    for (let i = 0; i < 10; i++) expect((await login({ email: `nobody${i}@example.org`, password: 'guess guess' }, '10.2.0.1')).status).toBe(401);
    const byIp = await login({ email: 'someone-else@example.org', password: 'guess guess' }, '10.2.0.1');
    expect(byIp.status).toBe(429);
    expect((await login({ email: 'someone-else@example.org', password: 'guess guess' }, '10.2.0.2')).status).toBe(401);
  });
});

describeEachDatabase('OIDC login against a real provider', (kind) => {
  let provider: TestProvider;
  let fixture: AccountsFixture;
  let empty: TestDatabase;
  let oidc: OidcClient;
  beforeAll(async () => {
    provider = await startProvider();
    oidc = new OidcClient({ issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
    fixture = await accountsFixture(kind, { oidc });
    empty = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await fixture?.close();
    await empty?.close();
    await provider?.close();
  });

  it('makes the first user of an empty installation a privileged admin with an organization', async () => {
    const app = createApp({ ...fixture.server.deps, db: empty.db, clock: systemClock }, { oidc });
    const settings = await (await app.request('/v1/a/oidc')).json();
    expect(settings).toMatchObject({ enabled: true, issuer: provider.issuer, client_id: CLIENT_ID, authorization_endpoint: `${provider.issuer}/auth` });
    provider.signInAs('first-sub', 'First@Example.org');
    const res = await app.request('/v1/a/oidc/callback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(await browserSignIn(provider.issuer)) });
    expect(res.status).toBe(200);
    const token = (await res.json()).session_token;
    const me = await (await app.request('/v1/m/caller-identity', { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(me).toMatchObject({ email: 'first@example.org', is_privileged: true });
    const orgs = await (await app.request('/v1/m/organizations', { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(orgs.items.map((o: { name: string }) => o.name)).toEqual(['My Organization']);
  });

  it('signs in only invited users, binds them to their provider account, and checks the nonce', async () => {
    const call = fixture.caller(null);
    const callback = async (body: unknown) => call('/v1/a/oidc/callback', { method: 'POST', json: body });

    provider.signInAs('stranger-sub', 'stranger@example.org');
    const stranger = await callback(await browserSignIn(provider.issuer));
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toEqual({ detail: 'Sign-in with the identity provider failed.' });

    await fixture.admin(`/v1/m/organizations/${fixture.server.organizationId}/members`, { method: 'POST', json: { email: 'invited@example.org' } });
    provider.signInAs('invited-sub', 'invited@example.org');
    const first = await callback(await browserSignIn(provider.issuer));
    expect(first.status).toBe(200);
    const token = (await first.json()).session_token;
    const me = await (await fixture.caller(token)('/v1/m/caller-identity')).json();
    expect(me).toMatchObject({ email: 'invited@example.org', is_privileged: false });
    const row = await fixture.server.database.db.selectFrom('users').selectAll().where('email', '=', 'invited@example.org').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ oidc_issuer: provider.issuer, oidc_subject: 'invited-sub' });

    // Another provider account claiming the same email is refused: the user is locked to the first one.
    provider.signInAs('impostor-sub', 'invited@example.org');
    expect((await callback(await browserSignIn(provider.issuer))).status).toBe(401);

    provider.signInAs('invited-sub', 'invited@example.org');
    const code = await browserSignIn(provider.issuer);
    expect((await callback({ ...code, nonce: 'a-different-nonce' })).status).toBe(401);
    provider.signInAs('invited-sub', 'invited@example.org');
    expect((await callback(await browserSignIn(provider.issuer))).status).toBe(200);
  });
});

describe('OIDC when not configured', () => {
  it('reports it disabled', async () => {
    const db = await createTestDatabase('pglite');
    try {
      const app = createApp({ db: db.db, clock: systemClock, publicUrl: '', allowPrivateIps: false, secrets: null, openWarehouse: async () => { throw new Error('unused'); } });
      expect(await (await app.request('/v1/a/oidc')).json()).toEqual({ enabled: false });
      const res = await app.request('/v1/a/oidc/callback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: 'c', code_verifier: 'v'.repeat(43), nonce: 'n'.repeat(8) }) });
      expect(res.status).toBe(404);
    } finally {
      await db.close();
    }
  });
});
