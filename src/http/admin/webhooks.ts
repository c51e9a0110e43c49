/** Admin routes for organization webhooks. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createWebhook, deleteWebhook, listWebhooks, revealWebhookToken, rotateWebhookToken, updateWebhook } from '../../services/webhooks.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: webhooks';
const security = [{ BearerAuth: [] }];
const OrgParam = z.object({ organization_id: z.string() });
const WebhookParam = OrgParam.extend({ webhook_id: z.string() });

const WebhookSummary = z
  .object({
    id: z.string(),
    type: z.string(),
    direction: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    auth_token: z.string().nullable().optional().openapi({ description: 'Only on creation, rotation and reveal' }),
  })
  .openapi('WebhookSummary');

const CreateWebhook = z
  .object({
    type: z.literal('experiment.created'),
    direction: z.literal('outbound').default('outbound'),
    name: z.string().max(100).default(''),
    url: z.string().min(1).max(500),
  })
  .strict()
  .openapi('AddWebhookToOrganizationRequest');

const UpdateWebhook = z.object({ name: z.string().max(100), url: z.string().min(1).max(500) }).strict().openapi('UpdateOrganizationWebhookRequest');

export function webhookRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks',
      operationId: 'add_webhook_to_organization',
      tags: [TAG],
      security,
      summary: 'Register a webhook; the response carries its generated token',
      request: { params: OrgParam, body: { content: { 'application/json': { schema: CreateWebhook } }, required: true } },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its token'), ...errorResponses },
    }),
    async (c) => c.json(await createWebhook(userContext(c), c.req.valid('param').organization_id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhooks',
      operationId: 'list_organization_webhooks',
      tags: [TAG],
      security,
      request: { params: OrgParam },
      responses: { 200: okJson(z.object({ items: z.array(WebhookSummary) }), 'Webhooks by name (tokens are not listed)'), ...errorResponses },
    }),
    async (c) => c.json(await listWebhooks(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}',
      operationId: 'update_organization_webhook',
      tags: [TAG],
      security,
      request: { params: WebhookParam, body: { content: { 'application/json': { schema: UpdateWebhook } }, required: true } },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      await updateWebhook(userContext(c), organization_id, webhook_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/authtoken',
      operationId: 'reveal_webhook_token',
      tags: [TAG],
      security,
      summary: "Reveal the webhook's token (members only)",
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its token'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await revealWebhookToken(userContext(c), organization_id, webhook_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/authtoken',
      operationId: 'regenerate_webhook_auth_token',
      tags: [TAG],
      security,
      summary: 'Replace the token; the response carries the new one',
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its new token'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await rotateWebhookToken(userContext(c), organization_id, webhook_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}',
      operationId: 'delete_webhook_from_organization',
      tags: [TAG],
      security,
      request: { params: WebhookParam, query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      await deleteWebhook(userContext(c), organization_id, webhook_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  return app;
}
