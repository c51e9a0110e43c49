/**
 * Sign-in routes under `/v1/a` (no bearer token): email + password, the OpenID Connect callback (code +
 * PKCE verifier + nonce, as in the reference), the provider settings the UI needs to start a sign-in, and
 * redeeming an invite link. Each answers a session token `{session_token}`; failures do not say whether an
 * account exists.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../domain/errors.ts';
import type { OidcClient } from '../../security/oidc.ts';
import { acceptInvite } from '../../services/invites.ts';
import { loginWithOidc, loginWithPassword, oidcLoginSettings } from '../../services/login.ts';
import type { AppEnv } from '../app-env.ts';
import { loginRateLimit } from '../middleware/rate-limit.ts';
import { DetailError, errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Sign-in';
const Session = z.object({ session_token: z.string() }).openapi('SessionToken');
const tooMany = { 429: okJson(DetailError, 'Too many attempts; see Retry-After') };

export interface LoginRouteOptions {
  readonly oidc: OidcClient | null;
  readonly trustProxy: boolean;
}

export function loginRoutes(options: LoginRouteOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limited = loginRateLimit({ trustProxy: options.trustProxy });
  app.use('/login', limited);
  app.use('/oidc/callback', limited);
  app.use('/invites/accept', limited);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      operationId: 'login',
      tags: [TAG],
      summary: 'Sign in with email and password',
      request: {
        body: { content: { 'application/json': { schema: z.object({ email: z.string().min(1).max(255), password: z.string().min(1).max(1024) }) } }, required: true },
      },
      responses: { 200: okJson(Session, 'A session token, valid for 12 hours'), ...errorResponses, ...tooMany },
    }),
    async (c) => c.json(await loginWithPassword(c.var.deps, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/oidc',
      operationId: 'oidc_settings',
      tags: [TAG],
      summary: 'Where to send the browser for sign-in with the identity provider, if one is configured',
      responses: {
        200: okJson(
          z.object({
            enabled: z.boolean(),
            issuer: z.string().optional(),
            authorization_endpoint: z.string().optional(),
            client_id: z.string().optional(),
            redirect_uri: z.string().optional(),
            scope: z.string().optional(),
          }),
          'Provider settings',
        ),
      },
    }),
    async (c) => c.json(await oidcLoginSettings(options.oidc), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/oidc/callback',
      operationId: 'oidc_callback',
      tags: [TAG],
      summary: 'Finish sign-in with the identity provider (authorization code + PKCE)',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                code: z.string().min(1).max(2048),
                code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
                nonce: z.string().min(8).max(128),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: okJson(Session, 'A session token, valid for 12 hours'), ...errorResponses, ...tooMany },
    }),
    async (c) => {
      if (!options.oidc) throw new NotFoundError('Sign-in with an identity provider is not configured.');
      const b = c.req.valid('json');
      return c.json(await loginWithOidc(c.var.deps, options.oidc, { code: b.code, codeVerifier: b.code_verifier, nonce: b.nonce }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/invites/accept',
      operationId: 'accept_invite',
      tags: [TAG],
      summary: 'Redeem an invite link: join the organization, optionally set a first password, and sign in',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(256), password: z.string().max(1024).optional() }) } },
          required: true,
        },
      },
      responses: { 200: okJson(Session, 'A session token'), ...errorResponses, ...tooMany },
    }),
    async (c) => c.json(await acceptInvite(c.var.deps, c.req.valid('json')), 200),
  );

  return app;
}
