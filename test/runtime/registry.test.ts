/**
 * Registry and housekeeping over HTTP on both app databases: experiment and arm PATCH, delete experiment
 * and its data, the paginated and filtered datasource list, and the integration guide's sample calls.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { startRuntimeHarness, type RuntimeHarness } from './support.ts';

describeEachDatabase('experiment registry and housekeeping', (kind) => {
  let h: RuntimeHarness;
  beforeAll(async () => {
    h = await startRuntimeHarness(kind);
  });
  afterAll(async () => {
    await h?.server.close();
  });
  const patch = (path: string, body: unknown) => h.server.admin(path, { method: 'PATCH', body: JSON.stringify(body) });
  const auditActions = async (id: string) => {
    const audit = await (await h.server.admin(`/v1/m/organizations/${h.server.organizationId}/audit?page_size=100`)).json();
    return audit.items.filter((e: { target_id: string; details: { experiment_id?: string } }) => e.target_id === id || e.details?.experiment_id === id).map((e: { action: string }) => e.action);
  };

  it('PATCHes a committed experiment and audits it; drafts, bad dates and bad URLs answer 422', async () => {
    const draft = await h.createOnline({}, undefined, false);
    expect((await patch(h.expPath(draft.id), { name: 'x' })).status).toBe(422);
    const { id } = await h.createOnline();
    const ok = await patch(h.expPath(id), { name: 'Renamed', description: 'd', design_url: 'https://example.org/doc', decision: 'ship', impact: 'high' });
    expect(ok.status).toBe(204);
    const meta = await (await h.pub(`/v1/experiments/${id}`)).json();
    expect(meta.design_spec).toMatchObject({ experiment_name: 'Renamed', description: 'd', design_url: 'https://example.org/doc' });
    expect(meta).toMatchObject({ decision: 'ship', impact: 'high' });
    expect((await patch(h.expPath(id), { design_url: '' })).status).toBe(204);
    expect((await (await h.pub(`/v1/experiments/${id}`)).json()).design_spec.design_url).toBeNull();
    expect((await patch(h.expPath(id), { end_date: '2025-01-01T00:00:00Z' })).status).toBe(422);
    expect((await patch(h.expPath(id), { design_url: 'ftp://x' })).status).toBe(422);
    expect((await patch(h.expPath(id), { impact: 'huge' })).status).toBe(422);
    expect((await patch(h.expPath(id), { unknown: 1 })).status).toBe(422);
    expect((await patch(h.expPath('exp_missing000000000'), { name: 'x' })).status).toBe(404);
    expect(await auditActions(id)).toContain('experiment.updated');
  });

  it('PATCHes an arm of a committed experiment; unknown arms 404', async () => {
    const { id, armIds } = await h.createOnline();
    const assigned = await (await h.pub(`/v1/experiments/${id}/assignments/a1`)).json();
    expect((await patch(h.expPath(id, `/arms/${assigned.assignment.arm_id}`), { name: 'Renamed arm', description: 'new' })).status).toBe(204);
    expect((await (await h.pub(`/v1/experiments/${id}/assignments/a1`)).json()).assignment.arm_name).toBe('Renamed arm');
    expect((await patch(h.expPath(id, '/arms/arm_nope'), { name: 'x' })).status).toBe(404);
    expect(armIds).toContain(assigned.assignment.arm_id);
    expect(await auditActions(id)).toContain('experiment.arm_updated');
    const draft = await h.createOnline({}, undefined, false);
    expect((await patch(h.expPath(draft.id, `/arms/${draft.armIds[0]}`), { name: 'x' })).status).toBe(422);
  });

  it('deletes assignments (and resets counts and a target_n stop) but keeps the design', async () => {
    const { id } = await h.createOnline({ desired_n: 2 }, { assignment_mode: 'random', stop_at_desired_n: true });
    for (const p of ['a', 'b', 'c']) await h.pub(`/v1/experiments/${id}/assignments/${p}`);
    expect((await (await h.pub(`/v1/experiments/${id}`)).json()).stopped_assignments_reason).toBe('target_n');
    const del = (body: unknown) => h.server.admin(h.expPath(id, '/data'), { method: 'DELETE', body: JSON.stringify(body) });
    expect((await del({})).status).toBe(204);
    expect((await (await h.pub(`/v1/experiments/${id}/assignments`)).json()).sample_size).toBe(2);
    expect((await del({ assignments: true, snapshots: true })).status).toBe(204);
    const meta = await (await h.pub(`/v1/experiments/${id}`)).json();
    expect(meta.assign_summary.sample_size).toBe(0);
    expect(meta.stopped_assignments_reason).toBeNull();
    expect((await (await h.pub(`/v1/experiments/${id}/assignments`)).json()).sample_size).toBe(0);
    expect((await (await h.pub(`/v1/experiments/${id}/assignments/a`)).json()).assignment).not.toBeNull();
    expect((await del({ everything: true })).status).toBe(422);
    expect(await auditActions(id)).toContain('experiment.data_deleted');
  });

  it('deletes an experiment (AIP-135) and forgets it on the assignment path', async () => {
    const { id } = await h.createOnline();
    expect((await h.pub(`/v1/experiments/${id}/assignments/a`)).status).toBe(200);
    expect((await h.server.admin(h.expPath(id), { method: 'DELETE' })).status).toBe(204);
    expect((await h.pub(`/v1/experiments/${id}/assignments/a`)).status).toBe(404);
    expect((await h.server.admin(h.expPath(id), { method: 'DELETE' })).status).toBe(404);
    expect((await h.server.admin(h.expPath(id, '?allow_missing=true'), { method: 'DELETE' })).status).toBe(204);
    expect(await auditActions(id)).toContain('experiment.deleted');
  });

  it('lists a datasource page by page, filtered by state, type and name', async () => {
    const prefix = `List ${kind} ${Date.now()}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await h.createOnline({ experiment_name: `${prefix} #${i}` }, undefined, i % 2 === 0)).id);
    const base = `/v1/m/datasources/${h.server.demoDatasourceId}/experiments?name_contains=${encodeURIComponent(prefix.toUpperCase())}`;
    const seen: string[] = [];
    let token = '';
    for (let pages = 0; pages < 5; pages++) {
      const page = await (await h.server.admin(`${base}&page_size=2${token ? `&page_token=${token}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e: { experiment_id: string }) => e.experiment_id));
      token = page.next_page_token;
      if (!token) break;
    }
    expect(seen).toEqual([...made].reverse());
    const committed = await (await h.server.admin(`${base}&state=committed`)).json();
    expect(committed.items.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([made[4], made[2], made[0]]);
    const drafts = await (await h.server.admin(`${base}&state=assigned&state=abandoned`)).json();
    expect(drafts.items).toHaveLength(2);
    expect((await (await h.server.admin(`${base}&experiment_type=freq_preassigned`)).json()).items).toEqual([]);
    const skipped = await (await h.server.admin(`${base}&skip=4`)).json();
    expect(skipped.items.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([made[0]]);
    expect((await (await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/experiments?name_contains=%25`)).json()).items).toEqual([]);
    const bad = await h.server.admin(`${base}&page_token=garbage`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: 'Invalid page_token.' });
    expect((await h.server.admin(`${base}&page_size=101`)).status).toBe(422);
    expect((await (await h.server.admin(`${base}&experiment_type=freq_online&experiment_type=mab_online`)).json()).items).toHaveLength(5);
    const unknownType = await h.server.admin(`${base}&experiment_type=freq_onlin`);
    expect(unknownType.status).toBe(422);
    expect(JSON.stringify(await unknownType.json())).toContain('experiment_type');
  });

  it('gives sample calls: plain GET, or assign_with_filters first and a read-only GET when filtered', async () => {
    const plain = await h.createOnline();
    const calls = await (await h.server.admin(h.expPath(plain.id, '/sample-calls'))).json();
    expect(calls.calls.map((c: { label: string }) => c.label)).toEqual(['Get assignment']);
    expect(calls.calls[0]).toMatchObject({ method: 'GET', path: `/v1/experiments/${plain.id}/assignments/<participant-id>`, headers: { 'X-API-Key': '<your-api-key>' } });
    expect(calls.calls[0].example_response.assignment.arm_id).toBe(plain.armIds[0]);
    const filtered = await h.createOnline({ filters: [{ field_name: 'country', relation: 'includes', value: ['KE'] }] });
    const fc = await (await h.server.admin(h.expPath(filtered.id, '/sample-calls'))).json();
    expect(fc.calls.map((c: { label: string }) => c.label)).toEqual(['Get assignment (with filters)', 'Get existing assignment']);
    expect(fc.calls[0].body).toEqual({ properties: [{ field_name: 'country', value: 'KE' }] });
    expect(fc.calls[1].path).toMatch(/\?create_if_none=false$/);
  });
});
