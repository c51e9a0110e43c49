/**
 * An online experiment's run-time settings, kept in their own columns (migration 0005): `assignment_mode`
 * (`random` draws, or `hash`: GrowthBook-compatible FNV-1a v2 of seed + participant id into 10,000 buckets)
 * and `stop_at_desired_n`. They are part of the design (`design_spec`), shown in every ExperimentConfig
 * with what a client needs to recompute hash assignments offline, and may change only while the
 * experiment is a draft: once online assignment has started, changing how arms are chosen would make
 * earlier and later participants incomparable.
 */
import type { DesignSpec } from '../../domain/design-spec.ts';
import { HASH_BUCKETS } from '../../domain/hash-assignment.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Experiment } from '../../store/schema.ts';
import { requireExperimentForUser } from '../access.ts';
import { recordAudit } from '../audit.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { forgetExperiment } from '../assignments/experiment-cache.ts';
import type { ExperimentConfig } from './stored-design.ts';

export interface RunTimeSettings {
  readonly assignment_mode: 'random' | 'hash';
  readonly stop_at_desired_n: boolean;
}

/** The experiment columns a new design sets; the create service writes them with the experiment row. */
export function runTimeColumnsOf(spec: DesignSpec): RunTimeSettings {
  if (spec.experiment_type !== 'freq_online') return { assignment_mode: 'random', stop_at_desired_n: false };
  return { assignment_mode: spec.assignment_mode, stop_at_desired_n: spec.stop_at_desired_n };
}

/**
 * The config with the run-time settings added to `design_spec` (online experiments) and, in hash mode,
 * `assignment_hash`: the GrowthBook parameters that reproduce every assignment (experiment key = seed,
 * hash version 2, variations = arms in design order, weights = arm_weight / 100, coverage 1).
 */
export function withRunTimeSettings(config: ExperimentConfig, e: Experiment) {
  if (e.experiment_type !== 'freq_online') return { ...config, assignment_hash: null };
  const arms = config.design_spec.arms;
  const weighted = arms.every((a) => a.arm_weight !== null);
  return {
    ...config,
    design_spec: { ...config.design_spec, assignment_mode: e.assignment_mode, stop_at_desired_n: e.stop_at_desired_n },
    assignment_hash:
      e.assignment_mode === 'hash'
        ? {
            seed: e.hash_seed ?? e.id,
            hash_version: 2,
            buckets: HASH_BUCKETS,
            coverage: 1,
            arm_ids: arms.map((a) => a.arm_id),
            weights: weighted ? arms.map((a) => (a.arm_weight as number) / 100) : arms.map(() => 1 / arms.length),
          }
        : null,
  };
}

/** `PUT …/assignment-settings`: online drafts only (422 otherwise). */
export async function setRunTimeSettings(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string, settings: RunTimeSettings): Promise<void> {
  const exp = await requireExperimentForUser(ctx, datasourceId, experimentId);
  if (exp.experiment_type !== 'freq_online') {
    throw new ValidationError(`Experiment ${exp.id} is a ${exp.experiment_type} experiment, and not a freq_online experiment.`);
  }
  if (exp.state !== 'assigned') {
    throw new ValidationError(`Invalid experiment state: ${exp.state}; assignment settings can change only while the experiment is a draft.`);
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('experiments')
      .set({ assignment_mode: settings.assignment_mode, stop_at_desired_n: settings.stop_at_desired_n, updated_at: ctx.clock.now() })
      .where('id', '=', experimentId)
      .execute();
    await recordAudit(trx, ctx, {
      organizationId: exp.organization_id,
      action: 'experiment.assignment_settings_changed',
      targetType: 'experiment',
      targetId: exp.id,
      details: { ...settings },
    });
  });
  forgetExperiment(ctx, experimentId);
}
