/**
 * Which service runs each task type. The worker knows only this table; the work itself lives in services,
 * so a task does exactly what the equivalent API-triggered use case would do.
 *
 * @example
 *   createWorker({ db, clock, handlers: createTaskHandlers({ db, clock, allowPrivateIps: false, secrets: keyset }) });
 */
import { consoleMailer, type Mailer } from '../mail/mailer.ts';
import { INVITE_TASK, sendInviteTask } from '../services/invites.ts';
import { deliverWebhookTask, type WebhookDeliveryDeps } from '../services/webhook-delivery.ts';
import { WEBHOOK_TASK } from '../services/webhook-outbox.ts';
import { AUTOFAIL_CYCLE_TASK, AUTOFAIL_EXPERIMENT_TASK, runAutofailCycle, runExperimentAutofail } from '../services/bandits/autofail.ts';
import type { ServiceDeps } from '../services/context.ts';
import { announceEndedExperiments, EXPERIMENT_ENDED_TASK } from '../services/experiments/experiment-ended.ts';
import { DEFAULT_SNAPSHOT_SETTINGS, runSnapshotCycle, SNAPSHOT_CYCLE_TASK, SNAPSHOT_TAKE_TASK, takeSnapshot, type SnapshotSettings } from '../services/snapshots/snapshot-tasks.ts';
import type { TaskHandler } from './worker.ts';

export type TaskHandlerDeps = WebhookDeliveryDeps & {
  /** How invite mails leave; printed to the console when absent. */
  readonly mailer?: Mailer;
  /** Base of the links in mails, without a trailing slash. */
  readonly publicUrl?: string;
  /** Wall time one experiment's autofail task may take before leaving the rest to the next cycle. */
  readonly autofailBudgetMs?: number;
  /** Snapshots (issue 11) read warehouses, so they need the services' dependencies; without them no snapshot handlers. */
  readonly services?: ServiceDeps;
  readonly snapshots?: SnapshotSettings;
};

export function createTaskHandlers(deps: TaskHandlerDeps): Record<string, TaskHandler> {
  return {
    // Disabled-endpoint notices go to the console like invites when no mailer is configured.
    [WEBHOOK_TASK]: (task) => deliverWebhookTask({ ...deps, mailer: deps.mailer ?? consoleMailer() }, task),
    [INVITE_TASK]: (task) =>
      sendInviteTask({ db: deps.db, clock: deps.clock, mailer: deps.mailer ?? consoleMailer(), publicUrl: deps.publicUrl ?? 'http://localhost:8000' }, task),
    // Bandit autofail: the periodic cycle fans out one task per experiment with overdue draws.
    [AUTOFAIL_CYCLE_TASK]: async (task) => void (await runAutofailCycle(deps, task)),
    [AUTOFAIL_EXPERIMENT_TASK]: async (task) =>
      void (await runExperimentAutofail({ db: deps.db, clock: deps.clock, ...(deps.autofailBudgetMs !== undefined ? { budgetMs: deps.autofailBudgetMs } : {}) }, task)),
    // experiment.ended: one periodic cycle announces every committed experiment past its end date, once.
    [EXPERIMENT_ENDED_TASK]: async () =>
      void (await announceEndedExperiments({ db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl ?? deps.services?.publicUrl ?? 'http://localhost:8000' })),
    ...snapshotHandlers(deps),
  };
}

/** The scheduler cycle and the per-snapshot task (`services/snapshots/snapshot-tasks.ts`). */
function snapshotHandlers(deps: TaskHandlerDeps): Record<string, TaskHandler> {
  const services = deps.services;
  if (!services) return {};
  const settings = deps.snapshots ?? DEFAULT_SNAPSHOT_SETTINGS;
  return {
    [SNAPSHOT_CYCLE_TASK]: async (task) => void (await runSnapshotCycle(services, task, settings)),
    [SNAPSHOT_TAKE_TASK]: (task) => takeSnapshot(services, task, settings),
  };
}
