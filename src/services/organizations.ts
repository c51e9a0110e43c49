/** Organizations as their members see them. */
import { sql } from 'kysely';
import type { ServiceContext, UserActor } from './context.ts';
import { requireOrganization } from './access.ts';
import { summarizeDatasource } from './datasources.ts';

export async function listOrganizations(ctx: ServiceContext<UserActor>) {
  const rows = await ctx.db
    .selectFrom('organizations as o')
    .innerJoin('user_organizations as m', 'm.organization_id', 'o.id')
    .select(['o.id', 'o.name', 'o.created_at', 'm.created_at as joined_at'])
    .select((eb) => [
      eb.selectFrom('user_organizations as u').whereRef('u.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('user_count'),
      eb.selectFrom('experiments as e').whereRef('e.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('experiment_count'),
    ])
    .where('m.user_id', '=', ctx.actor.userId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      created_at: r.created_at.toISOString(),
      user_count: Number(r.user_count),
      experiment_count: Number(r.experiment_count),
      joined_at: r.joined_at.toISOString(),
    })),
    next_page_token: '',
  };
}

export async function getOrganization(ctx: ServiceContext<UserActor>, organizationId: string) {
  const org = await requireOrganization(ctx, organizationId);
  const users = await ctx.db
    .selectFrom('users as u')
    .innerJoin('user_organizations as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.is_privileged'])
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
    users,
    datasources: datasources.map((d) => summarizeDatasource(d, org.name)),
  };
}
