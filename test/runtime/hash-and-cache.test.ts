/**
 * Hash mode end to end (offline recomputation, exports), `_unwrap`, and the cached hot path: one database
 * statement per assignment, yet revocations and changes made elsewhere take effect on the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { hashAssignment } from '../../src/domain/hash-assignment.ts';
import { resolveJsonPointer } from '../../src/http/middleware/unwrap.ts';
import { assignParticipant } from '../../src/services/assignments/participant-assignment.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startRuntimeHarness, type RuntimeHarness } from './support.ts';

describe('resolveJsonPointer (RFC 6901)', () => {
  const doc = { a: { 'b/c': [10, { 'd~e': 'x' }] }, ' sp': 1, empty: {} };
  it.each([
    ['', doc],
    ['/a/b~1c/0', 10],
    ['/a/b~1c/1/d~0e', 'x'],
    ['/ sp', 1],
    ['/empty', {}],
  ])('%j resolves', (pointer, expected) => {
    expect(resolveJsonPointer(doc, pointer)).toEqual({ value: expected });
  });
  it.each(['a', '/missing', '/a/b~1c/2', '/a/b~1c/01', '/a/b~1c/-', '/a/b~2c'])('%j does not', (pointer) => {
    expect(resolveJsonPointer(doc, pointer)).toBeUndefined();
  });
});

describeEachDatabase('hash mode, _unwrap and the cached hot path', (kind) => {
  let h: RuntimeHarness;
  beforeAll(async () => {
    h = await startRuntimeHarness(kind);
  });
  afterAll(async () => {
    await h?.server.close();
  });

  it('assigns by GrowthBook hash, recomputable offline from the metadata, and records it in the API and exports', async () => {
    const { id, armIds } = await h.createOnline({ arms: [{ arm_name: 'control', arm_weight: 30 }, { arm_name: 'nudge', arm_weight: 70 }] }, { assignment_mode: 'hash' });
    const meta = await (await h.pub(`/v1/experiments/${id}`)).json();
    expect(meta.design_spec.assignment_mode).toBe('hash');
    expect(meta.assignment_hash).toEqual({ seed: id, hash_version: 2, buckets: 10000, coverage: 1, arm_ids: armIds, weights: [0.3, 0.7] });
    const counts = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const body = await (await h.pub(`/v1/experiments/${id}/assignments/user-${i}`)).json();
      const offline = hashAssignment(meta.assignment_hash.seed, `user-${i}`, meta.assignment_hash.weights, 2);
      expect(body.assignment.arm_id).toBe(armIds[offline.armIndex]);
      expect(body.assignment.assignment_method).toBe('hash');
      expect(body.assignment.hash_bucket).toBe(offline.bucket);
      counts.set(body.assignment.arm_id, (counts.get(body.assignment.arm_id) ?? 0) + 1);
    }
    expect(counts.size).toBe(2);
    const json = await (await h.pub(`/v1/experiments/${id}/assignments`)).json();
    expect(json.assignments).toHaveLength(60);
    expect(json.assignments.every((a: { assignment_method: string; hash_bucket: number }) => a.assignment_method === 'hash' && Number.isInteger(a.hash_bucket))).toBe(true);
    const csv = (await (await h.pub(`/v1/experiments/${id}/assignments/csv`)).text()).trimEnd().split('\n');
    expect(csv[0]).toBe('participant_id,arm_id,arm_name,created_at,assignment_method,hash_bucket');
    expect(csv[1]).toMatch(/,hash,\d+$/);
  });

  it('random mode records method random and no bucket', async () => {
    const { id } = await h.createOnline();
    const body = await (await h.pub(`/v1/experiments/${id}/assignments/r1`)).json();
    expect(body.assignment).toMatchObject({ assignment_method: 'random', hash_bucket: null });
    expect((await (await h.pub(`/v1/experiments/${id}`)).json()).assignment_hash).toBeNull();
  });

  it('assignment settings change only on online drafts', async () => {
    const { id } = await h.createOnline();
    const res = await h.server.admin(h.expPath(id, '/assignment-settings'), { method: 'PUT', body: JSON.stringify({ assignment_mode: 'hash' }) });
    expect(res.status).toBe(422);
  });

  it('gives every concurrent first request in hash mode the same single row', async () => {
    const { id } = await h.createOnline({}, { assignment_mode: 'hash' });
    const bodies = await Promise.all(Array.from({ length: 30 }, async () => (await h.pub(`/v1/experiments/${id}/assignments/same`)).json()));
    expect(new Set(bodies.map((b) => b.assignment.arm_id)).size).toBe(1);
    const pop = await h.server.database.db.selectFrom('arms').select((eb) => eb.fn.sum<string>('population').as('n')).where('experiment_id', '=', id).executeTakeFirst();
    expect(Number(pop?.n)).toBe(1);
  });

  it('unwraps a Glific-style body for assign_with_filters, and answers the documented 400s', async () => {
    const { id } = await h.createOnline({ filters: [{ field_name: 'age', relation: 'between', value: [18, 30] }] });
    const url = (q: string) => `/v1/experiments/${id}/assignments/g1/assign_with_filters${q}`;
    const wrapped = { contact: { 'fields/custom': { properties: [{ field_name: 'age', value: 22 }] } } };
    const ok = await h.pub(url('?_unwrap=/ignored&_unwrap=/contact/fields~1custom&create_if_none=true'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(wrapped),
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).assignment.participant_id).toBe('g1');
    const empty = await h.pub(url('?_unwrap=/x'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ message: '_unwrap requires a non-empty request body.' });
    for (const pointer of ['nope', '/missing', '/contact/fields~1custom/properties/5']) {
      const bad = await h.pub(url(`?_unwrap=${encodeURIComponent(pointer)}`), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(wrapped) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: '_unwrap is not a valid JSONPointer path.' });
    }
    // Not applied to GET, nor to a non-JSON content type (the route then validates the raw body).
    expect((await h.pub(`/v1/experiments/${id}?_unwrap=/x`)).status).toBe(200);
    const text = await h.pub(url('?_unwrap=/contact'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(wrapped) });
    expect(text.status).not.toBe(400);
  });

  it('takes one database statement per assignment once the key and experiment are cached', async () => {
    const { id } = await h.createOnline();
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const deps = { ...h.server.deps, db: h.server.deps.db.withPlugin(counter) };
    const call = (pid: string) => assignParticipant(deps, { apiKey: h.apiKey, datasourceHeader: undefined, experimentId: id, participantId: pid, createIfNone: true });
    await call('warm-up'); // loads the key (and writes last_used_at) and the experiment
    queries = 0;
    const created = await call('fresh-participant');
    expect(created.body.assignment).not.toBeNull();
    expect(queries).toBe(1);
    queries = 0;
    const again = await call('fresh-participant');
    expect(again.body.assignment?.arm_id).toBe(created.body.assignment?.arm_id);
    expect(queries).toBe(1);
  });

  it('notices a revoked key and changes made by another replica on the next request', async () => {
    const { id, armIds } = await h.createOnline();
    const created = await (await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/apikeys`, { method: 'POST' })).json();
    await h.server.database.db.updateTable('api_keys').set({ rate_limit_per_second: 100_000 }).where('id', '=', created.id).execute();
    const first = await (await h.pub(`/v1/experiments/${id}/assignments/z1`, { key: created.key })).json();
    expect(first.assignment).not.toBeNull();

    // Another replica renames an arm and stops the experiment directly in the database.
    await h.server.database.db.updateTable('arms').set({ name: 'renamed' }).where('id', '=', first.assignment.arm_id).execute();
    const renamed = await (await h.pub(`/v1/experiments/${id}/assignments/z1`, { key: created.key })).json();
    expect(renamed.assignment.arm_name).toBe('renamed');
    await h.server.database.db.updateTable('experiments').set({ stopped_assignments_at: new Date(), stopped_assignments_reason: 'manual' }).where('id', '=', id).execute();
    const stopped = await (await h.pub(`/v1/experiments/${id}/assignments/z2`, { key: created.key })).json();
    expect(stopped.assignment).toBeNull();
    expect(stopped.reason.message).toContain('manual');
    expect(armIds).toContain(first.assignment.arm_id);

    // Revoked through the admin API (another module): the cached key stops working at once.
    expect((await h.server.admin(`/v1/m/datasources/${h.server.demoDatasourceId}/apikeys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await h.pub(`/v1/experiments/${id}/assignments/z1`, { key: created.key });
    expect(revoked.status).toBe(404);
    expect(await revoked.json()).toEqual({ detail: 'Experiment not found or not authorized.' });
  });

  it('keeps the key checks: missing, malformed, another datasource, wrong Datasource-ID', async () => {
    const { id } = await h.createOnline();
    expect((await fetch(`${h.server.baseUrl}/v1/experiments/${id}/assignments/k`)).status).toBe(400);
    expect((await h.pub(`/v1/experiments/${id}/assignments/k`, { key: 'nope' })).status).toBe(400);
    const other = await (await h.server.admin(`/v1/m/datasources/${h.server.apiOnlyDatasourceId}/apikeys`, { method: 'POST' })).json();
    expect((await h.pub(`/v1/experiments/${id}/assignments/k`, { key: other.key })).status).toBe(404);
    expect((await h.pub(`/v1/experiments/${id}/assignments/k`, { headers: { 'Datasource-ID': h.server.apiOnlyDatasourceId } })).status).toBe(403);
  });
});
