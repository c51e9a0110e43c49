/**
 * Creating an experiment: validate the design against the live table, for preassigned designs sample the
 * eligible participants and assign them, then write everything in one transaction — the experiment, its
 * arms, webhook links and assignments appear together or not at all. Warehouse I/O happens before the
 * transaction opens (the embedded database has one connection, and a transaction must not wait on a
 * remote system).
 */
import type { CreateExperimentRequest, DesignSpec } from '../../domain/design-spec.ts';
import { AppError, ValidationError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { assignArms } from '../../stats/allocation.ts';
import { randomSeed, seededRandom } from '../../stats/random.ts';
import { insertAssignments, type NewAssignment } from '../../store/repositories/assignments.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import type { StratumValue } from '../../store/schema.ts';
import type { WarehouseRow } from '../../warehouse/warehouse.ts';
import { requireDatasource } from '../access.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { withDatasourceWarehouse } from '../datasource-warehouse.ts';
import { experimentConfig, storedDesignOf } from './stored-design.ts';
import { validateDesignAgainstTable } from './validate-design.ts';
import { recordAudit } from '../audit.ts';

export interface CreateExperimentOptions {
  /** Fixes sampling and assignment, for reproducible designs and tests. */
  readonly randomState?: number | undefined;
}

export async function createExperiment(
  ctx: ServiceContext<UserActor>,
  datasourceId: string,
  request: CreateExperimentRequest,
  options: CreateExperimentOptions = {},
) {
  const ds = await requireDatasource(ctx, datasourceId);
  const spec = request.design_spec;
  if (ds.driver === 'none') {
    throw new ValidationError([
      { loc: ['body', 'design_spec', 'experiment_type'], msg: `${spec.experiment_type} experiments need a datasource with a warehouse`, type: 'late' },
    ]);
  }
  await checkWebhooksBelongToOrganization(ctx, ds.organization_id, request.webhooks);

  const seed = options.randomState ?? randomSeed();
  const { fieldTypes, rows } = await withDatasourceWarehouse(ctx, ds, async (warehouse) => {
    const table = await warehouse.describeTable(spec.table_name);
    const fieldTypes = validateDesignAgainstTable(spec, table);
    const rows =
      spec.experiment_type === 'freq_preassigned'
        ? await warehouse.sample({
            table: spec.table_name,
            columns: [spec.primary_key, ...spec.strata.map((s) => s.field_name).filter((f) => f !== spec.primary_key)],
            filters: spec.filters,
            limit: spec.desired_n ?? 0,
            seed,
          })
        : [];
    return { fieldTypes, rows };
  });

  const experimentId = newId('experiment');
  const arms = spec.arms.map((a, i) => ({ id: newId('arm'), position: i + 1, name: a.arm_name, description: a.arm_description, weight: a.arm_weight ?? null }));
  const assignments = spec.experiment_type === 'freq_preassigned' ? preassign(spec, rows, arms, seed) : [];
  const population = new Map<string, number>();
  for (const a of assignments) population.set(a.armId, (population.get(a.armId) ?? 0) + 1);

  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('experiments')
      .values({
        id: experimentId,
        organization_id: ds.organization_id,
        datasource_id: ds.id,
        experiment_type: spec.experiment_type,
        name: spec.experiment_name,
        description: spec.description,
        design_url: spec.design_url ?? null,
        start_date: spec.start_date,
        end_date: spec.end_date,
        table_name: spec.table_name,
        primary_key: spec.primary_key,
        design: JSON.stringify(storedDesignOf(spec, fieldTypes)),
        power_analyses: request.power_analyses ? JSON.stringify(request.power_analyses) : null,
        random_seed: seed,
        stopped_assignments_at: spec.experiment_type === 'freq_preassigned' ? ctx.clock.now() : null,
        stopped_assignments_reason: spec.experiment_type === 'freq_preassigned' ? 'preassigned' : null,
      })
      .execute();
    await trx
      .insertInto('arms')
      .values(arms.map((a) => ({ ...a, experiment_id: experimentId, population: population.get(a.id) ?? 0 })))
      .execute();
    if (request.webhooks.length > 0) {
      await trx.insertInto('experiment_webhooks').values(request.webhooks.map((w) => ({ experiment_id: experimentId, webhook_id: w }))).execute();
    }
    await insertAssignments(trx, experimentId, assignments);
    await recordAudit(trx, ctx, {
      organizationId: ds.organization_id,
      action: 'experiment.created',
      targetType: 'experiment',
      targetId: experimentId,
      details: { name: spec.experiment_name, experiment_type: spec.experiment_type, datasource_id: ds.id },
    });
  });

  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new AppError('conflict', 'The experiment was deleted while it was being created.');
  return experimentConfig(loaded);
}

async function checkWebhooksBelongToOrganization(ctx: ServiceContext, organizationId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await ctx.db.selectFrom('webhooks').select('id').where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  const known = new Set(found.map((w) => w.id));
  const invalid = ids.filter((id) => !known.has(id));
  if (invalid.length > 0) throw new AppError('bad_request', `Invalid webhook IDs: [${invalid.map((i) => `'${i}'`).join(', ')}]`);
}

/**
 * Simple random assignment of the sampled participants with exact arm proportions. Stratified
 * randomization replaces this in the design issue; the strata values are already captured per row.
 */
function preassign(spec: DesignSpec, rows: readonly WarehouseRow[], arms: readonly { id: string; weight: number | null }[], seed: number): NewAssignment[] {
  if (rows.length === 0) {
    throw new ValidationError([{ loc: ['body', 'design_spec', 'filters'], msg: 'Preassigned experiments must have eligible participants data: no row passes the filters', type: 'late' }]);
  }
  const seen = new Set<string>();
  for (const row of rows) {
    const id = row[spec.primary_key];
    if (id === null || id === undefined) {
      throw new ValidationError([{ loc: ['body', 'design_spec', 'primary_key'], msg: `Participant ID column '${spec.primary_key}' has NULL values; add a filter excluding them`, type: 'late' }]);
    }
    const key = String(id);
    if (seen.has(key)) {
      throw new ValidationError([{ loc: ['body', 'design_spec', 'primary_key'], msg: `Duplicate participant ID found after filtering: '${key}'`, type: 'late' }]);
    }
    seen.add(key);
  }
  const weights = arms.map((a) => a.weight ?? 1);
  // Sort by participant id first so the result depends only on the sampled set and the seed.
  const ordered = [...rows].sort((a, b) => compareIds(String(a[spec.primary_key]), String(b[spec.primary_key])));
  const labels = assignArms(ordered.length, weights, seededRandom(seed));
  const strataFields = spec.strata.map((s) => s.field_name).sort();
  return ordered.map((row, i) => ({
    participantId: String(row[spec.primary_key]),
    armId: (arms[labels[i] as number] as { id: string }).id,
    strata: strataFields.map((f): StratumValue => ({ field_name: f, strata_value: strataValue(row[f]) })),
  }));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strata values are stored as strings, with "NA" for a missing value (as the reference exports them). */
function strataValue(v: WarehouseRow[string] | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return 'NA';
  return String(v);
}
