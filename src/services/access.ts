/**
 * Who may see what. Lookups answer "not found" for anything the caller cannot see, so the existence of
 * another organization's resources is never revealed. Datasource and experiment routes require
 * membership even for privileged users (as in the reference).
 */
import { ForbiddenError, MessageNotFoundError, NotFoundError } from '../domain/errors.ts';
import type { ServiceContext, UserActor } from './context.ts';

export async function isMember(ctx: ServiceContext<UserActor>, organizationId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('user_organizations')
    .select('user_id')
    .where('user_id', '=', ctx.actor.userId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The organization, if the caller is a member (or privileged); otherwise 404. */
export async function requireOrganization(ctx: ServiceContext<UserActor>, organizationId: string) {
  const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', organizationId).executeTakeFirst();
  if (!org || (!ctx.actor.isPrivileged && !(await isMember(ctx, organizationId)))) {
    throw new NotFoundError('Organization not found.');
  }
  return org;
}

/** The datasource, if the caller belongs to its organization; otherwise 404. */
export async function requireDatasource(ctx: ServiceContext<UserActor>, datasourceId: string) {
  const ds = await ctx.db
    .selectFrom('datasources')
    .innerJoin('user_organizations as m', (j) =>
      j.onRef('m.organization_id', '=', 'datasources.organization_id').on('m.user_id', '=', ctx.actor.userId),
    )
    .innerJoin('organizations as o', 'o.id', 'datasources.organization_id')
    .selectAll('datasources')
    .select('o.name as organization_name')
    .where('datasources.id', '=', datasourceId)
    .executeTakeFirst();
  if (!ds) throw new MessageNotFoundError('Datasource not found.');
  return ds;
}

/** The experiment under that datasource, if the caller may see the datasource; otherwise 404. */
export async function requireExperimentForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await requireDatasource(ctx, datasourceId);
  const exp = await ctx.db
    .selectFrom('experiments')
    .selectAll()
    .where('id', '=', experimentId)
    .where('datasource_id', '=', datasourceId)
    .executeTakeFirst();
  if (!exp) throw new NotFoundError('Experiment not found.');
  return exp;
}

export const PRIVILEGED_ONLY = 'Only privileged users can perform this action.';

/** For instance-administration use cases ([P] in the reference): 403 for everyone else. */
export function requirePrivileged(ctx: ServiceContext<UserActor>): void {
  if (!ctx.actor.isPrivileged) throw new ForbiddenError(PRIVILEGED_ONLY);
}

/**
 * The gate in front of every admin route that names an organization or a datasource in its path, checked
 * before the request is even validated, so a non-member learns nothing (not even which fields a body
 * needs). Services check again; this makes a forgotten check in a new route fail closed.
 */
export async function requireRouteAccess(ctx: ServiceContext<UserActor>, params: { organizationId?: string | undefined; datasourceId?: string | undefined }) {
  if (params.organizationId !== undefined) await requireOrganization(ctx, params.organizationId);
  if (params.datasourceId !== undefined) await requireDatasource(ctx, params.datasourceId);
}
