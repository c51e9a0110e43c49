/** Valid designs over the demo warehouse, for tests that need an experiment but are about something else. */

/** A `freq_online` design_spec; pass only what the test is about. */
export function onlineDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experiment_type: 'freq_online',
    experiment_name: 'online',
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2099-01-01T00:00:00Z',
    arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
    table_name: 'participants',
    primary_key: 'participant_id',
    metrics: [{ field_name: 'weekly_minutes' }],
    ...overrides,
  };
}
