/**
 * The online assignment rules and §10 decisions over real HTTP, on both app databases: start and end
 * dates, manual stop and resume, target_n, plain GET vs assign_with_filters, Cache-Control and create_if_none.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { NOW, startRuntimeHarness, type RuntimeHarness } from './support.ts';

describeEachDatabase('online assignment rules', (kind) => {
  let h: RuntimeHarness;
  beforeAll(async () => {
    h = await startRuntimeHarness(kind);
  });
  afterAll(async () => {
    h?.clock.set(NOW);
    await h?.server.close();
  });

  const get = async (id: string, pid: string, query = '') => (await h.pub(`/v1/experiments/${id}/assignments/${pid}${query}`)).json();
  const meta = async (id: string) => (await h.pub(`/v1/experiments/${id}`)).json();

  it('makes no new assignment before start_date and says why; lookups still work', async () => {
    const { id } = await h.createOnline({ start_date: '2026-07-01T00:00:00Z' });
    const early = await get(id, 'early');
    expect(early.assignment).toBeNull();
    expect(early.reason.code).toBe('before_start_date');
    expect(early.reason.message).toContain('2026-07-01T00:00:00.000Z');
    expect(await get(id, 'early', '?create_if_none=false')).toEqual({ experiment_id: id, participant_id: 'early', assignment: null });
    const rows = await h.server.database.db.selectFrom('assignments').select('participant_id').where('experiment_id', '=', id).execute();
    expect(rows).toEqual([]);
    expect((await meta(id)).stopped_assignments_reason).toBeNull();
    h.clock.set(new Date('2026-07-01T00:00:01Z'));
    try {
      expect((await get(id, 'early')).assignment.participant_id).toBe('early');
    } finally {
      h.clock.set(NOW);
    }
  });

  it('stops after end_date with reason end_date, keeps existing answers, and PATCH end_date forward lifts the stop', async () => {
    const { id } = await h.createOnline({ end_date: '2026-06-02T00:00:00Z' });
    const before = await get(id, 'kept');
    expect(before.assignment).not.toBeNull();
    h.clock.set(new Date('2026-06-03T00:00:00Z'));
    try {
      const late = await get(id, 'late');
      expect(late.assignment).toBeNull();
      expect(late.reason.code).toBe('stopped');
      expect(late.reason.message).toContain('end_date');
      const m = await meta(id);
      expect(m.stopped_assignments_reason).toBe('end_date');
      expect(m.stopped_assignments_at).toBe('2026-06-03T00:00:00.000Z');
      expect((await get(id, 'kept')).assignment.arm_id).toBe(before.assignment.arm_id);
      // resume lifts only manual stops
      expect((await h.server.admin(h.expPath(id, '/resume'), { method: 'POST' })).status).toBe(409);
      const patch = await h.server.admin(h.expPath(id), { method: 'PATCH', body: JSON.stringify({ end_date: '2026-08-01T00:00:00Z' }) });
      expect(patch.status).toBe(204);
      expect((await meta(id)).stopped_assignments_reason).toBeNull();
      expect((await get(id, 'late')).assignment).not.toBeNull();
    } finally {
      h.clock.set(NOW);
    }
  });

  it('stops and resumes manually, with audit entries', async () => {
    const { id } = await h.createOnline();
    expect((await h.server.admin(h.expPath(id, '/stop'), { method: 'POST' })).status).toBe(204);
    expect((await h.server.admin(h.expPath(id, '/stop'), { method: 'POST' })).status).toBe(204); // no-op
    const stopped = await get(id, 'p1');
    expect(stopped.assignment).toBeNull();
    expect(stopped.reason.message).toContain('manual');
    expect((await meta(id)).stopped_assignments_reason).toBe('manual');
    expect((await h.server.admin(h.expPath(id, '/resume'), { method: 'POST' })).status).toBe(204);
    expect((await get(id, 'p1')).assignment).not.toBeNull();
    const audit = await (await h.server.admin(`/v1/m/organizations/${h.server.organizationId}/audit?page_size=100`)).json();
    const mine = audit.items.filter((e: { target_id: string }) => e.target_id === id).map((e: { action: string }) => e.action);
    expect(mine.filter((a: string) => a === 'experiment.assignments_stopped')).toHaveLength(1);
    expect(mine).toContain('experiment.assignments_resumed');
  });

  it('refuses to stop a draft and to resume nothing', async () => {
    const { id } = await h.createOnline({}, undefined, false);
    const res = await h.server.admin(h.expPath(id, '/stop'), { method: 'POST' });
    expect(res.status).toBe(422);
    expect((await h.server.admin(h.expPath(id, '/resume'), { method: 'POST' })).status).toBe(204);
  });

  it('stops at desired_n with reason target_n when stop_at_desired_n is on', async () => {
    const { id } = await h.createOnline({ desired_n: 3 }, { assignment_mode: 'random', stop_at_desired_n: true });
    expect((await meta(id)).design_spec.stop_at_desired_n).toBe(true);
    for (const p of ['a', 'b', 'c']) expect((await get(id, p)).assignment).not.toBeNull();
    const fourth = await get(id, 'd');
    expect(fourth.assignment).toBeNull();
    expect(fourth.reason.message).toContain('target_n');
    expect((await meta(id)).stopped_assignments_reason).toBe('target_n');
    expect((await get(id, 'a')).assignment).not.toBeNull();
  });

  it('without stop_at_desired_n, desired_n does not cap online assignment', async () => {
    const { id } = await h.createOnline({ desired_n: 1 });
    for (const p of ['a', 'b']) expect((await get(id, p)).assignment).not.toBeNull();
  });

  it('a plain GET assigns every caller of a filtered experiment', async () => {
    const { id } = await h.createOnline({ filters: [{ field_name: 'age', relation: 'between', value: [18, 30] }] });
    expect((await get(id, 'anyone')).assignment).not.toBeNull();
  });

  it('assign_with_filters: pass, fail without storing, empty = nothing known, missing = null, existing as is', async () => {
    const { id } = await h.createOnline({
      filters: [
        { field_name: 'age', relation: 'between', value: [18, 30] },
        { field_name: 'country', relation: 'excludes', value: ['XX'] },
      ],
    });
    const post = (pid: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
      h.pub(`/v1/experiments/${id}/assignments/${pid}/assign_with_filters`, { method: 'POST', headers, body: JSON.stringify(body) });

    const fail = await (await post('p', { properties: [{ field_name: 'age', value: 40 }] })).json();
    expect(fail.assignment).toBeNull();
    expect(fail.reason.code).toBe('filters_not_met');
    expect(await h.server.database.db.selectFrom('assignments').select('participant_id').where('experiment_id', '=', id).execute()).toEqual([]);
    // country is missing, so null, which `excludes` keeps; age passes.
    const pass = await (await post('p', { properties: [{ field_name: 'age', value: 20 }] })).json();
    expect(pass.assignment.participant_id).toBe('p');
    // Existing assignment: returned as is, properties ignored.
    expect((await (await post('p', { properties: [{ field_name: 'age', value: 99 }] })).json()).assignment.arm_id).toBe(pass.assignment.arm_id);
    // Empty properties: age unknown, and between needs a value.
    const empty = await (await post('q', { properties: [] })).json();
    expect(empty.assignment).toBeNull();
    // No Content-Type at all.
    const bare = await fetch(`${h.server.baseUrl}/v1/experiments/${id}/assignments/r/assign_with_filters`, {
      method: 'POST',
      headers: { 'X-API-Key': h.apiKey },
      body: new Blob([JSON.stringify({ properties: [{ field_name: 'age', value: 25 }, { field_name: 'country', value: 'KE' }] })]),
    });
    expect(bare.status).toBe(200);
    expect((await bare.json()).assignment.participant_id).toBe('r');
    // Wrong type for an integer field.
    const wrong = await post('s', { properties: [{ field_name: 'age', value: 'twenty' }] });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).detail[0].loc).toEqual(['body', 'properties', 0, 'value']);
    // Unknown body fields are refused.
    expect((await post('s', { properties: [], extra: 1 })).status).toBe(422);
    // create_if_none=false only reads.
    const read = await h.pub(`/v1/experiments/${id}/assignments/t/assign_with_filters?create_if_none=false`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: [{ field_name: 'age', value: 20 }] }),
    });
    expect((await read.json()).assignment).toBeNull();
  });

  it('assign_with_filters on a preassigned experiment gives the reference message', async () => {
    const res = await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/experiments?random_state=1`, {
      method: 'POST',
      body: JSON.stringify({
        design_spec: {
          experiment_type: 'freq_preassigned',
          experiment_name: 'Pre',
          start_date: '2026-01-01T00:00:00Z',
          end_date: '2026-12-31T00:00:00Z',
          table_name: 'participants',
          primary_key: 'participant_id',
          metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }],
          arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
          desired_n: 20,
        },
      }),
    });
    const id = (await res.json()).experiment_id;
    const r = await h.pub(`/v1/experiments/${id}/assignments/x/assign_with_filters`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"properties": []}' });
    expect(r.status).toBe(422);
    const body = await r.json();
    expect(body.detail[0].msg).toBe(`Experiment ${id} is a freq_preassigned experiment, and not a freq_online experiment.`);
  });

  it('a draft answers 422 on creation but create_if_none=false reads', async () => {
    const { id } = await h.createOnline({}, undefined, false);
    const r = await h.pub(`/v1/experiments/${id}/assignments/x`);
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ detail: [{ loc: [0], msg: 'Invalid experiment state: assigned', type: 'assignment' }] });
    expect((await (await h.pub(`/v1/experiments/${id}/assignments/x?create_if_none=false`)).json()).assignment).toBeNull();
  });

  it('sends Cache-Control only for a returned assignment and max_age > 0', async () => {
    const { id } = await h.createOnline();
    const first = await h.pub(`/v1/experiments/${id}/assignments/c1`);
    expect(first.headers.get('cache-control')).toBe('private, max-age=3600');
    expect((await h.pub(`/v1/experiments/${id}/assignments/c1?max_age=60`)).headers.get('cache-control')).toBe('private, max-age=60');
    expect((await h.pub(`/v1/experiments/${id}/assignments/c1?max_age=0`)).headers.get('cache-control')).toBeNull();
    expect((await h.pub(`/v1/experiments/${id}/assignments/none?create_if_none=false`)).headers.get('cache-control')).toBeNull();
    expect((await h.pub(`/v1/experiments/${id}/assignments/c1?max_age=-1`)).status).toBe(422);
    expect((await h.pub(`/v1/experiments/${id}/assignments/c1?max_age=86401`)).status).toBe(422);
  });
});
