/** Admin routes for the caller and their organizations, events and the org-wide experiment list. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listDatasources } from '../../services/datasources.ts';
import { listOrganizationEvents, resendEvent } from '../../services/events.ts';
import { listOrganizationExperiments } from '../../services/experiments/read-experiments.ts';
import { getOrganization, listOrganizations } from '../../services/organizations.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { errorResponses, ExperimentConfigSchema, noContent, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: organizations';
const security = [{ BearerAuth: [] }];
const OrgParam = z.object({ organization_id: z.string() });

const EventSummary = z
  .object({
    id: z.string(),
    created_at: z.string(),
    type: z.string(),
    summary: z.string(),
    link: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    status_icon: z.enum(['success', 'info', 'failure']),
  })
  .openapi('EventSummary');

const DatasourceSummary = z
  .object({ id: z.string(), name: z.string(), driver: z.string(), type: z.literal('remote'), organization_id: z.string(), organization_name: z.string() })
  .openapi('DatasourceSummary');

export function organizationRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/caller-identity',
      operationId: 'caller_identity',
      tags: [TAG],
      security,
      responses: { 200: okJson(z.object({ id: z.string(), email: z.string(), is_privileged: z.boolean() }), 'Who the token belongs to'), ...errorResponses },
    }),
    (c) => c.json({ id: c.var.user.userId, email: c.var.user.email, is_privileged: c.var.user.isPrivileged }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations',
      operationId: 'list_organizations',
      tags: [TAG],
      security,
      summary: "The caller's organizations, by name",
      responses: {
        200: okJson(
          z.object({
            items: z.array(
              z.object({ id: z.string(), name: z.string(), created_at: z.string(), user_count: z.number(), experiment_count: z.number(), joined_at: z.string() }),
            ),
            next_page_token: z.string(),
          }),
          'Organizations',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listOrganizations(userContext(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}',
      operationId: 'get_organization',
      tags: [TAG],
      security,
      request: { params: OrgParam },
      responses: {
        200: okJson(
          z.object({
            id: z.string(),
            name: z.string(),
            users: z.array(z.object({ id: z.string(), email: z.string(), is_privileged: z.boolean() })),
            datasources: z.array(DatasourceSummary),
          }),
          'The organization',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getOrganization(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/datasources',
      operationId: 'list_organization_datasources',
      tags: [TAG],
      security,
      request: { params: OrgParam },
      responses: { 200: okJson(z.object({ items: z.array(DatasourceSummary) }), 'Datasources, busiest first'), ...errorResponses },
    }),
    async (c) => c.json(await listDatasources(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/experiments',
      operationId: 'list_organization_experiments',
      tags: [TAG],
      security,
      request: { params: OrgParam },
      responses: { 200: okJson(z.object({ items: z.array(ExperimentConfigSchema) }), 'Draft and committed experiments, newest first'), ...errorResponses },
    }),
    async (c) => c.json(await listOrganizationExperiments(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/events',
      operationId: 'list_organization_events',
      tags: [TAG],
      security,
      summary: 'Recent Events: newest first, cursor-paginated',
      request: {
        params: OrgParam,
        query: z.object({
          page_size: z.coerce.number().int().min(1).max(100).default(20),
          page_token: z.string().optional(),
          type: z.string().optional().openapi({ description: 'Only events of this type, e.g. webhook.sent' }),
        }),
      },
      responses: { 200: okJson(z.object({ items: z.array(EventSummary), next_page_token: z.string() }), 'A page of events'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listOrganizationEvents(userContext(c), c.req.valid('param').organization_id, {
        pageSize: q.page_size,
        pageToken: q.page_token,
        type: q.type,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/events/{event_id}/resend',
      operationId: 'resend_event',
      tags: [TAG],
      security,
      summary: 'Send a recorded webhook attempt again',
      request: { params: OrgParam.extend({ event_id: z.string() }) },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, event_id } = c.req.valid('param');
      await resendEvent(userContext(c), organization_id, event_id);
      return c.body(null, 204);
    },
  );

  return app;
}
