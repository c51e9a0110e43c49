/**
 * The bodies we POST to client webhooks. `experiment.created` keeps the reference's exact fields so
 * receivers written for it keep working; the other types (see `event-catalogue.ts`) share one envelope.
 */
import type { EventBody, EventData, EventType } from './event-catalogue.ts';

export type ExperimentCreatedPayload = EventBody<'experiment.created'>;

export function experimentCreatedPayload(
  e: { organizationId: string; datasourceId: string; experimentId: string },
  publicUrl: string,
): ExperimentCreatedPayload {
  return {
    type: 'experiment.created',
    organization_id: e.organizationId,
    datasource_id: e.datasourceId,
    experiment_id: e.experimentId,
    experiment_url: experimentUrl(publicUrl, e.experimentId),
  };
}

export function experimentUrl(publicUrl: string, experimentId: string): string {
  return `${publicUrl}/v1/experiments/${experimentId}`;
}

/** `{type, timestamp, organization_id, data}` for every type but `experiment.created`. */
export function envelopePayload<T extends Exclude<EventType, 'experiment.created'>>(
  type: T,
  organizationId: string,
  data: EventData<T>,
  at: Date,
): EventBody<T> {
  return { type, timestamp: at.toISOString(), organization_id: organizationId, data } as EventBody<T>;
}
