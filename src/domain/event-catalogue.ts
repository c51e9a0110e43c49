/**
 * The catalogue of webhook event types: what a webhook can subscribe to, and the JSON body each one sends.
 * `experiment.created` keeps the reference's flat body so receivers written for it keep working; every
 * newer type uses the Standard Webhooks envelope `{type, timestamp, organization_id, data}`. The zod
 * schemas are the contract: the API serves them as JSON Schema, and tests parse real deliveries with them.
 *
 * @example
 *   EVENT_TYPES.includes('experiment.abandoned'); // true
 *   eventJsonSchema('webhook.test').properties.data; // { type: 'object', … }
 */
import { z } from 'zod';

const experimentRef = {
  experiment_id: z.string(),
  datasource_id: z.string(),
  /** The public API URL of the experiment (`GET /v1/experiments/{id}` with an API key). */
  experiment_url: z.string(),
};

function envelope<T extends string, D extends z.ZodRawShape>(type: T, data: D, description: string) {
  return z
    .object({
      type: z.literal(type),
      /** When the event happened (ISO 8601), not when this attempt was sent. */
      timestamp: z.string(),
      organization_id: z.string(),
      data: z.object(data),
    })
    .describe(description);
}

export const ASSIGNMENT_STOP_REASONS = ['end_date', 'target_n', 'manual'] as const;
export const EXPERIMENT_WARNINGS = ['sample_ratio_mismatch', 'imbalance', 'underpowered'] as const;

export const EVENT_SCHEMAS = {
  'experiment.created': z
    .object({
      type: z.literal('experiment.created'),
      organization_id: z.string(),
      datasource_id: z.string(),
      experiment_id: z.string(),
      experiment_url: z.string(),
    })
    .describe('An experiment was committed. Sent only to webhooks linked to the experiment when it was created (as the reference does).'),
  'experiment.abandoned': envelope('experiment.abandoned', experimentRef, 'An experiment was abandoned before or instead of being committed.'),
  'experiment.updated': envelope(
    'experiment.updated',
    { ...experimentRef, changed_fields: z.array(z.string()) },
    "An experiment's editable fields (name, description, dates, decision, impact…) changed.",
  ),
  'experiment.assignment_stopped': envelope(
    'experiment.assignment_stopped',
    { ...experimentRef, reason: z.enum(ASSIGNMENT_STOP_REASONS), stopped_at: z.string() },
    'Online assignment stopped: the end date passed, the target sample size was reached, or someone stopped it.',
  ),
  'experiment.ended': envelope('experiment.ended', { ...experimentRef, end_date: z.string() }, 'An experiment reached its end date.'),
  'experiment.warning': envelope(
    'experiment.warning',
    { ...experimentRef, warning: z.enum(EXPERIMENT_WARNINGS), message: z.string(), details: z.record(z.string(), z.unknown()).optional() },
    'Analysis found a problem: sample-ratio mismatch, covariate imbalance, or too little power.',
  ),
  'webhook.test': envelope('webhook.test', { webhook_id: z.string(), message: z.string() }, 'Sent on request from the admin API or UI to check an endpoint.'),
  'webhook.endpoint_disabled': envelope(
    'webhook.endpoint_disabled',
    { webhook_id: z.string(), reason: z.enum(['gone', 'failing']), failing_since: z.string().nullable() },
    'An endpoint of the organization was disabled (it answered 410 Gone, or failed for 5 days in a row).',
  ),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventBody<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
/** What a caller supplies for an envelope type: the `data` object. */
export type EventData<T extends Exclude<EventType, 'experiment.created'>> = EventBody<T>['data'];
export type ExperimentEventType = Exclude<Extract<EventType, `experiment.${string}`>, 'experiment.created'>;

export const EVENT_TYPES = Object.freeze(Object.keys(EVENT_SCHEMAS) as EventType[]);

export function isEventType(s: string): s is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, s);
}

/** JSON Schema (draft 2020-12) of one event type's body. */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  return z.toJSONSchema(EVENT_SCHEMAS[type]) as Record<string, unknown>;
}

/** The catalogue as the API serves it. */
export function eventCatalogue(): { type: EventType; description: string; schema: Record<string, unknown> }[] {
  return EVENT_TYPES.map((type) => ({ type, description: EVENT_SCHEMAS[type].description ?? '', schema: eventJsonSchema(type) }));
}
