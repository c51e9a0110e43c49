/**
 * Organizations as their members see them: listing (scope, name search, pages), creation, renaming.
 *
 * @example await listOrganizations(ctx, { scope: 'mine', nameContains: 'lab', pageSize: 20 })
 */
import { sql } from 'kysely';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../domain/page-token.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { requireOrganization, requirePrivileged } from './access.ts';
import { recordAudit } from './audit.ts';
import { createOrganization } from './bootstrap.ts';
import { escapeLike } from './users.ts';
import { summarizeDatasource } from './datasources.ts';

export interface ListOrganizationsQuery {
  /** `all` is for privileged callers only. */
  readonly scope: 'mine' | 'all';
  readonly nameContains?: string | undefined;
  readonly pageSize: number;
  readonly pageToken?: string | undefined;
}

/** The caller's organizations (or, for a privileged caller, all), by name then id, cursor-paginated. */
export async function listOrganizations(ctx: ServiceContext<UserActor>, q: ListOrganizationsQuery = { scope: 'mine', pageSize: 100 }) {
  if (q.scope === 'all') requirePrivileged(ctx);
  const now = ctx.clock.now();
  let query = ctx.db
    .selectFrom('organizations as o')
    .leftJoin('user_organizations as m', (j) => j.onRef('m.organization_id', '=', 'o.id').on('m.user_id', '=', ctx.actor.userId))
    .select(['o.id', 'o.name', 'o.created_at', 'm.created_at as joined_at'])
    .select((eb) => [
      eb.selectFrom('user_organizations as u').whereRef('u.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('user_count'),
      eb.selectFrom('experiments as e').whereRef('e.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('experiment_count'),
    ]);
  if (q.scope === 'mine') query = query.where('m.user_id', 'is not', null);
  if (q.nameContains) query = query.where(sql<boolean>`o.name ILIKE ${`%${escapeLike(q.nameContains)}%`} ESCAPE '\\'`);
  if (q.pageToken) {
    const [name, id] = decodePageToken(q.pageToken, 2, now);
    if (typeof name !== 'string' || typeof id !== 'string') throw new InvalidPageTokenError();
    query = query.where((eb) => eb.or([eb('o.name', '>', name), eb.and([eb('o.name', '=', name), eb('o.id', '>', id)])]));
  }
  const rows = await query.orderBy('o.name').orderBy('o.id').limit(q.pageSize + 1).execute();
  const page = rows.slice(0, q.pageSize);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      created_at: r.created_at.toISOString(),
      user_count: Number(r.user_count),
      experiment_count: Number(r.experiment_count),
      joined_at: r.joined_at ? r.joined_at.toISOString() : null,
    })),
    next_page_token: rows.length > q.pageSize && last ? encodePageToken([last.name, last.id], now) : '',
  };
}

/** Any user may create an organization; they become its first member, and it gets its "API only" datasource. */
export async function createNewOrganization(ctx: ServiceContext<UserActor>, name: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const id = await createOrganization(trx, name, ctx.actor.userId);
    await recordAudit(trx, ctx, { organizationId: id, action: 'organization.created', targetType: 'organization', targetId: id, details: { name } });
    await recordAudit(trx, ctx, { organizationId: id, action: 'member.added', targetType: 'user', targetId: ctx.actor.userId });
    return { id };
  });
}

export async function updateOrganization(ctx: ServiceContext<UserActor>, organizationId: string, input: { name?: string | undefined }) {
  await requireOrganization(ctx, organizationId);
  if (input.name === undefined) return;
  const name = input.name;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('organizations').set({ name, updated_at: ctx.clock.now() }).where('id', '=', organizationId).execute();
    await recordAudit(trx, ctx, { organizationId, action: 'organization.renamed', targetType: 'organization', targetId: organizationId, details: { name } });
  });
}

export async function getOrganization(ctx: ServiceContext<UserActor>, organizationId: string) {
  const org = await requireOrganization(ctx, organizationId);
  const users = await ctx.db
    .selectFrom('users as u')
    .innerJoin('user_organizations as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.is_privileged', 'm.created_at as joined_at'])
    .where('m.organization_id', '=', organizationId)
    .orderBy('u.email')
    .execute();
  const datasources = await ctx.db
    .selectFrom('datasources')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return {
    id: org.id,
    name: org.name,
    users: users.map((u) => ({ id: u.id, email: u.email, is_privileged: u.is_privileged, joined_at: u.joined_at.toISOString() })),
    datasources: datasources.map((d) => summarizeDatasource(d, org.name)),
  };
}
