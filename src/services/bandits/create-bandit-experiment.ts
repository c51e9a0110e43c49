/**
 * Creating a bandit experiment (reference §2.4, §6.3): the experiment row, its arms with their priors (given
 * per arm, or derived from arm weights so that each arm's prior probability of being best equals its
 * weight), the posterior of every arm set to its prior, context ids for a contextual bandit, webhook links
 * and the audit entry, all in one transaction. MAB and CMAB need no warehouse; MAB-DWH checks its table,
 * primary key and target column against the live warehouse first (outside any app-database transaction),
 * and binds the outcome type to the target column's type: boolean → binary rewards, numeric → real-valued.
 */
import type { Transaction } from 'kysely';
import { CONTEXT_ID_PREFIX, type BanditDesignSpec, type MabOnlineDwhSpec } from '../../domain/bandit-design-spec.ts';
import type { ContextDefinition } from '../../domain/bandit-context.ts';
import type { CreateExperimentRequest } from '../../domain/design-spec.ts';
import { AppError, ValidationError, type ValidationIssue } from '../../domain/errors.ts';
import { newId, randomAlphanumeric } from '../../domain/ids.ts';
import { betaPriorsFromWeights, normalPriorsFromWeights } from '../../stats/bandits/weights-to-prior.ts';
import { randomSeed } from '../../stats/random.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import type { Datasource, DB } from '../../store/schema.ts';
import type { ColumnType, TableInfo } from '../../warehouse/warehouse.ts';
import { recordAudit } from '../audit.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { withDatasourceWarehouse } from '../datasource-warehouse.ts';
import { newExperimentRow } from '../experiments/experiment-row.ts';
import { banditExperimentConfig } from './bandit-config.ts';
import type { StoredBanditDesign } from './bandit-design.ts';

const ID_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'uuid', 'string']);
const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'float', 'decimal']);

/** One arm's prior: Beta(α, β), or N(μ·1, σ²·I) over the arm's coefficients. */
interface ArmPrior {
  readonly alpha_init: number | null;
  readonly beta_init: number | null;
  readonly mu_init: number | null;
  readonly sigma_init: number | null;
}

