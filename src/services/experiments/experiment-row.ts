/**
 * The columns every new experiment row has, whatever its type: who owns it, its registry fields as
 * submitted, the power analyses the designer saw and the seed that makes its randomness reproducible.
 * Type-specific creation adds its own columns (table binding, stops, autofail) beside these.
 */
import type { Datasource } from '../../store/schema.ts';

interface RegistrySpec {
  readonly experiment_type: string;
  readonly experiment_name: string;
  readonly description: string;
  readonly design_url?: string | null | undefined;
  readonly start_date: string;
  readonly end_date: string;
}

export function newExperimentRow(
  experimentId: string,
  ds: Pick<Datasource, 'id' | 'organization_id'>,
  spec: RegistrySpec,
  powerAnalyses: unknown,
  seed: number,
) {
  return {
    id: experimentId,
    organization_id: ds.organization_id,
    datasource_id: ds.id,
    experiment_type: spec.experiment_type,
    name: spec.experiment_name,
    description: spec.description,
    design_url: spec.design_url ?? null,
    start_date: spec.start_date,
    end_date: spec.end_date,
    power_analyses: powerAnalyses ? JSON.stringify(powerAnalyses) : null,
    random_seed: seed,
  };
}
