/**
 * The bodies we POST to client webhooks. `experiment.created` keeps the reference's exact fields so
 * receivers written for it keep working.
 */
export interface ExperimentCreatedPayload {
  readonly type: 'experiment.created';
  readonly organization_id: string;
  readonly datasource_id: string;
  readonly experiment_id: string;
  readonly experiment_url: string;
}

export function experimentCreatedPayload(
  e: { organizationId: string; datasourceId: string; experimentId: string },
  publicUrl: string,
): ExperimentCreatedPayload {
  return {
    type: 'experiment.created',
    organization_id: e.organizationId,
    datasource_id: e.datasourceId,
    experiment_id: e.experimentId,
    experiment_url: `${publicUrl}/v1/experiments/${e.experimentId}`,
  };
}
