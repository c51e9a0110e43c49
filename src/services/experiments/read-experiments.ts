/** Reading experiments: for an admin user by datasource or organization, for an API key by its datasource. */
import { loadExperiment, loadExperiments } from '../../store/repositories/experiments.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { requireExperimentForUser, requireOrganization } from '../access.ts';
import type { ApiKeyActor, ServiceContext, UserActor } from '../context.ts';
import { experimentConfig } from './stored-design.ts';

/** Listings show drafts and committed experiments, newest first; abandoned ones are left out. */
const LISTED_STATES = ['assigned', 'committed'];

export async function getExperimentForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  const config = experimentConfig(loaded);
  const types = (loaded.experiment.design as { field_types?: Record<string, string> }).field_types ?? {};
  return {
    config,
    experiment_schema: {
      table_name: loaded.experiment.table_name,
      fields: Object.entries(types)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([field_name, data_type]) => ({ field_name, data_type, is_unique_id: field_name === loaded.experiment.primary_key })),
    },
  };
}

export async function listOrganizationExperiments(ctx: ServiceContext<UserActor>, organizationId: string) {
  await requireOrganization(ctx, organizationId);
  return listListedExperiments(ctx, 'organization_id', organizationId);
}

/** The public list: the caller (an API key) was already checked against this datasource. */
export async function listDatasourceExperiments(ctx: ServiceContext, datasourceId: string) {
  return listListedExperiments(ctx, 'datasource_id', datasourceId);
}

async function listListedExperiments(ctx: ServiceContext, scope: 'organization_id' | 'datasource_id', id: string) {
  const rows = await ctx.db
    .selectFrom('experiments')
    .selectAll()
    .where(scope, '=', id)
    .where('state', 'in', LISTED_STATES)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return { items: (await loadExperiments(ctx.db, rows)).map(experimentConfig) };
}

/** Any state: a client may look up an abandoned experiment it still references. */
export async function getExperimentForKey(ctx: ServiceContext<ApiKeyActor>, experimentId: string) {
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded || loaded.experiment.datasource_id !== ctx.actor.datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  return experimentConfig(loaded);
}
