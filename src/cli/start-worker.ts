/** The task worker as the `serve` and `worker` subcommands start it. */
import type { Config } from '../config.ts';
import { createTaskHandlers } from '../worker/handlers.ts';
import { createWorker } from '../worker/worker.ts';
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
      timeoutMs: config.webhookTimeoutMs,
      secrets: runtime.deps.secrets,
      mailer: mailerFromConfig(config),
      publicUrl: config.publicUrl,
    }),
    pollMs: config.workerPollMs,
    leaseMs: config.workerLeaseMs,
    listen: (onNotify) => runtime.database.listen('equipoise_tasks', onNotify),
  });
  worker.start();
  return worker;
}
