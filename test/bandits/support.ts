/** Helpers for the bandit suites: designs over the "API only" and demo datasources, made and committed over HTTP. */
import { afterAll, beforeAll, expect } from 'vitest';
import type { DatabaseKind } from '../../src/store/database.ts';
import { NOW, startRuntimeHarness, type RuntimeHarness } from '../runtime/support.ts';

/**
 * A suite's server: a runtime harness on `kind` with an API-only key, started before the suite's tests and
 * closed after them, its clock first set back to NOW. The suite keeps its own `h` and `key`, so its tests
 * read as before: `useBanditRuntime(kind, (started) => ({ h, key } = started));`
 */
export function useBanditRuntime(kind: DatabaseKind, onStarted: (started: { h: RuntimeHarness; key: string }) => void): void {
  let h: RuntimeHarness | undefined;
  beforeAll(async () => {
    h = await startRuntimeHarness(kind);
    onStarted({ h, key: await apiOnlyKey(h) });
  });
  afterAll(async () => {
    h?.clock.set(NOW);
    await h?.server.close();
  });
}

/** A `mab_online` design with two Beta(1, 1) arms; pass only what the test is about. */
export function mabDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experiment_type: 'mab_online',
    experiment_name: 'bandit',
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2026-12-31T00:00:00Z',
    arms: [
      { arm_name: 'a', alpha_init: 1, beta_init: 1 },
      { arm_name: 'b', alpha_init: 1, beta_init: 1 },
    ],
    ...overrides,
  };
}

/** A `cmab_online` design: Normal priors, one binary and one real-valued context. */
export function cmabDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experiment_type: 'cmab_online',
    experiment_name: 'contextual',
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2026-12-31T00:00:00Z',
    prior_type: 'normal',
    reward_type: 'real-valued',
    arms: [
      { arm_name: 'a', mu_init: 0, sigma_init: 1 },
      { arm_name: 'b', mu_init: 0, sigma_init: 1 },
    ],
    contexts: [
      { context_name: 'returning', value_type: 'binary' },
      { context_name: 'age', value_type: 'real-valued' },
    ],
    ...overrides,
  };
}

/** A `mab_online_dwh` design bound to the demo warehouse's boolean `completed_course`. */
export function dwhDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return mabDesign({
    experiment_type: 'mab_online_dwh',
    table_name: 'participants',
    primary_key: 'participant_id',
    target_field_name: 'completed_course',
    ...overrides,
  });
}

export interface CreatedBandit {
  readonly id: string;
  readonly armIds: string[];
  // The config as the API answered it.
  readonly config: { design_spec: Record<string, unknown> & { arms: Record<string, unknown>[]; contexts?: { context_id: string; value_type: string }[] | null } } & Record<string, unknown>;
}

/** Creates (on the API-only datasource unless the design is MAB-DWH) and commits; fails the test on any error. */
export async function createBandit(h: RuntimeHarness, design: Record<string, unknown>, options: { commit?: boolean; datasourceId?: string } = {}): Promise<CreatedBandit> {
  const ds = options.datasourceId ?? (design['experiment_type'] === 'mab_online_dwh' ? h.server.demoDatasourceId : h.server.apiOnlyDatasourceId);
  const res = await h.server.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', body: JSON.stringify({ design_spec: design }) });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  const id = body.experiment_id as string;
  if (options.commit ?? true) {
    expect((await h.server.admin(`/v1/m/datasources/${ds}/experiments/${id}/commit`, { method: 'POST' })).status).toBe(204);
  }
  return { id, armIds: body.design_spec.arms.map((a: { arm_id: string }) => a.arm_id), config: body };
}

/** The API-only datasource's path to an experiment (for admin calls). */
export function banditPath(h: RuntimeHarness, id: string, suffix = '', datasourceId?: string): string {
  return `/v1/m/datasources/${datasourceId ?? h.server.apiOnlyDatasourceId}/experiments/${id}${suffix}`;
}

/** An API key for the API-only datasource, with a rate limit far above what the suites send. */
export async function apiOnlyKey(h: RuntimeHarness): Promise<string> {
  const ds = h.server.apiOnlyDatasourceId;
  const created = await (await h.server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
  await h.server.database.db.updateTable('api_keys').set({ rate_limit_per_second: 1_000_000 }).where('id', '=', created.id).execute();
  return created.key as string;
}

export const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
