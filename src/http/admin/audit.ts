/** Admin routes for an organization's audit log: newest first with pagination, and a check of its hash chain. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listAuditLog, verifyOrganizationAuditLog } from '../../services/audit.ts';
import { userContext, type AppEnv } from '../app-env.ts';
import { errorResponses, okJson } from '../schemas.ts';
import { validationHook } from '../validation-hook.ts';

const TAG = 'Admin: audit log';
const security = [{ BearerAuth: [] }];
const OrgParam = z.object({ organization_id: z.string() });

const AuditEntry = z
  .object({
    id: z.string(),
    created_at: z.string(),
    actor_type: z.string(),
    actor_id: z.string(),
    actor_email: z.string().nullable().openapi({ description: "The acting user's current email; null for API keys, system work and deleted users. Not part of the hashed record." }),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
    prev_hash: z.string(),
  })
  .openapi('AuditEntry');

export function auditRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/audit',
      operationId: 'list_audit_log',
      tags: [TAG],
      security,
      summary: 'Who changed what, newest first, cursor-paginated',
      request: {
        params: OrgParam,
        query: z.object({ page_size: z.coerce.number().int().min(1).max(100).default(50), page_token: z.string().optional() }),
      },
      responses: { 200: okJson(z.object({ items: z.array(AuditEntry), next_page_token: z.string() }), 'A page of entries'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listAuditLog(userContext(c), c.req.valid('param').organization_id, { pageSize: q.page_size, pageToken: q.page_token }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/organizations/{organization_id}/audit/verification',
      operationId: 'verify_audit_log',
      tags: [TAG],
      security,
      summary: "Recomputes the log's hash chain; names the first entry that does not match",
      request: { params: OrgParam },
      responses: {
        200: okJson(z.object({ valid: z.boolean(), entries: z.number().int(), first_invalid_id: z.string().nullable() }), 'The verification'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await verifyOrganizationAuditLog(userContext(c), c.req.valid('param').organization_id), 200),
  );

  return app;
}
