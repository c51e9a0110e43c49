import { describe, expect, it } from 'vitest';
import { endOfDay, experimentTypeLabel, formatUtcDate, lifecycleStatus, startOfDay, stopStatus, todayUtc, utcDay } from './status.ts';

const design = { experiment_type: 'freq_online' as const, experiment_name: 'x', arms: [], start_date: '2026-12-01T00:00:00Z', end_date: '2026-12-31T23:59:59Z' };

describe('lifecycleStatus', () => {
  it('says draft, abandoned, or where a committed experiment is in its dates', () => {
    expect(lifecycleStatus({ state: 'assigned', design_spec: design }).label).toBe('Draft');
    expect(lifecycleStatus({ state: 'abandoned', design_spec: design }).label).toBe('Abandoned');
    expect(lifecycleStatus({ state: 'committed', design_spec: design }, new Date('2026-11-30T23:59:59Z')).label).toBe('Upcoming');
    expect(lifecycleStatus({ state: 'committed', design_spec: design }, new Date('2026-12-15T00:00:00Z')).label).toBe('Running');
    expect(lifecycleStatus({ state: 'committed', design_spec: design }, new Date('2027-01-01T00:00:00Z')).label).toBe('Finished');
  });
});

describe('stopStatus', () => {
  it('reports real stops with their reason, and not the preassigned "stop"', () => {
    expect(stopStatus({ stopped_assignments_at: null, stopped_assignments_reason: null })).toBeNull();
    expect(stopStatus({ stopped_assignments_at: '2026-12-02T00:00:00Z', stopped_assignments_reason: 'preassigned' })).toBeNull();
    expect(stopStatus({ stopped_assignments_at: '2026-12-02T00:00:00Z', stopped_assignments_reason: 'manual' })?.label).toBe('Stopped by hand');
    expect(stopStatus({ stopped_assignments_at: '2026-12-02T00:00:00Z', stopped_assignments_reason: 'end_date' })?.explanation).toMatch(/Move the end date/);
    expect(stopStatus({ stopped_assignments_at: '2026-12-02T00:00:00Z', stopped_assignments_reason: 'target_n' })?.label).toBe('Stopped: target reached');
  });
});

describe('dates', () => {
  it('stores a day range as its first and last second in UTC and reads it back as days', () => {
    expect(startOfDay('2026-12-01')).toBe('2026-12-01T00:00:00Z');
    expect(endOfDay('2026-12-31')).toBe('2026-12-31T23:59:59Z');
    expect(utcDay('2026-12-31T23:59:59.000Z')).toBe('2026-12-31');
    expect(utcDay('nonsense')).toBe('');
    expect(todayUtc(new Date('2026-12-01T23:30:00-05:00'))).toBe('2026-12-02');
    expect(formatUtcDate('2026-12-01T00:00:00Z')).toBe(new Date(Date.UTC(2026, 11, 1)).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }));
    expect(formatUtcDate(null)).toBe('—');
  });

  it('labels every experiment type', () => {
    expect(experimentTypeLabel('freq_preassigned')).toBe('Preassigned A/B');
    expect(experimentTypeLabel('cmab_online')).toBe('Contextual bandit');
    expect(experimentTypeLabel('future_type')).toBe('future_type');
  });
});
