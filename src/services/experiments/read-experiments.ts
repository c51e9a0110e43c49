/**
 * Reading experiments: for an admin user by datasource or organization, for an API key by its datasource.
 * Admin listings page by cursor (AIP-158: newest first, `(created_at, id)` as the key) and filter by state,
 * type and a case-insensitive name search.
 */
import { sql } from 'kysely';
import { loadExperiment, loadExperiments, type LoadedExperiment } from '../../store/repositories/experiments.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../../domain/page-token.ts';
import { requireDatasource, requireExperimentForUser, requireOrganization } from '../access.ts';
import type { ApiKeyActor, ServiceContext, UserActor } from '../context.ts';
import { experimentConfig } from './stored-design.ts';
import { withRunTimeSettings } from './run-time-settings.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { banditExperimentConfig } from '../bandits/bandit-config.ts';

/** The ExperimentConfig of the reference plus the run-time settings (`run-time-settings.ts`); bandits have their own. */
export function configOf(loaded: LoadedExperiment) {
  if (isBanditType(loaded.experiment.experiment_type)) return banditExperimentConfig(loaded);
  return withRunTimeSettings(experimentConfig(loaded), loaded.experiment);
}

/** Listings show drafts and committed experiments, newest first; abandoned ones are left out. */
const LISTED_STATES = ['assigned', 'committed'];

export async function getExperimentForUser(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string) {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  const config = configOf(loaded);
  const types = (loaded.experiment.design as { field_types?: Record<string, string> }).field_types ?? {};
  // The reference derives the schema from the design's warehouse fields, for frequentist experiments only.
  if (isBanditType(loaded.experiment.experiment_type)) return { config, experiment_schema: null };
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
  return { items: (await loadExperiments(ctx.db, rows)).map(configOf) };
}

/** Any state: a client may look up an abandoned experiment it still references. */
export async function getExperimentForKey(ctx: ServiceContext<ApiKeyActor>, experimentId: string) {
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded || loaded.experiment.datasource_id !== ctx.actor.datasourceId) throw new NotFoundError('Experiment not found or not authorized.');
  return configOf(loaded);
}

export interface ExperimentListQuery {
  readonly pageSize: number;
  readonly pageToken?: string | undefined;
  readonly skip: number;
  /** Default: drafts and committed experiments, as the reference lists them. */
  readonly states?: readonly string[] | undefined;
  readonly experimentType?: string | undefined;
  readonly nameContains?: string | undefined;
}

/** `GET /v1/m/datasources/{ds}/experiments`: one page, newest first. */
export async function listDatasourceExperimentsPage(ctx: ServiceContext<UserActor>, datasourceId: string, query: ExperimentListQuery) {
  await requireDatasource(ctx, datasourceId);
  const now = ctx.clock.now();
  const after = query.pageToken ? decodePageToken(query.pageToken, 2, now) : null;
  if (after && (typeof after[0] !== 'string' || !/^-?\d+$/.test(after[0]) || typeof after[1] !== 'string')) throw new InvalidPageTokenError();
  let q = ctx.db
    .selectFrom('experiments')
    .selectAll()
    // Microseconds since the epoch, exact, so the cursor never skips rows created in the same millisecond.
    .select(sql<string>`(extract(epoch from created_at) * 1000000)::bigint::text`.as('cursor_us'))
    .where('datasource_id', '=', datasourceId)
    .where('state', 'in', [...(query.states ?? LISTED_STATES)]);
  if (query.experimentType) q = q.where('experiment_type', '=', query.experimentType);
  if (query.nameContains) {
    const pattern = `%${query.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`name ILIKE ${pattern}`);
  }
  if (after) {
    q = q.where(sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${after[0]}::bigint * interval '1 microsecond', ${after[1]})`);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').offset(query.skip).limit(query.pageSize + 1).execute();
  const page = rows.slice(0, query.pageSize);
  const last = page.at(-1);
  const items = (await loadExperiments(ctx.db, page.map(({ cursor_us: _c, ...e }) => e))).map(configOf);
  return { items, next_page_token: rows.length > query.pageSize && last ? encodePageToken([last.cursor_us, last.id], now) : '' };
}
