/** Helpers shared by the design tests. */
import { CreateExperimentRequestSchema, type CreateExperimentRequest } from '../../src/domain/design-spec.ts';

/** The request as the route would hand it to the service (defaults applied). */
export function parseCreateExperiment(body: unknown): CreateExperimentRequest {
  return CreateExperimentRequestSchema.parse(body);
}
