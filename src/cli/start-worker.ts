/** The task worker as the `serve` and `worker` subcommands start it. */
import type { Config } from '../config.ts';
import { createTaskHandlers } from '../worker/handlers.ts';
import { createWorker } from '../worker/worker.ts';
import { AUTOFAIL_CYCLE_TASK } from '../services/bandits/autofail.ts';
import { snapshotCycleJob } from '../services/snapshots/snapshot-tasks.ts';
import { experimentEndedJob } from '../services/experiments/experiment-ended.ts';
import { mailerFromConfig } from './accounts.ts';
import type { Runtime } from './runtime.ts';

export function startWorker(runtime: Runtime, config: Config) {
  const worker = createWorker({
    db: runtime.database.db,
    clock: runtime.deps.clock,
    handlers: createTaskHandlers({
      db: runtime.database.db,
      clock: runtime.deps.clock,
      allowPrivateIps: config.allowPrivateIps,
      webhookEgress: config.webhookEgress,
      timeoutMs: config.webhookTimeoutMs,
      secrets: runtime.deps.secrets,
      mailer: mailerFromConfig(config),
      publicUrl: config.publicUrl,
      // Half the lease: an experiment's autofail task always settles before another worker may take it over.
      autofailBudgetMs: config.workerLeaseMs / 2,
      // Snapshots analyse experiments against their warehouses: the full service dependencies.
      services: runtime.deps,
      snapshots: config.snapshots,
    }),
    pollMs: config.workerPollMs,
    leaseMs: config.workerLeaseMs,
    periodic: [{ taskType: AUTOFAIL_CYCLE_TASK, everyMs: config.banditAutofailCheckMs }, snapshotCycleJob(config.snapshots), experimentEndedJob(config.experimentEndCheckMs)],
    listen: (onNotify) => runtime.database.listen('equipoise_tasks', onNotify),
  });
  worker.start();
  return worker;
}
