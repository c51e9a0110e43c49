/**
 * Which service runs each task type. The worker knows only this table; the work itself lives in services,
 * so a task does exactly what the equivalent API-triggered use case would do.
 *
 * @example
 *   createWorker({ db, clock, handlers: createTaskHandlers({ db, clock, allowPrivateIps: false }) });
 */
import { consoleMailer, type Mailer } from '../mail/mailer.ts';
import { WEBHOOK_TASK } from '../services/events.ts';
import { INVITE_TASK, sendInviteTask } from '../services/invites.ts';
import { deliverWebhookTask, type WebhookDeliveryDeps } from '../services/webhook-delivery.ts';
import type { TaskHandler } from './worker.ts';

export type TaskHandlerDeps = WebhookDeliveryDeps & {
  /** How invite mails leave; printed to the console when absent. */
  readonly mailer?: Mailer;
  /** Base of the links in mails, without a trailing slash. */
  readonly publicUrl?: string;
};

export function createTaskHandlers(deps: TaskHandlerDeps): Record<string, TaskHandler> {
  return {
    [WEBHOOK_TASK]: (task) => deliverWebhookTask(deps, task),
    [INVITE_TASK]: (task) =>
      sendInviteTask({ db: deps.db, clock: deps.clock, mailer: deps.mailer ?? consoleMailer(), publicUrl: deps.publicUrl ?? 'http://localhost:8000' }, task),
  };
}
