/**
 * Creating an experiment. An online design is written in one transaction. A preassigned design runs in
 * three steps, so its progress can be seen while a large cohort is assigned and its rows still appear
 * all at once:
 *
 *   1. validate against the live table, then insert the experiment, its arms and webhook links with
 *      `assignment_progress.status = "running"` (one short transaction);
 *   2. read the cohort from the warehouse (ids, then stratification columns in batches) and assign it —
 *      no app-database transaction is open during warehouse I/O;
 *   3. write every assignment, the arm sizes, the balance check and the final progress in ONE transaction.
 *
 * Any failure after step 1 (warehouse error, empty cohort, duplicate ids, a failed insert) deletes the
 * experiment again, so no half-written experiment survives; the error then reaches the caller.
 */
import { clusterKeyOf, isBanditDesign, type CreateExperimentRequest, type DesignSpec } from '../../domain/design-spec.ts';
import { AppError, ValidationError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { randomSeed } from '../../stats/random.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import type { Transaction } from 'kysely';
import type { Datasource, DB } from '../../store/schema.ts';
import type { ColumnType } from '../../warehouse/warehouse.ts';
import { requireDatasource } from '../access.ts';
import { recordAudit } from '../audit.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { withDatasourceWarehouse } from '../datasource-warehouse.ts';
import { ProgressReporter } from './assignment-progress.ts';
import { preassign } from './preassign.ts';
import { readCohort } from './preassign-cohort.ts';
import { newExperimentRow } from './experiment-row.ts';
import { storedDesignOf } from './stored-design.ts';
import { validateDesignAgainstTable } from './validate-design.ts';
import { configOf } from './read-experiments.ts';
import { runTimeColumnsOf } from './run-time-settings.ts';
import { writePreassignment } from './write-preassignment.ts';
import { createBanditExperiment } from '../bandits/create-bandit-experiment.ts';

export interface CreateExperimentOptions {
  /** Fixes sampling and assignment, for reproducible designs and tests. */
  readonly randomState?: number | undefined;
  /** Stratify on the metric columns too (the reference's default); strata are always used. */
  readonly stratifyOnMetrics?: boolean | undefined;
  /** Where progress lines go; the server log by default. */
  readonly log?: ((line: string) => void) | undefined;
  /** Ids per warehouse fetch and rows per insert statement (tests make them small). */
  readonly fetchBatchSize?: number | undefined;
  readonly insertChunkRows?: number | undefined;
}

interface NewArm {
  readonly id: string;
  readonly position: number;
  readonly name: string;
  readonly description: string;
  readonly weight: number | null;
}

export async function createExperiment(
  ctx: ServiceContext<UserActor>,
  datasourceId: string,
  request: CreateExperimentRequest,
  options: CreateExperimentOptions = {},
) {
  const ds = await requireDatasource(ctx, datasourceId);
  const design = request.design_spec;
  if (isBanditDesign(design)) {
    await checkWebhooksBelongToOrganization(ctx, ds.organization_id, request.webhooks);
    return createBanditExperiment(ctx, ds, { ...request, design_spec: design }, { randomState: options.randomState });
  }
  const spec = design;
  if (ds.driver === 'none') {
    throw new ValidationError([
      { loc: ['body', 'design_spec', 'experiment_type'], msg: `${spec.experiment_type} experiments need a datasource with a warehouse`, type: 'late' },
    ]);
  }
  await checkWebhooksBelongToOrganization(ctx, ds.organization_id, request.webhooks);

  const seed = options.randomState ?? randomSeed();
  const fieldTypes = await withDatasourceWarehouse(ctx, ds, async (w) => validateDesignAgainstTable(spec, await w.describeTable(spec.table_name)));
  const experimentId = newId('experiment');
  const arms: NewArm[] = spec.arms.map((a, i) => ({ id: newId('arm'), position: i + 1, name: a.arm_name, description: a.arm_description, weight: a.arm_weight ?? null }));

  if (spec.experiment_type !== 'freq_preassigned') {
    await ctx.db.transaction().execute(async (trx) => {
      await insertExperiment(trx, ctx, ds, { experimentId, spec, request, fieldTypes, arms, seed, progress: null });
      await auditCreated(trx, ctx, ds, experimentId, spec);
    });
    return loaded(ctx, experimentId);
  }

  const progress = new ProgressReporter(experimentId, () => ctx.clock.now(), options.log ?? ((line) => console.log(line)));
  try {
    await ctx.db.transaction().execute((trx) => insertExperiment(trx, ctx, ds, { experimentId, spec, request, fieldTypes, arms, seed, progress: progress.snapshot }));
    try {
      const stratifyOn = stratificationColumns(spec, options.stratifyOnMetrics ?? true);
      const cohort = await withDatasourceWarehouse(ctx, ds, (w) =>
        readCohort(w, {
          spec,
          columns: stratifyOn,
          types: fieldTypes,
          seed,
          ...(options.fetchBatchSize !== undefined ? { batchSize: options.fetchBatchSize } : {}),
        }),
      );
      progress.phase('assigning', cohort.ids.length);
      const assignment = preassign(cohort, {
        weights: arms.map((a) => a.weight ?? 1),
        seed,
        primaryKey: spec.primary_key,
        fstatThresh: spec.fstat_thresh,
      });
      await ctx.db.transaction().execute(async (trx) => {
        await writePreassignment(trx, {
          experimentId,
          armIds: arms.map((a) => a.id),
          cohort,
          assignment,
          progress,
          ...(options.insertChunkRows !== undefined ? { chunkRows: options.insertChunkRows } : {}),
        });
        await auditCreated(trx, ctx, ds, experimentId, spec);
      });
    } catch (err) {
      // The experiment row is the only thing committed so far; removing it (arms and links cascade)
      // leaves the database as if the request had never come.
      await ctx.db.deleteFrom('experiments').where('id', '=', experimentId).execute();
      throw err;
    }
  } finally {
    progress.end();
  }
  return loaded(ctx, experimentId);
}

/** Strata, then (unless turned off) metrics, without the id or cluster key and without repeats. */
export function stratificationColumns(spec: DesignSpec, withMetrics: boolean): string[] {
  const skip = new Set([spec.primary_key, clusterKeyOf(spec)]);
  const names = [...spec.strata.map((s) => s.field_name), ...(withMetrics ? spec.metrics.map((m) => m.field_name) : [])];
  return [...new Set(names)].filter((n) => !skip.has(n));
}

async function insertExperiment(
  trx: Transaction<DB>,
  ctx: ServiceContext<UserActor>,
  ds: Pick<Datasource, 'id' | 'organization_id'>,
  e: {
    experimentId: string;
    spec: DesignSpec;
    request: CreateExperimentRequest;
    fieldTypes: Record<string, ColumnType>;
    arms: readonly NewArm[];
    seed: number;
    progress: unknown;
  },
): Promise<void> {
  const { spec } = e;
  const preassigned = spec.experiment_type === 'freq_preassigned';
  await trx
    .insertInto('experiments')
    .values({
      ...newExperimentRow(e.experimentId, ds, spec, e.request.power_analyses, e.seed),
      table_name: spec.table_name,
      primary_key: spec.primary_key,
      design: JSON.stringify(storedDesignOf(spec, e.fieldTypes)),
      stopped_assignments_at: preassigned ? ctx.clock.now() : null,
      stopped_assignments_reason: preassigned ? 'preassigned' : null,
      assignment_progress: e.progress === null ? null : JSON.stringify(e.progress),
      ...runTimeColumnsOf(spec),
    })
    .execute();
  await trx
    .insertInto('arms')
    .values(e.arms.map((a) => ({ ...a, experiment_id: e.experimentId, population: 0 })))
    .execute();
  if (e.request.webhooks.length > 0) {
    await trx.insertInto('experiment_webhooks').values(e.request.webhooks.map((w) => ({ experiment_id: e.experimentId, webhook_id: w }))).execute();
  }
}

/** Audited with the data, so a creation that fails and is undone leaves no "created" entry in the chain. */
async function auditCreated(trx: Transaction<DB>, ctx: ServiceContext<UserActor>, ds: Pick<Datasource, 'id' | 'organization_id'>, experimentId: string, spec: DesignSpec) {
  await recordAudit(trx, ctx, {
    organizationId: ds.organization_id,
    action: 'experiment.created',
    targetType: 'experiment',
    targetId: experimentId,
    details: { name: spec.experiment_name, experiment_type: spec.experiment_type, datasource_id: ds.id },
  });
}

async function loaded(ctx: ServiceContext, experimentId: string) {
  const row = await loadExperiment(ctx.db, experimentId);
  if (!row) throw new AppError('conflict', 'The experiment was deleted while it was being created.');
  return configOf(row);
}

async function checkWebhooksBelongToOrganization(ctx: ServiceContext, organizationId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await ctx.db.selectFrom('webhooks').select('id').where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  const known = new Set(found.map((w) => w.id));
  const invalid = ids.filter((id) => !known.has(id));
  if (invalid.length > 0) throw new AppError('bad_request', `Invalid webhook IDs: [${invalid.map((i) => `'${i}'`).join(', ')}]`);
}
