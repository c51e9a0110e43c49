/** Admin routes for organizations: listing, creation, renaming, members (and leaving), invites, events and the org-wide experiment list (filtered and paged). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listDatasources } from '../../services/datasources.ts';
import { listOrganizationEvents, resendEvent } from '../../services/events.ts';
import { listOrganizationExperiments } from '../../services/experiments/read-experiments.ts';
import { createInvite, listInvites, revokeInvite } from '../../services/invites.ts';
import { addMember, addMemberById, leaveOrganization, removeMember } from '../../services/members.ts';
import { createNewOrganization, getOrganization, listOrganizations, updateOrganization } from '../../services/organizations.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { allowMissingQuery, errorResponses, experimentListOptions, experimentListQueryFields, ExperimentConfigSchema, noContent, okJson } from '../schemas.ts';
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

const DatasourceBase = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  type: z.literal('remote'),
  organization_id: z.string(),
  organization_name: z.string(),
});

/** A list item: the datasource plus what the datasources screen shows about it. */
const DatasourceSummary = DatasourceBase.extend({
  experiment_count: z.number().int(),
  api_key_count: z.number().int(),
  participant_types: z.array(z.string()).openapi({ description: 'Names of the visible participant types' }),
}).openapi('DatasourceSummary');


const OrganizationExperimentsQuery = z.object({
  page_size: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'Absent: every match in one answer' }),
  ...experimentListQueryFields,
  search: z.string().max(100).optional().openapi({ description: 'In the name or the description; case-insensitive; % and _ match themselves' }),
  datasource_id: z.string().max(100).optional().openapi({ description: "Only this datasource's experiments" }),
});

export function organizationRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations',
      operationId: 'list_organizations',
      tags: [TAG],
      security,
      summary: "The caller's organizations (or all, for privileged callers), by name, cursor-paginated",
      request: {
        query: z.object({
          scope: z.enum(['mine', 'all']).default('mine'),
          name_contains: z.string().max(100).optional().openapi({ description: 'Case-insensitive; % and _ match themselves' }),
          include_stats: z.string().optional().openapi({ description: 'Accepted for compatibility; counts are always filled' }),
          page_size: z.coerce.number().int().min(1).max(100).default(100),
          page_token: z.string().optional(),
        }),
      },
      responses: {
        200: okJson(
          z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                created_at: z.string(),
                user_count: z.number(),
                experiment_count: z.number(),
                joined_at: z.string().nullable(),
              }),
            ),
            next_page_token: z.string(),
          }),
          'Organizations',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listOrganizations(userContext(c), { scope: q.scope, nameContains: q.name_contains, pageSize: q.page_size, pageToken: q.page_token }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations',
      operationId: 'create_organization',
      tags: [TAG],
      security,
      summary: 'Create an organization; the caller becomes its member and it gets an "API only" datasource',
      request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100) }) } }, required: true } },
      responses: { 200: okJson(z.object({ id: z.string() }), 'The new organization'), ...errorResponses },
    }),
    async (c) => c.json(await createNewOrganization(userContext(c), c.req.valid('json').name), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/organizations/{organization_id}',
      operationId: 'update_organization',
      tags: [TAG],
      security,
      request: { params: OrgParam, body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100).optional() }) } }, required: true } },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await updateOrganization(userContext(c), c.req.valid('param').organization_id, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/members',
      operationId: 'add_member',
      tags: [TAG],
      security,
      summary: 'Add a member by email, creating the user if unknown; no-op if already a member',
      request: { params: OrgParam, body: { content: { 'application/json': { schema: z.object({ email: z.email().max(255) }) } }, required: true } },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await addMember(userContext(c), c.req.valid('param').organization_id, c.req.valid('json').email);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/organizations/{organization_id}/members/{user_id}',
      operationId: 'add_member_by_id',
      tags: [TAG],
      security,
      summary: 'Add an existing user by id (yourself included, to join); no-op if already a member',
      request: { params: OrgParam.extend({ user_id: z.string() }) },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, user_id } = c.req.valid('param');
      await addMemberById(userContext(c), organization_id, user_id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/organizations/{organization_id}/members/{user_id}',
      operationId: 'remove_member',
      tags: [TAG],
      security,
      summary: 'Remove a member (not yourself)',
      request: { params: OrgParam.extend({ user_id: z.string() }), query: allowMissingQuery },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, user_id } = c.req.valid('param');
      await removeMember(userContext(c), organization_id, user_id, c.req.valid('query').allow_missing);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/leave',
      operationId: 'leave_organization',
      tags: [TAG],
      security,
      summary: 'The caller leaves the organization (409 for its last member)',
      request: { params: OrgParam },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      await leaveOrganization(userContext(c), c.req.valid('param').organization_id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/organizations/{organization_id}/invites',
      operationId: 'create_invite',
      tags: [TAG],
      security,
      summary: 'Invite someone by email; the link is mailed by the task worker',
      description: 'The answer is the same whether or not the address already has an account.',
      request: { params: OrgParam, body: { content: { 'application/json': { schema: z.object({ email: z.email().max(255) }) } }, required: true } },
      responses: { 202: okJson(z.object({ id: z.string() }), 'Invite recorded; the mail is on its way'), ...errorResponses },
    }),
    async (c) => c.json(await createInvite(userContext(c), c.req.valid('param').organization_id, c.req.valid('json').email), 202),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/invites',
      operationId: 'list_invites',
      tags: [TAG],
      security,
      request: { params: OrgParam },
      responses: {
        200: okJson(
          z.object({
            items: z.array(z.object({ id: z.string(), email: z.string(), created_at: z.string(), expires_at: z.string(), status: z.enum(['pending', 'sent', 'accepted', 'expired']) })),
          }),
          'Invites, newest first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listInvites(userContext(c), c.req.valid('param').organization_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/organizations/{organization_id}/invites/{invite_id}',
      operationId: 'revoke_invite',
      tags: [TAG],
      security,
      summary: 'Withdraw an invite that was not accepted yet; its link stops working',
      request: { params: OrgParam.extend({ invite_id: z.string() }) },
      responses: { ...noContent, ...errorResponses },
    }),
    async (c) => {
      const { organization_id, invite_id } = c.req.valid('param');
      await revokeInvite(userContext(c), organization_id, invite_id);
      return c.body(null, 204);
    },
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
            users: z.array(z.object({ id: z.string(), email: z.string(), is_privileged: z.boolean(), joined_at: z.string() })),
            datasources: z.array(DatasourceBase),
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
      summary: "The organization's experiments, newest first: all at once, or filtered and paged",
      description:
        'With no query this is the reference\'s list: every draft (`assigned`) and committed experiment. Filters combine with AND; ' +
        'repeat `state` or `experiment_type` to allow several. Page with `page_size` and the `next_page_token` of the previous page.',
      request: { params: OrgParam, query: OrganizationExperimentsQuery },
      responses: {
        200: okJson(
          z.object({
            items: z.array(ExperimentConfigSchema),
            next_page_token: z.string().openapi({ description: 'Empty on the last page (and always without page_size)' }),
            total: z.number().int().openapi({ description: 'How many experiments match the filters, over all pages' }),
          }),
          'Matching experiments, newest first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listOrganizationExperiments(userContext(c), c.req.valid('param').organization_id, {
        ...experimentListOptions(q),
        search: q.search,
        datasourceId: q.datasource_id,
      });
      return c.json(page, 200);
    },
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