export async function createBanditExperiment(
  ctx: ServiceContext<UserActor>,
  ds: Pick<Datasource, 'id' | 'organization_id' | 'driver' | 'config'>,
  request: CreateExperimentRequest & { design_spec: BanditDesignSpec },
  options: { readonly randomState?: number | undefined } = {},
) {
  const spec = request.design_spec;
  const fieldTypes = spec.experiment_type === 'mab_online_dwh' ? await checkTargetTable(ctx, ds, spec) : {};
  const contexts: ContextDefinition[] | null =
    spec.experiment_type === 'cmab_online'
      ? spec.contexts.map((c) => ({
          context_id: `${CONTEXT_ID_PREFIX}_${randomAlphanumeric(16)}`,
          context_name: c.context_name,
          context_description: c.context_description,
          value_type: c.value_type,
        }))
      : null;
  const dimension = contexts?.length ?? 1;
  const priors = priorsOf(spec, dimension);
  const design: StoredBanditDesign = {
    prior_type: spec.prior_type,
    reward_type: spec.reward_type,
    contexts,
    target_field_name: spec.experiment_type === 'mab_online_dwh' ? spec.target_field_name : null,
    field_types: fieldTypes,
    priors_from_weights: spec.arms.every((a) => a.arm_weight != null),
  };
  const experimentId = newId('experiment');
  await ctx.db.transaction().execute(async (trx) => {
    await insertBanditExperiment(trx, ctx, ds, { experimentId, spec, design, priors, dimension, request, seed: options.randomState ?? randomSeed() });
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
  return banditExperimentConfig(loaded);
}

/** Priors per arm, in design order: as given, or from the weights (exact for Beta, solved for Normal). */
function priorsOf(spec: BanditDesignSpec, dimension: number): ArmPrior[] {
  const weights = spec.arms.map((a) => a.arm_weight);
  if (weights.every((w): w is number => w != null)) {
    if (spec.prior_type === 'beta') {
      return betaPriorsFromWeights(weights).map((p) => ({ alpha_init: p.alpha, beta_init: p.beta, mu_init: null, sigma_init: null }));
    }
    try {
      // N(c·1, I): every coefficient has mean c and standard deviation 1.
      return normalPriorsFromWeights(weights, dimension).map((p) => ({ alpha_init: null, beta_init: null, mu_init: p.mean[0] as number, sigma_init: 1 }));
    } catch (err) {
      throw new ValidationError([
        { loc: ['body', 'design_spec', 'arms'], msg: `no Normal prior matches these arm weights: ${err instanceof Error ? err.message : String(err)}`, type: 'value_error' },
      ]);
    }
  }
  return spec.arms.map((a) =>
    spec.prior_type === 'beta'
      ? { alpha_init: a.alpha_init as number, beta_init: a.beta_init as number, mu_init: null, sigma_init: null }
      : { alpha_init: null, beta_init: null, mu_init: a.mu_init as number, sigma_init: a.sigma_init as number },
  );
}

/** MAB-DWH: the table must have the primary key and a boolean or numeric target matching the reward type. */
async function checkTargetTable(
  ctx: ServiceContext<UserActor>,
  ds: Pick<Datasource, 'id' | 'driver' | 'config'>,
  spec: MabOnlineDwhSpec,
): Promise<Record<string, ColumnType>> {
  if (ds.driver === 'none') {
    throw new ValidationError([{ loc: ['body', 'design_spec', 'experiment_type'], msg: 'mab_online_dwh experiments need a datasource with a warehouse', type: 'late' }]);
  }
  const table: TableInfo = await withDatasourceWarehouse(ctx, ds, (w) => w.describeTable(spec.table_name));
  const columns = new Map(table.columns.map((c) => [c.name, c.type]));
  const at = (field: string) => ['body', 'design_spec', field];
  const issues: ValidationIssue[] = [];
  const keyType = columns.get(spec.primary_key);
  if (keyType === undefined) issues.push({ loc: at('primary_key'), msg: `column '${spec.primary_key}' does not exist in table '${table.name}'`, type: 'late' });
  else if (!ID_TYPES.has(keyType)) issues.push({ loc: at('primary_key'), msg: `column '${spec.primary_key}' is ${keyType}; a participant id must be an integer, bigint, uuid or string column`, type: 'late' });
  const targetType = columns.get(spec.target_field_name);
  if (targetType === undefined) {
    issues.push({ loc: at('target_field_name'), msg: `column '${spec.target_field_name}' does not exist in table '${table.name}'`, type: 'late' });
  } else if (targetType === 'boolean') {
    if (spec.reward_type !== 'binary') issues.push({ loc: at('reward_type'), msg: `the target column '${spec.target_field_name}' is boolean, so reward_type must be binary`, type: 'late' });
  } else if (NUMERIC_TYPES.has(targetType)) {
    if (spec.reward_type !== 'real-valued') issues.push({ loc: at('reward_type'), msg: `the target column '${spec.target_field_name}' is numeric (${targetType}), so reward_type must be real-valued`, type: 'late' });
  } else {
    issues.push({ loc: at('target_field_name'), msg: `column '${spec.target_field_name}' is ${targetType}; a target must be boolean or numeric`, type: 'late' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { [spec.primary_key]: keyType as ColumnType, [spec.target_field_name]: targetType as ColumnType };
}

async function insertBanditExperiment(
  trx: Transaction<DB>,
  ctx: ServiceContext<UserActor>,
  ds: Pick<Datasource, 'id' | 'organization_id'>,
  e: {
    experimentId: string;
    spec: BanditDesignSpec;
    design: StoredBanditDesign;
    priors: readonly ArmPrior[];
    dimension: number;
    request: CreateExperimentRequest;
    seed: number;
  },
): Promise<void> {
  const { spec } = e;
  const dwh = spec.experiment_type === 'mab_online_dwh';
  await trx
    .insertInto('experiments')
    .values({
      ...newExperimentRow(e.experimentId, ds, spec, e.request.power_analyses, e.seed),
      table_name: dwh ? spec.table_name : null,
      primary_key: dwh ? spec.primary_key : null,
      design: JSON.stringify(e.design),
      enable_autofail: spec.enable_autofail,
      autofail_window_hours: spec.autofail_window,
      autofail_outcome_value: spec.autofail_outcome_value,
    })
    .execute();
  await trx
    .insertInto('arms')
    .values(
      spec.arms.map((a, i) => {
        const prior = e.priors[i] as ArmPrior;
        const beta = spec.prior_type === 'beta';
        const sd = prior.sigma_init ?? 1;
        return {
          id: newId('arm'),
          experiment_id: e.experimentId,
          position: i + 1,
          name: a.arm_name,
          description: a.arm_description,
          weight: a.arm_weight ?? null,
          population: 0,
          ...prior,
          // The posterior starts as the prior.
          alpha: beta ? prior.alpha_init : null,
          beta: beta ? prior.beta_init : null,
          mu: beta ? null : new Array<number>(e.dimension).fill(prior.mu_init as number),
          covariance: beta ? null : Array.from({ length: e.dimension }, (_, r) => Array.from({ length: e.dimension }, (_, c) => (r === c ? sd * sd : 0))),
        };
      }),
    )
    .execute();
  if (e.request.webhooks.length > 0) {
    await trx.insertInto('experiment_webhooks').values(e.request.webhooks.map((w) => ({ experiment_id: e.experimentId, webhook_id: w }))).execute();
  }
}
