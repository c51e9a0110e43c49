/**
 * Admin routes for datasource API keys: list, create (the only time the secret is shown), rotate with an
 * overlap window, revoke. Keys keep the reference's format and headers; name, scopes, expiry, last use and
 * a per-key rate limit are additions.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createApiKey, deleteApiKey, listApiKeys, MAX_ROTATION_OVERLAP_SECONDS, rotateApiKey } from '../../services/api-keys.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { emptyBodyAsNone } from '../middleware/empty-body.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: datasources';
const security = [{ BearerAuth: [] }];
const DsParam = z.object({ datasource_id: z.string() });
const KeyParam = DsParam.extend({ api_key_id: z.string() });
const Scope = z.enum(['read', 'assign']).openapi({ description: '`read`: experiment metadata and exports; `assign`: assignments and outcomes' });

const ApiKeySummary = z
  .object({
    id: z.string(),
    datasource_id: z.string(),
    organization_id: z.string(),
    organization_name: z.string(),
    created_at: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    rate_limit_per_second: z.number().int().nullable(),
  })
  .openapi('ApiKeySummary');

const CreatedKey = z
  .object({ id: z.string(), datasource_id: z.string(), key: z.string(), name: z.string(), scopes: z.array(z.string()), expires_at: z.string().nullable() })
  .openapi('CreatedApiKey');

export function apiKeyRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/datasources/:datasource_id/apikeys', emptyBodyAsNone());
  app.use('/datasources/:datasource_id/apikeys/:api_key_id/rotate', emptyBodyAsNone());

  app.openapi(
    createRoute({
      method: 'get',
      path: '/datasources/{datasource_id}/apikeys',
      operationId: 'list_api_keys',
      tags: [TAG],
      security,
      request: { params: DsParam },
      responses: { 200: okJson(z.object({ items: z.array(ApiKeySummary) }), 'Keys; the secret is never returned'), ...errorResponses },
    }),
    async (c) => c.json(await listApiKeys(userContext(c), c.req.valid('param').datasource_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/apikeys',
      operationId: 'create_api_key',
      tags: [TAG],
      security,
      summary: 'Create a key; the only time its plaintext is shown',
      request: {
        params: DsParam,
        // Optional body, so the reference's body-less POST keeps working.
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  name: z.string().max(100).optional(),
                  scopes: z.array(Scope).min(1).optional().openapi({ description: 'Both by default' }),
                  expires_at: z.iso.datetime({ offset: true }).optional(),
                  rate_limit_per_second: z.number().int().min(1).max(100_000).optional().openapi({ description: "Defaults to the installation's limit" }),
                })
                .strict(),
            },
          },
          required: false,
        },
      },
      responses: { 200: okJson(CreatedKey, 'The new key'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(
        await createApiKey(userContext(c), c.req.valid('param').datasource_id, {
          name: body.name,
          scopes: body.scopes,
          expiresAt: body.expires_at ? new Date(body.expires_at) : null,
          rateLimitPerSecond: body.rate_limit_per_second,
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/datasources/{datasource_id}/apikeys/{api_key_id}/rotate',
      operationId: 'rotate_api_key',
      tags: [TAG],
      security,
      summary: 'A new key with the same name and scopes; the old one keeps working for the overlap',
      request: {
        params: KeyParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ overlap_seconds: z.number().int().min(0).max(MAX_ROTATION_OVERLAP_SECONDS).default(3600) }).strict(),
            },
          },
          required: false,
        },
      },
      responses: { 200: okJson(CreatedKey.extend({ previous_key_expires_at: z.string() }), 'The new key'), ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, api_key_id } = c.req.valid('param');
      const body = c.req.valid('json') as { overlap_seconds?: number };
      return c.json(await rotateApiKey(userContext(c), datasource_id, api_key_id, body.overlap_seconds ?? 3600), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/datasources/{datasource_id}/apikeys/{api_key_id}',
      operationId: 'delete_api_key',
      tags: [TAG],
      security,
      summary: 'Revoke a key',
      request: { params: KeyParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { datasource_id, api_key_id } = c.req.valid('param');
      await deleteApiKey(userContext(c), datasource_id, api_key_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
