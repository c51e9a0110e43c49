/**
 * The snapshot API of an experiment (reference §1.6): take one now, list (newest update first, filtered by
 * status, AIP-158 pages), get, delete. The API says `running` for what the table calls `pending`.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../../domain/page-token.ts';
import type { Snapshot } from '../../store/schema.ts';
import {
  deleteSnapshot,
  findSnapshot,
  insertSnapshot,
  latestFailure,
  pageSnapshots,
  type SnapshotStatus,
} from '../../store/repositories/snapshots.ts';
import { requireOrganization } from '../access.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { enqueueSnapshot, SNAPSHOT_TAKE_TASK } from './snapshot-tasks.ts';

export type ApiSnapshotStatus = 'success' | 'running' | 'failed';

const TO_DB: Record<ApiSnapshotStatus, SnapshotStatus> = { success: 'success', running: 'pending', failed: 'failed' };
const TO_API: Record<SnapshotStatus, ApiSnapshotStatus> = { success: 'success', pending: 'running', failed: 'failed' };

/** An experiment may be snapshotted on demand until a day after its end. */
const ACTIVE_AFTER_END_MS = 24 * 3_600_000;

export function snapshotJson(s: Snapshot) {
  return {
    experiment_id: s.experiment_id,
    id: s.id,
    status: TO_API[s.status],
    details: s.message === null ? null : { message: s.message },
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
    data: (s.data ?? null) as Record<string, unknown> | null,
  };
}

/** The experiment, if it is under that datasource of that organization and the caller may see them. */
async function requireExperiment(ctx: ServiceContext<UserActor>, organizationId: string, datasourceId: string, experimentId: string) {
  await requireOrganization(ctx, organizationId);
  const ds = await ctx.db.selectFrom('datasources').select('id').where('id', '=', datasourceId).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!ds) throw new NotFoundError('Datasource not found.');
  const exp = await ctx.db.selectFrom('experiments').selectAll().where('id', '=', experimentId).where('datasource_id', '=', datasourceId).executeTakeFirst();
  if (!exp) throw new NotFoundError('Experiment not found.');
  return exp;
}

/** `POST …/snapshots`: a pending snapshot, computed by the worker; the client polls it. */
export async function createSnapshotNow(ctx: ServiceContext<UserActor>, organizationId: string, datasourceId: string, experimentId: string) {
  const exp = await requireExperiment(ctx, organizationId, datasourceId, experimentId);
  if (exp.state !== 'committed') throw new ValidationError('You can only snapshot committed experiments.');
  const now = ctx.clock.now();
  if (exp.end_date.getTime() < now.getTime() - ACTIVE_AFTER_END_MS) throw new ValidationError('You can only snapshot active experiments.');
  const id = await ctx.db.transaction().execute(async (trx) => {
    const snapshotId = (await insertSnapshot(trx, { experimentId, trigger: 'on_demand', cycleStart: null, now })) as string;
    await enqueueSnapshot(trx, snapshotId, `${SNAPSHOT_TAKE_TASK}:${snapshotId}`, now);
    return snapshotId;
  });
  return { id };
}

export interface SnapshotListQuery {
  readonly statuses: readonly ApiSnapshotStatus[];
  readonly pageSize: number;
  readonly pageToken?: string | undefined;
  readonly skip: number;
}

export async function listSnapshots(ctx: ServiceContext<UserActor>, organizationId: string, datasourceId: string, experimentId: string, q: SnapshotListQuery) {
  await requireExperiment(ctx, organizationId, datasourceId, experimentId);
  const now = ctx.clock.now();
  let after: [string, string] | null = null;
  if (q.pageToken) {
    const key = decodePageToken(q.pageToken, 2, now);
    if (typeof key[0] !== 'string' || !/^-?\d{1,19}$/.test(key[0]) || typeof key[1] !== 'string') throw new InvalidPageTokenError();
    after = [key[0], key[1]];
  }
  const rows = await pageSnapshots(ctx.db, experimentId, { statuses: q.statuses.map((s) => TO_DB[s]), after, skip: q.skip, limit: q.pageSize + 1 });
  const page = rows.slice(0, q.pageSize);
  const last = page.at(-1);
  const failure = await latestFailure(ctx.db, experimentId);
  return {
    items: page.map(({ cursor_us: _cursor, ...s }) => snapshotJson(s)),
    latest_failure: failure?.toISOString() ?? null,
    next_page_token: rows.length > q.pageSize && last ? encodePageToken([last.cursor_us, last.id], now) : '',
  };
}

export async function getSnapshot(ctx: ServiceContext<UserActor>, organizationId: string, datasourceId: string, experimentId: string, snapshotId: string) {
  await requireExperiment(ctx, organizationId, datasourceId, experimentId);
  const s = await findSnapshot(ctx.db, snapshotId, experimentId);
  if (!s) throw new NotFoundError('Snapshot not found.');
  return { snapshot: snapshotJson(s) };
}

export async function removeSnapshot(
  ctx: ServiceContext<UserActor>,
  organizationId: string,
  datasourceId: string,
  experimentId: string,
  snapshotId: string,
  allowMissing: boolean,
): Promise<void> {
  await requireExperiment(ctx, organizationId, datasourceId, experimentId);
  const deleted = await deleteSnapshot(ctx.db, experimentId, snapshotId);
  if (!deleted && !allowMissing) throw new NotFoundError('Snapshot not found.');
}
