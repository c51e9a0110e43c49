/**
 * Participant types over HTTP (spec §1.6, §3.3): lifecycle (create, list, get, patch with dehydration,
 * rename, delete with allow_missing), create without a unique id, truthy strings, bad table, duplicate
 * names, and the drift report (deleted column, changed type, deleted table) — on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describeEachDatabase('participant types', (kind) => {
  let server: TestServer;
  const call = (method: string, path: string, body?: unknown) =>
    server.admin(`/v1/m/datasources/${server.demoDatasourceId}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

  beforeAll(async () => {
    server = await startTestServer(kind, { worker: false });
  });
  afterAll(async () => server?.close());

  it('creates, lists, reads, updates and deletes a participant type', async () => {
    const created = await call('POST', '/participants', {
      participant_type: 'Learners',
      schema_def: {
        table_name: 'participants',
        fields: [
          { field_name: 'country', is_filter: 'yes', is_strata: 't', description: 'Country' },
          { field_name: 'weekly_minutes', is_metric: true },
        ],
      },
    });
    expect(created.status).toBe(200); // no unique id: allowed (at most one)
    expect(await created.json()).toEqual({
      participant_type: 'Learners',
      schema_def: {
        table_name: 'participants',
        fields: [
          { field_name: 'country', data_type: 'string', description: 'Country', is_unique_id: false, is_strata: true, is_filter: true, is_metric: false },
          { field_name: 'weekly_minutes', data_type: 'float', description: '', is_unique_id: false, is_strata: false, is_filter: false, is_metric: true },
        ],
      },
    });

    const list = await (await call('GET', '/participants')).json();
    expect(list.has_hidden).toBe(false);
    expect(list.items.map((i: { participant_type: string }) => i.participant_type)).toEqual(['Demo participants', 'Learners']);

    const got = await (await call('GET', '/participants/learners')).json(); // case-insensitive
    expect(got.current).toMatchObject({ type: 'schema', participant_type: 'Learners', table_name: 'participants', hidden: false });
    expect(got.drift).toEqual({ schema_diff: [] });
    expect(got.proposed.fields.map((f: { field_name: string }) => f.field_name)).toContain('participant_id');
    expect(got.proposed.fields.find((f: { field_name: string }) => f.field_name === 'country')).toMatchObject({ is_filter: true, description: 'Country' });

    const inspected = await (await call('GET', '/participants/Learners/inspect?expensive=true')).json();
    expect(inspected.filters[0]).toMatchObject({ field_name: 'country', distinct_values: ['BR', 'IN', 'KE', 'NG', 'US'] });
    expect(inspected.metrics.map((m: { field_name: string }) => m.field_name)).toEqual(['weekly_minutes']);

    const patched = await call('PATCH', '/participants/Learners', {
      participant_type: 'Students',
      fields: [
        { field_name: 'participant_id', is_unique_id: '1' },
        { field_name: 'gender' }, // neither described nor flagged: dropped
        { field_name: 'age', is_filter: true },
      ],
    });
    expect(patched.status).toBe(200);
    const body = await patched.json();
    expect(body.participant_type).toBe('Students');
    expect(body.fields.map((f: { field_name: string }) => f.field_name)).toEqual(['participant_id', 'age']);
    const afterPatch = await (await call('GET', '/participants/Students/inspect?expensive=true')).json();
    expect(afterPatch.filters).toEqual([expect.objectContaining({ field_name: 'age', min: 16, max: 80 })]);

    expect((await call('GET', '/participants/Learners')).status).toBe(404);
    expect((await call('DELETE', '/participants/Students')).status).toBe(204);
    expect((await call('DELETE', '/participants/Students')).status).toBe(404);
    expect((await call('DELETE', '/participants/Students?allow_missing=true')).status).toBe(204);
  });

  it('rejects duplicate names, two unique ids, bad flags and an unknown table', async () => {
    const dup = await call('POST', '/participants', { participant_type: 'demo PARTICIPANTS', schema_def: { table_name: 'participants', fields: [{ field_name: 'age' }] } });
    expect(dup.status).toBe(422);
    expect((await dup.json()).detail[0].loc).toEqual(['body', 'participant_type']);

    const bad = await call('POST', '/participants', {
      participant_type: 'Bad',
      schema_def: { table_name: 'participants', fields: [{ field_name: 'age', is_unique_id: true }, { field_name: 'age', is_unique_id: true, is_filter: 'maybe' }] },
    });
    expect(bad.status).toBe(422);
    const locs = (await bad.json()).detail.map((d: { loc: unknown[] }) => d.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.schema_def.fields.1.field_name', 'body.schema_def.fields.1.is_unique_id', 'body.schema_def.fields.1.is_filter']));

    const empty = await call('POST', '/participants', { participant_type: 'Empty', schema_def: { table_name: 'participants', fields: [] } });
    expect(empty.status).toBe(422);

    const table = await call('POST', '/participants', { participant_type: 'Nowhere', schema_def: { table_name: 'nowhere', fields: [{ field_name: 'age' }] } });
    expect(table.status).toBe(404);
    expect((await table.json()).message).toMatch(/nowhere/);
  });

  it('reports drift: deleted columns, changed types and a deleted table', async () => {
    // The demo warehouse is read-only, so the saved side is made to differ from the live table instead.
    await server.database.db
      .insertInto('participant_types')
      .values([
        {
          datasource_id: server.demoDatasourceId,
          name: 'Drifted',
          table_name: 'participants',
          fields: JSON.stringify([
            { field_name: 'age', data_type: 'string', description: '', is_unique_id: false, is_strata: true, is_filter: false, is_metric: false },
            { field_name: 'shoe_size', data_type: 'integer', description: '', is_unique_id: false, is_strata: false, is_filter: true, is_metric: false },
            { field_name: 'country', data_type: 'string', description: '', is_unique_id: false, is_strata: false, is_filter: true, is_metric: false },
          ]),
        },
        { datasource_id: server.demoDatasourceId, name: 'Gone', table_name: 'old_participants', fields: JSON.stringify([{ field_name: 'age', data_type: 'integer', description: '', is_unique_id: false, is_strata: false, is_filter: true, is_metric: false }]) },
        { datasource_id: server.demoDatasourceId, name: 'Auto', table_name: 'participants', fields: JSON.stringify([]), hidden: true },
      ])
      .execute();
    const drifted = await (await call('GET', '/participants/Drifted')).json();
    expect(drifted.drift.schema_diff).toEqual([
      { type: 'column_changed_type', table_name: 'participants', column_name: 'age', old_type: 'string', new_type: 'integer' },
      { type: 'column_deleted', table_name: 'participants', column_name: 'shoe_size' },
    ]);
    expect(drifted.proposed.fields.find((f: { field_name: string }) => f.field_name === 'age')).toMatchObject({ data_type: 'integer', is_strata: true });
    expect(drifted.proposed.fields.some((f: { field_name: string }) => f.field_name === 'shoe_size')).toBe(false);

    const gone = await (await call('GET', '/participants/Gone')).json();
    expect(gone.drift.schema_diff).toEqual([{ type: 'table_deleted', table_name: 'old_participants' }]);

    const list = await (await call('GET', '/participants')).json();
    expect(list.has_hidden).toBe(true);
    expect(list.items.map((i: { participant_type: string }) => i.participant_type)).not.toContain('Auto');
  });
});
