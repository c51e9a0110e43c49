/**
 * The sample calls of a contextual bandit, made in the browser: the server offers none for it (as the
 * reference does not), because the draw needs the participant's context values — so the guide shows the
 * calls with each declared context and an example value of its kind, in the server's sample-call shape.
 */
import type { SampleCall } from '../../api-types.ts';
import type { StoredBanditDesign } from '../../api-types.ts';

const PARTICIPANT = '<participant-id>';
const HEADERS = { 'X-API-Key': '<your-api-key>' };

export function cmabSampleCalls(experimentId: string, design: Pick<StoredBanditDesign, 'contexts' | 'reward_type'>): SampleCall[] {
  const base = `/v1/experiments/${experimentId}/assignments/${PARTICIPANT}`;
  const json = { ...HEADERS, 'Content-Type': 'application/json' };
  return [
    {
      label: 'Get assignment (with context)',
      method: 'POST',
      path: `${base}/assign_cmab`,
      headers: json,
      body: { context_inputs: (design.contexts ?? []).map((c) => ({ context_id: c.context_id, context_value: c.value_type === 'binary' ? 1 : 2.5 })) },
    },
    { label: 'Report outcome', method: 'POST', path: `${base}/outcome`, headers: json, body: { outcome: design.reward_type === 'binary' ? 1 : 1.5 } },
  ];
}
