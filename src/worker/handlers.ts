/**
 * Which service runs each task type. The worker knows only this table; the work itself lives in services,
 * so a task does exactly what the equivalent API-triggered use case would do.
 *
 * @example
 *   createWorker({ db, clock, handlers: createTaskHandlers({ db, clock, allowPrivateIps: false }) });
 */
import { WEBHOOK_TASK } from '../services/events.ts';
import { deliverWebhookTask, type WebhookDeliveryDeps } from '../services/webhook-delivery.ts';
import type { TaskHandler } from './worker.ts';

export type TaskHandlerDeps = WebhookDeliveryDeps;

export function createTaskHandlers(deps: TaskHandlerDeps): Record<string, TaskHandler> {
  return {
    [WEBHOOK_TASK]: (task) => deliverWebhookTask(deps, task),
  };
}
