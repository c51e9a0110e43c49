/** Admin routes for organization webhooks: endpoints, secrets, the event catalogue, the delivery log and replay. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { EVENT_TYPES, eventCatalogue } from '../../domain/event-catalogue.ts';
import {
  createWebhook,
  deleteWebhook,
  disableWebhook,
  enableWebhook,
  getWebhook,
  listWebhooks,
  MAX_ROTATION_OVERLAP_HOURS,
  revealWebhookToken,
  rotateSigningSecret,
  rotateWebhookToken,
  updateWebhook,
} from '../../services/webhooks.ts';
import { getMessage, listEndpointAttempts, replayFailed, replayMessage, sendTestEvent } from '../../services/webhook-operations.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: webhooks';
const security = [{ BearerAuth: [] }];
const OrgParam = z.object({ organization_id: z.string() });
const WebhookParam = OrgParam.extend({ webhook_id: z.string() });
const EventTypeEnum = z.enum(EVENT_TYPES as [string, ...string[]]);

const WebhookSummary = z
  .object({
    id: z.string(),
    type: z.string(),
    direction: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    event_types: z.array(z.string()),
    enabled: z.boolean(),
    disabled_at: z.string().nullable(),
    disabled_reason: z.string().nullable().openapi({ description: "'gone' (answered 410), 'failing' (5 days of failures) or 'manual' (a member disabled it)" }),
    public_key: z.string().nullable().openapi({ description: 'Ed25519 public key (`whpk_…`) that verifies `v1a,` signatures, when enabled' }),
    previous_secret_expires_at: z.string().nullable().openapi({ description: 'Until when the previous signing secret also signs (after a rotation)' }),
    auth_token: z.string().nullable().optional().openapi({ description: 'Only on creation, token rotation and reveal' }),
    signing_secret: z.string().nullable().optional().openapi({ description: 'The `whsec_…` secret; only on creation, secret rotation and reveal' }),
    last_attempt: z
      .object({ attempted_at: z.string(), success: z.boolean(), status_code: z.number().int().nullable(), error_class: z.string().nullable() })
      .nullable()
      .optional()
      .openapi({ description: 'The newest delivery attempt to this endpoint (list and get only); null when none was made yet' }),
  })
  .openapi('WebhookSummary');

const CreateWebhook = z
  .object({
    type: z.literal('experiment.created').default('experiment.created'),
    direction: z.literal('outbound').default('outbound'),
    name: z.string().max(100).default(''),
    url: z.string().min(1).max(500),
    event_types: z.array(EventTypeEnum).min(1).max(EVENT_TYPES.length).optional().openapi({ description: "Defaults to ['experiment.created']" }),
    ed25519: z.boolean().default(false).openapi({ description: 'Also sign with Ed25519 (`v1a,`) and publish the public key' }),
  })
  .strict()
  .openapi('AddWebhookToOrganizationRequest');

const UpdateWebhook = z
  .object({ name: z.string().max(100), url: z.string().min(1).max(500), event_types: z.array(EventTypeEnum).min(1).max(EVENT_TYPES.length).optional() })
  .strict()
  .openapi('UpdateOrganizationWebhookRequest');

const Attempt = z
  .object({
    id: z.string(),
    delivery_id: z.string(),
    message_id: z.string(),
    webhook_id: z.string(),
    event_type: z.string().nullable().openapi({ description: "The message's event type" }),
    attempt: z.number().int(),
    attempted_at: z.string(),
    success: z.boolean(),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    error_class: z.string().nullable(),
    response_body: z.string().nullable().openapi({ description: 'The first 1000 characters of the answer, token masked' }),
  })
  .openapi('WebhookAttempt');

const Message = z
  .object({
    id: z.string(),
    event_type: z.string(),
    event_id: z.string().nullable(),
    created_at: z.string(),
    body: z.record(z.string(), z.unknown()),
    deliveries: z.array(
      z.object({
        id: z.string(),
        webhook_id: z.string(),
        status: z.string(),
        last_error: z.string().nullable(),
        next_attempt_at: z.string().nullable().openapi({ description: 'When the next attempt is due, while the delivery is pending' }),
        attempts: z.array(Attempt),
      }),
    ),
  })
  .openapi('WebhookMessage');

const Queued = z.object({ message_id: z.string(), delivery_id: z.string().nullable() }).openapi('WebhookDeliveryQueued');

export function webhookRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-event-types',
      operationId: 'list_webhook_event_types',
      tags: [TAG],
      security,
      summary: 'Every event type a webhook can subscribe to, with the JSON Schema of its body',
      responses: {
        200: okJson(z.object({ items: z.array(z.object({ type: z.string(), description: z.string(), schema: z.record(z.string(), z.unknown()) })) }), 'The catalogue'),
        ...errorResponses,
      },
    }),
    (c) => c.json({ items: eventCatalogue() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks',
      operationId: 'add_webhook_to_organization',
      tags: [TAG],
      security,
      summary: 'Register a webhook; the response carries its token and signing secret',
      request: { params: OrgParam, body: { content: { 'application/json': { schema: CreateWebhook } }, required: true } },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its secrets'), ...errorResponses },
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
      responses: { 200: okJson(z.object({ items: z.array(WebhookSummary) }), 'Webhooks by name (secrets are not listed)'), ...errorResponses },
    }),
    async (c) => c.json(await listWebhooks(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}',
      operationId: 'get_organization_webhook',
      tags: [TAG],
      security,
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The webhook (no secrets)'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await getWebhook(userContext(c), organization_id, webhook_id), 200);
    },
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
      summary: "Reveal the webhook's token and signing secret (members only; audited)",
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its secrets'), ...errorResponses },
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
      summary: 'Replace the legacy token; the response carries the new one',
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
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/secret/rotate',
      operationId: 'rotate_webhook_signing_secret',
      tags: [TAG],
      security,
      summary: 'Replace the signing secret; the old one keeps signing alongside for the overlap window',
      request: {
        params: WebhookParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ overlap_hours: z.number().min(0).max(MAX_ROTATION_OVERLAP_HOURS).default(24) }).strict().openapi('RotateWebhookSecretRequest'),
            },
          },
          required: false,
        },
      },
      responses: { 200: okJson(WebhookSummary, 'The webhook with its new signing secret'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      const body = (c.req.valid('json') as { overlap_hours?: number } | undefined) ?? {};
      return c.json(await rotateSigningSecret(userContext(c), organization_id, webhook_id, body.overlap_hours ?? 24), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/public-key',
      operationId: 'get_webhook_public_key',
      tags: [TAG],
      security,
      summary: 'The Ed25519 public key that verifies this endpoint’s `v1a,` signatures',
      request: { params: WebhookParam },
      responses: { 200: okJson(z.object({ public_key: z.string().nullable() }), 'The `whpk_…` key, or null when Ed25519 is off'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json({ public_key: (await getWebhook(userContext(c), organization_id, webhook_id)).public_key }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/enable',
      operationId: 'enable_webhook',
      tags: [TAG],
      security,
      summary: 'Re-enable a disabled webhook (replay what it missed with replay-failed)',
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The enabled webhook'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await enableWebhook(userContext(c), organization_id, webhook_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/disable',
      operationId: 'disable_webhook',
      tags: [TAG],
      security,
      summary: 'Stop deliveries to this webhook until it is enabled again (test events are still sent)',
      request: { params: WebhookParam },
      responses: { 200: okJson(WebhookSummary, 'The disabled webhook'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await disableWebhook(userContext(c), organization_id, webhook_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/test',
      operationId: 'send_webhook_test_event',
      tags: [TAG],
      security,
      summary: 'Queue a webhook.test message to this endpoint',
      request: { params: WebhookParam },
      responses: { 202: okJson(Queued, 'Queued'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await sendTestEvent(userContext(c), organization_id, webhook_id), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/attempts',
      operationId: 'list_webhook_attempts',
      tags: [TAG],
      security,
      summary: "The endpoint's delivery log: every attempt, newest first",
      request: {
        params: WebhookParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.string().regex(/^\d{1,18}$/).optional().openapi({ description: 'The id of the last attempt of the previous page' }),
        }),
      },
      responses: {
        200: okJson(z.object({ items: z.array(Attempt), has_more: z.boolean().openapi({ description: 'Whether older attempts follow (pass the last id as `before`)' }) }), 'Attempts'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await listEndpointAttempts(userContext(c), organization_id, webhook_id, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/webhook-messages/{message_id}',
      operationId: 'get_webhook_message',
      tags: [TAG],
      security,
      summary: 'One message (its webhook-id), its body, and every attempt to every endpoint',
      request: { params: OrgParam.extend({ message_id: z.string() }) },
      responses: { 200: okJson(Message, 'The message and its delivery log'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, message_id } = c.req.valid('param');
      return c.json(await getMessage(userContext(c), organization_id, message_id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/messages/{message_id}/replay',
      operationId: 'replay_webhook_message',
      tags: [TAG],
      security,
      summary: 'Send one message to this endpoint again (same webhook-id)',
      request: { params: WebhookParam.extend({ message_id: z.string() }) },
      responses: { 202: okJson(Queued, 'Queued'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id, message_id } = c.req.valid('param');
      return c.json(await replayMessage(userContext(c), organization_id, webhook_id, message_id), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/webhooks/{webhook_id}/replay-failed',
      operationId: 'replay_failed_webhook_messages',
      tags: [TAG],
      security,
      summary: 'Send again every message whose delivery to this endpoint failed, created since a time',
      request: {
        params: WebhookParam,
        body: { content: { 'application/json': { schema: z.object({ since: z.iso.datetime({ offset: true }) }).strict().openapi('ReplayFailedRequest') } }, required: true },
      },
      responses: { 202: okJson(z.object({ replayed: z.number().int() }), 'How many deliveries were queued'), ...errorResponses },
    }),
    async (c) => {
      const { organization_id, webhook_id } = c.req.valid('param');
      return c.json(await replayFailed(userContext(c), organization_id, webhook_id, new Date(c.req.valid('json').since)), 202);
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
