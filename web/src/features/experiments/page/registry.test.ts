import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../api-types.ts';
import { registryFormOf, registryPatch, registryProblems } from './registry.ts';

const config: ExperimentConfig = {
  experiment_id: 'exp_1',
  datasource_id: 'ds_1',
  state: 'committed',
  stopped_assignments_at: null,
  stopped_assignments_reason: null,
  design_spec: {
    experiment_type: 'freq_online',
    experiment_name: 'Nudge',
    description: 'Why',
    design_url: null,
    start_date: '2026-12-01T00:00:00.000Z',
    end_date: '2027-01-31T00:00:00.000Z',
    arms: [],
  },
  power_analyses: null,
  assign_summary: { balance_check: null, sample_size: 0, arm_sizes: [] },
  webhooks: [],
  decision: '',
  impact: '',
};

describe('registry editing', () => {
  it('sends only what changed; untouched dates keep their exact time', () => {
    const form = registryFormOf(config);
    expect(registryPatch(config, form)).toEqual({});
    expect(registryPatch(config, { ...form, name: ' Nudge 2 ', impact: 'high', design_url: 'https://example.org' })).toEqual({ name: 'Nudge 2', impact: 'high', design_url: 'https://example.org' });
    expect(registryPatch(config, { ...form, end_date: '2027-02-28' })).toEqual({ end_date: '2027-02-28T23:59:59Z' });
    expect(registryPatch({ ...config, design_spec: { ...config.design_spec, design_url: 'https://a.example' } }, { ...form, design_url: '' })).toEqual({ design_url: '' });
  });

  it('names what is wrong by the API’s field names', () => {
    const form = registryFormOf(config);
    expect(registryProblems(form)).toEqual({});
    expect(registryProblems({ ...form, name: ' ', design_url: 'example.org', end_date: '2026-11-30' })).toEqual({
      name: 'Give the experiment a name.',
      design_url: 'The design document URL must start with http:// or https://.',
      end_date: 'The end date must not be before the start date.',
    });
  });
});
