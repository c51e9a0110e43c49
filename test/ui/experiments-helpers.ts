/**
 * Helpers of the experiment-area UI tests: the demo organization and warehouse ids, experiments made
 * through the admin API (to test the experiment page without walking the wizard each time).
 */
import type { UiHarness } from './support.ts';

export interface DemoIds {
  readonly organizationId: string;
  readonly datasourceId: string;
}

export async function demoIds(ui: UiHarness): Promise<DemoIds> {
  const orgs = await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations');
  const organizationId = orgs.items[0]!.id;
  const ds = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${organizationId}/datasources`);
  return { organizationId, datasourceId: ds.items.find((d) => d.driver === 'duckdb')!.id };
}

export function isoDay(offsetDays: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** A design on the demo warehouse; preassigned by default (500 participants stratified by country). */
export function demoDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experiment_type: 'freq_preassigned',
    experiment_name: 'API-made experiment',
    description: 'Made through the admin API for a UI test.',
    start_date: `${isoDay(-1)}T00:00:00Z`,
    end_date: `${isoDay(30)}T23:59:59Z`,
    arms: [
      { arm_name: 'control', arm_description: 'as today' },
      { arm_name: 'reminder', arm_description: 'weekly reminder' },
    ],
    table_name: 'participants',
    primary_key: 'participant_id',
    strata: [{ field_name: 'country' }],
    metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
    filters: [],
    desired_n: 500,
    ...overrides,
  };
}

export async function createExperiment(ui: UiHarness, datasourceId: string, design: Record<string, unknown>, options: { commit?: boolean } = {}): Promise<string> {
  const created = await ui.api<{ experiment_id: string }>('POST', `/v1/m/datasources/${datasourceId}/experiments`, { design_spec: design });
  if (options.commit) await ui.api('POST', `/v1/m/datasources/${datasourceId}/experiments/${created.experiment_id}/commit`);
  return created.experiment_id;
}
