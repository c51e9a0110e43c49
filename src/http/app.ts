/**
 * Builds the HTTP application from its dependencies (no module-level singleton, so tests build their own):
 * the public integration API under `/v1`, the admin API under `/v1/m`, OpenAPI 3.1 at `/openapi.json`
 * with interactive docs at `/docs`, a health check, and the web UI at `/`.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import type { OidcClient } from '../security/oidc.ts';
import { DEFAULT_API_KEY_LIMIT_PER_SECOND } from '../services/rate-limit.ts';
import type { ServiceDeps } from '../services/context.ts';
import { checkDatabase } from '../services/health.ts';
import { apiKeyRoutes } from './admin/api-keys.ts';
import { auditRoutes } from './admin/audit.ts';
import { accountRoutes } from './admin/auth.ts';
import { loginRoutes } from './admin/auth-login.ts';
import { userRoutes } from './admin/users.ts';
import { datasourceRoutes } from './admin/datasources.ts';
import { experimentRoutes } from './admin/experiments.ts';
import { analysisRoutes } from './admin/analysis.ts';
import { snapshotRoutes } from './admin/snapshots.ts';
import { adminResultsRoutes } from './admin/results.ts';
import { organizationRoutes } from './admin/organizations.ts';
import { participantTypeRoutes } from './admin/participant-types.ts';
import { webhookRoutes } from './admin/webhooks.ts';
import type { AppEnv } from './app-env.ts';
import { mountDocs } from './docs.ts';
import { errorResponse } from './errors.ts';
import { apiKeyRateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { unwrapRequestBody } from './middleware/unwrap.ts';
import { requireMembership } from './middleware/require-membership.ts';
import { requireUser } from './middleware/require-user.ts';
import { publicExperimentRoutes } from './public/experiments.ts';
import { publicResultsRoutes } from './public/results.ts';
import { publicBanditRoutes } from './public/bandits.ts';
import { banditAdminRoutes } from './admin/bandits.ts';
import { validationHook } from './validation-hook.ts';
import { mountWebUi } from './web-ui.ts';

export const API_VERSION = '0.1.0';

/** What the HTTP layer needs beyond the services' deps; every field has a safe default. */
export interface AppOptions {
  /** Origins allowed to call the API from a browser; `'*'` (development only) allows any. Default: none. */
  readonly corsOrigins?: readonly string[] | '*';
  /** Public-API requests per second per key, unless the key sets its own. */
  readonly apiKeyRateLimitPerSecond?: number;
  /** Sign-in with an OpenID Connect provider, when configured. */
  readonly oidc?: OidcClient | null;
  /** Take the client address from `X-Forwarded-For` (only behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  /** The built web UI (`web/dist`) to serve at `/`; null serves only the landing page (API-only tests). */
  readonly webRoot?: string | null;
}

export function createApp(deps: ServiceDeps, options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requestId());
  const origins = options.corsOrigins ?? [];
  if (origins === '*' || origins.length > 0) {
    app.use(
      '*',
      cors({
        origin: origins === '*' ? (origin) => origin || '*' : [...origins],
        allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'Datasource-ID', 'X-Request-Id'],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: ['Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.onError(errorResponse);
  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));

  const admin = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  admin.use('*', requireUser(), requireMembership());
  admin.route('/', accountRoutes());
  admin.route('/', userRoutes());
  admin.route('/', organizationRoutes());
  admin.route('/', auditRoutes());
  admin.route('/', apiKeyRoutes());
  admin.route('/', webhookRoutes());
  admin.route('/', datasourceRoutes());
  admin.route('/', participantTypeRoutes());
  admin.route('/', experimentRoutes());
  admin.route('/', analysisRoutes());
  admin.route('/', snapshotRoutes());
  admin.route('/', adminResultsRoutes());
  admin.route('/', banditAdminRoutes());
  // Mounted before the public routes so `/v1/m/...` never falls through to the API-key routes.
  app.route('/v1/m', admin);
  app.route('/v1/a', loginRoutes({ oidc: options.oidc ?? null, trustProxy: options.trustProxy ?? false }));
  // Registered after the admin and sign-in routes, so only the public API (X-API-Key) passes through it.
  // `_unwrap` (reference §1.1) reshapes public POST bodies before any route reads them.
  app.use('/v1/experiments/*', unwrapRequestBody());
  app.use('/v1/*', apiKeyRateLimit({ defaultPerSecond: options.apiKeyRateLimitPerSecond ?? DEFAULT_API_KEY_LIMIT_PER_SECOND }));
  app.route('/v1', publicExperimentRoutes());
  app.route('/v1', publicResultsRoutes());
  app.route('/v1', publicBanditRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'APIKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'BearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    // The integration API first: it is what client developers come for.
    tags: [
      { name: 'Experiment Integration', description: 'Called by your backend with `X-API-Key`.' },
      { name: 'Sign-in', description: 'Exchange a password, an identity-provider code or an invite link for a session token.' },
      { name: 'Admin: account' },
      { name: 'Admin: users' },
      { name: 'Admin: organizations' },
      { name: 'Admin: audit log' },
      { name: 'Admin: webhooks' },
      { name: 'Admin: datasources' },
      { name: 'Admin: experiments' },
    ],
    info: {
      title: 'Equipoise',
      version: API_VERSION,
      description:
        'Experimentation engine. The **Experiment Integration** API (`/v1`, `X-API-Key`) is what your backend calls; ' +
        'the admin API (`/v1/m`, `Authorization: Bearer`) is what the web UI uses. Retry only network errors and 5xx, ' +
        'with exponential backoff and jitter; assignment calls are safe to retry.',
    },
  });
  mountDocs(app);

  app.get('/_healthchecks/db', async (c) => c.json(await checkDatabase(deps)));
  mountWebUi(app, options.webRoot ?? null);
  return app;
}
