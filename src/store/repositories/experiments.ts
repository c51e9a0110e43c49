/** Experiments with their arms and webhook links, as one loaded unit. */
import type { Kysely, Transaction } from 'kysely';
import type { Arm, DB, Experiment } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface LoadedExperiment {
  readonly experiment: Experiment;
  readonly arms: readonly Arm[];
  readonly webhookIds: readonly string[];
}

export async function loadExperiments(db: Executor, experiments: readonly Experiment[]): Promise<LoadedExperiment[]> {
  if (experiments.length === 0) return [];
  const ids = experiments.map((e) => e.id);
  const [arms, links] = await Promise.all([
    db.selectFrom('arms').selectAll().where('experiment_id', 'in', ids).orderBy('experiment_id').orderBy('position').execute(),
    db.selectFrom('experiment_webhooks').selectAll().where('experiment_id', 'in', ids).orderBy('webhook_id').execute(),
  ]);
  return experiments.map((experiment) => ({
    experiment,
    arms: arms.filter((a) => a.experiment_id === experiment.id),
    webhookIds: links.filter((l) => l.experiment_id === experiment.id).map((l) => l.webhook_id),
  }));
}

export async function loadExperiment(db: Executor, experimentId: string): Promise<LoadedExperiment | undefined> {
  const experiment = await db.selectFrom('experiments').selectAll().where('id', '=', experimentId).executeTakeFirst();
  if (!experiment) return undefined;
  const [loaded] = await loadExperiments(db, [experiment]);
  return loaded;
}
