/**
 * Sample API calls for the UI's integration guide (reference §1.7 "sample-calls"): what a client backend
 * sends to get an assignment, with a placeholder key and the first (baseline) arm in the example answer.
 * A filtered online experiment leads with `assign_with_filters` and shows the plain GET as read-only
 * (`create_if_none=false`), because a plain GET assigns every caller.
 */
import type { FilterSpec } from '../../domain/design-spec.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { loadExperiment } from '../../store/repositories/experiments.ts';
import { requireExperimentForUser } from '../access.ts';
import type { ServiceContext, UserActor } from '../context.ts';
import { designOf } from './stored-design.ts';
import { isBanditType } from '../../domain/bandit-design-spec.ts';
import { banditSampleCalls } from '../bandits/sample-calls.ts';

export interface SampleCall {
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  readonly example_response?: unknown;
}

const HEADERS = { 'X-API-Key': '<your-api-key>' };
const PARTICIPANT = '<participant-id>';

/** An example value of the right type for a filter, taken from the filter itself where it can be. */
function exampleValue(filter: FilterSpec, type: string | undefined): string | number | boolean | null {
  const listed = filter.value.find((v) => v !== null);
  if (listed !== undefined) return listed;
  if (type === 'boolean') return true;
  if (type === 'integer' || type === 'bigint' || type === 'float' || type === 'decimal') return 0;
  return '';
}

export async function sampleCalls(ctx: ServiceContext<UserActor>, datasourceId: string, experimentId: string): Promise<{ calls: SampleCall[] } | null> {
  await requireExperimentForUser(ctx, datasourceId, experimentId);
  const loaded = await loadExperiment(ctx.db, experimentId);
  if (!loaded) throw new NotFoundError('Experiment not found.');
  const e = loaded.experiment;
  if (e.experiment_type === 'cmab_online') return null;
  const design = designOf(loaded);
  const baseline = [...loaded.arms].sort((a, b) => a.position - b.position)[0];
  const base = `/v1/experiments/${e.id}/assignments/${PARTICIPANT}`;
  const exampleAssignment = baseline
    ? {
        experiment_id: e.id,
        participant_id: PARTICIPANT,
        assignment: {
          participant_id: PARTICIPANT,
          arm_id: baseline.id,
          arm_name: baseline.name,
          created_at: '2026-01-01T00:00:00.000Z',
          strata: [],
          observed_at: null,
          outcome: null,
          context_values: null,
          assignment_method: e.assignment_mode === 'hash' ? 'hash' : 'random',
          hash_bucket: e.assignment_mode === 'hash' ? 0 : null,
        },
      }
    : undefined;
  if (isBanditType(e.experiment_type)) return banditSampleCalls(loaded, base, PARTICIPANT, HEADERS);
  const filtered = e.experiment_type === 'freq_online' && design.filters.length > 0;
  const calls: SampleCall[] = [];
  if (filtered) {
    calls.push({
      label: 'Get assignment (with filters)',
      method: 'POST',
      path: `${base}/assign_with_filters`,
      headers: { ...HEADERS, 'Content-Type': 'application/json' },
      body: { properties: design.filters.map((f) => ({ field_name: f.field_name, value: exampleValue(f, design.field_types[f.field_name]) })) },
      example_response: exampleAssignment,
    });
  }
  calls.push({
    label: filtered ? 'Get existing assignment' : 'Get assignment',
    method: 'GET',
    path: filtered ? `${base}?create_if_none=false` : base,
    headers: { ...HEADERS },
    example_response: exampleAssignment,
  });
  return { calls };
}
