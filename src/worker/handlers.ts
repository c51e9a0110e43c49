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
import type { TaskHandler } from './worker.ts';

export type TaskHandlerDeps = WebhookDeliveryDeps & {
  /** How invite mails leave; printed to the console when absent. */
  readonly mailer?: Mailer;
  /** Base of the links in mails, without a trailing slash. */
  readonly publicUrl?: string;
};

export function createTaskHandlers(deps: TaskHandlerDeps): Record<string, TaskHandler> {
  return {
    // Disabled-endpoint notices go to the console like invites when no mailer is configured.
    [WEBHOOK_TASK]: (task) => deliverWebhookTask({ ...deps, mailer: deps.mailer ?? consoleMailer() }, task),
    [INVITE_TASK]: (task) =>
      sendInviteTask({ db: deps.db, clock: deps.clock, mailer: deps.mailer ?? consoleMailer(), publicUrl: deps.publicUrl ?? 'http://localhost:8000' }, task),
  };
}
