/**
 * Reading experiments: for an admin user by datasource or organization, for an API key by its datasource.
 * Every listing is one query (`pageOfExperiments`): newest first with `(created_at, id)` as the key, paged by
 * cursor (AIP-158), filtered by state, type, datasource and a case-insensitive search.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../../store/schema.ts';
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

/** The public list: the caller (an API key) was already checked against this datasource. */
export async function listDatasourceExperiments(ctx: ServiceContext, datasourceId: string) {
  // The reference's public list has no paging and no token: only the items.
  const { items } = await pageOfExperiments(ctx, { scope: ['datasource_id', datasourceId] }, {});
  return { items };
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
  readonly experimentTypes?: readonly string[] | undefined;
  readonly nameContains?: string | undefined;
}

/** `GET /v1/m/datasources/{ds}/experiments`: one page, newest first. */
export async function listDatasourceExperimentsPage(ctx: ServiceContext<UserActor>, datasourceId: string, query: ExperimentListQuery) {
  await requireDatasource(ctx, datasourceId);
  const filter: ExperimentFilter = {
    scope: ['datasource_id', datasourceId],
    states: query.states,
    experimentTypes: query.experimentTypes,
    nameContains: query.nameContains,
  };
  return pageOfExperiments(ctx, filter, query);
}

export interface OrganizationExperimentListQuery {
  /** Absent: every match at once, which is what the reference's list (no paging) returns. */
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
  readonly skip?: number | undefined;
  /** Default: drafts and committed experiments. */
  readonly states?: readonly string[] | undefined;
  /** Any of these types; absent or empty: every type. */
  readonly experimentTypes?: readonly string[] | undefined;
  readonly nameContains?: string | undefined;
  /** Like `nameContains`, but the description counts too: what a person typing in a search box expects. */
  readonly search?: string | undefined;
  readonly datasourceId?: string | undefined;
}

/**
 * `GET /v1/m/organizations/{org}/experiments`: with no query, the reference's answer (every draft and
 * committed experiment, newest first); with one, a filtered page. `total` counts every match across pages,
 * so the screen can say "12 experiments match" without walking them.
 */
export async function listOrganizationExperiments(ctx: ServiceContext<UserActor>, organizationId: string, query: OrganizationExperimentListQuery = {}) {
  await requireOrganization(ctx, organizationId);
  const filter: ExperimentFilter = {
    scope: ['organization_id', organizationId],
    states: query.states,
    experimentTypes: query.experimentTypes,
    nameContains: query.nameContains,
    search: query.search,
    datasourceId: query.datasourceId,
  };
  const [page, total] = await Promise.all([pageOfExperiments(ctx, filter, query), countExperiments(ctx, filter)]);
  return { ...page, total };
}

interface ExperimentFilter {
  /** The organization or datasource whose experiments are listed. */
  readonly scope: readonly ['organization_id' | 'datasource_id', string];
  readonly states?: readonly string[] | undefined;
  readonly experimentTypes?: readonly string[] | undefined;
  readonly nameContains?: string | undefined;
  readonly search?: string | undefined;
  readonly datasourceId?: string | undefined;
}

/** A case-insensitive "contains" pattern in which the user's `%`, `_` and `\` match themselves. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(eb: ExpressionBuilder<DB, 'experiments'>, f: ExperimentFilter) {
  const conditions = [eb(f.scope[0], '=', f.scope[1]), eb('state', 'in', [...(f.states?.length ? f.states : LISTED_STATES)])];
  if (f.experimentTypes?.length) conditions.push(eb('experiment_type', 'in', [...f.experimentTypes]));
  if (f.datasourceId) conditions.push(eb('datasource_id', '=', f.datasourceId));
  if (f.nameContains) conditions.push(eb('name', 'ilike', containsPattern(f.nameContains)));
  if (f.search) {
    const pattern = containsPattern(f.search);
    conditions.push(eb.or([eb('name', 'ilike', pattern), eb('description', 'ilike', pattern)]));
  }
  return eb.and(conditions);
}

async function countExperiments(ctx: ServiceContext, filter: ExperimentFilter): Promise<number> {
  const row = await ctx.db
    .selectFrom('experiments')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where((eb) => matching(eb, filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page, newest first; `pageSize` undefined means every row after the cursor. */
async function pageOfExperiments(ctx: ServiceContext, filter: ExperimentFilter, paging: { pageSize?: number | undefined; pageToken?: string | undefined; skip?: number | undefined }) {
  const now = ctx.clock.now();
  const after = paging.pageToken ? decodePageToken(paging.pageToken, 2, now) : null;
  if (after && (typeof after[0] !== 'string' || !/^-?\d+$/.test(after[0]) || typeof after[1] !== 'string')) throw new InvalidPageTokenError();
  let q = ctx.db
    .selectFrom('experiments')
    .selectAll()
    // Microseconds since the epoch, exact, so the cursor never skips rows created in the same millisecond.
    .select(sql<string>`(extract(epoch from created_at) * 1000000)::bigint::text`.as('cursor_us'))
    .where((eb) => matching(eb, filter));
  if (after) {
    q = q.where(sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${after[0]}::bigint * interval '1 microsecond', ${after[1]})`);
  }
  q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (paging.skip) q = q.offset(paging.skip);
  // One row more than asked tells whether another page follows.
  if (paging.pageSize !== undefined) q = q.limit(paging.pageSize + 1);
  const rows = await q.execute();
  const page = paging.pageSize === undefined ? rows : rows.slice(0, paging.pageSize);
  const last = page.at(-1);
  const items = (await loadExperiments(ctx.db, page.map(({ cursor_us: _c, ...e }) => e))).map(configOf);
  return { items, next_page_token: rows.length > page.length && last ? encodePageToken([last.cursor_us, last.id], now) : '' };
}
