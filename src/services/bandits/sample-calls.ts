/**
 * Sample calls of a MAB or MAB-DWH experiment for the integration guide (reference §1.7): "Get assignment"
 * and "Report outcome", with the first (baseline) arm in the example answers and the reference's example
 * outcome (1 for binary rewards — a boolean target — otherwise 1.5). Contextual bandits get none (null), as
 * in the reference: their calls depend on the client's contexts.
 */
import type { LoadedExperiment } from '../../store/repositories/experiments.ts';
import { armBanditView, banditDesignOf } from './bandit-design.ts';

export function banditSampleCalls(loaded: LoadedExperiment, base: string, participant: string, headers: Record<string, string>) {
  const e = loaded.experiment;
  const design = banditDesignOf(loaded);
  const baseline = [...loaded.arms].sort((a, b) => a.position - b.position)[0];
  const outcome = design.reward_type === 'binary' ? 1 : 1.5;
  const assignment = baseline
    ? {
        participant_id: participant,
        arm_id: baseline.id,
        arm_name: baseline.name,
        created_at: '2026-01-01T00:00:00.000Z',
        strata: [],
        observed_at: null,
        outcome: null,
        autofailed_outcome: null,
        context_values: null,
        propensity: 1 / loaded.arms.length,
      }
    : null;
  return {
    calls: [
      {
        label: 'Get assignment',
        method: 'GET' as const,
        path: base,
        headers: { ...headers },
        example_response: { experiment_id: e.id, participant_id: participant, assignment },
      },
      {
        label: 'Report outcome',
        method: 'POST' as const,
        path: `${base}/outcome`,
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: { outcome },
        ...(baseline ? { example_response: { ...armBanditView(baseline), arm_weight: null } } : {}),
      },
    ],
  };
}
