/**
 * The datasource admin API end to end in-process: create with an encrypted password, reads that hide
 * it, update with hidden-credential semantics, inspection cached in the app DB with explicit refresh,
 * participant-type exemplars, connectivity errors mapped to 404/502, delete with allow_missing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import { parseSecretKeyset } from '../../src/security/secret-keyset.ts';
import { bootstrapInstallation, issueAccessToken } from '../../src/services/bootstrap.ts';
import { deleteDatasource } from '../../src/services/datasource-admin.ts';
import type { ServiceDeps } from '../../src/services/context.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { createTestDatabase, describePostgresOnly, POSTGRES_URL, type TestDatabase } from '../support/databases.ts';
import { createTestWarehouse, type TestWarehouse } from '../support/warehouses.ts';
import { PEOPLE } from './warehouse-contract.ts';

describePostgresOnly('datasource admin API', () => {
  let database: TestDatabase;
  let warehouse: TestWarehouse;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let organizationId: string;
  let userId: string;
  let deps: ServiceDeps;
  let schema: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-dsapi-'));
  const logged: string[] = [];
  const url = new URL(POSTGRES_URL);

  const call = (method: string, pathname: string, body?: unknown) =>
    app.request(`/v1/m${pathname}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const postgresDsn = (password: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password,
    dbname: url.pathname.slice(1),
    sslmode: 'disable',
    search_path: schema,
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    warehouse = await createTestWarehouse('postgres', [PEOPLE]);
    schema = warehouse.location;
    const boot = await bootstrapInstallation(database.db, null);
    organizationId = boot.organizationId;
    userId = boot.userId;
    token = await issueAccessToken(database.db, boot.userId, null);
    const withSecrets: ServiceDeps & { secrets: ReturnType<typeof parseSecretKeyset> } = {
      db: database.db,
      clock: systemClock,
      publicUrl: 'http://localhost',
      allowPrivateIps: true,
      secrets: parseSecretKeyset(`k1:${randomBytes(32).toString('base64')}`),
      openWarehouse: (config) => {
        logged.push(JSON.stringify(config));
        return openWarehouse(config as Parameters<typeof openWarehouse>[0], { dataDir, allowPrivateIps: true });
      },
    };
    deps = withSecrets;
    app = createApp(deps);
  });

  afterAll(async () => {
    await warehouse?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a PostgreSQL datasource, stores the password encrypted and never returns it', async () => {
    const created = await call('POST', '/datasources?connectivity_check=true', { organization_id: organizationId, name: 'Warehouse', dsn: postgresDsn({ type: 'revealed', value: 'not-needed-but-secret' }) });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const stored = await database.db.selectFrom('datasources').select('config').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.config)).not.toContain('not-needed-but-secret');
    expect(String((stored.config as Record<string, unknown>)['credentials'])).toMatch(/^eqs1\.k1\./);
    const read = (await (await call('GET', `/datasources/${id}`)).json()) as { dsn: Record<string, unknown> };
    expect(read.dsn).toMatchObject({ type: 'postgres', host: url.hostname, password: { type: 'hidden' } });
    expect(JSON.stringify(read)).not.toContain('not-needed-but-secret');
    expect(JSON.stringify(read)).not.toContain('eqs1.');
  });

  it('inspects tables through the cache, re-reading only on refresh', async () => {
    const { id } = (await (await call('POST', '/datasources', { organization_id: organizationId, name: 'Cached', dsn: postgresDsn({ type: 'revealed', value: '' }) })).json()) as { id: string };
    const before = logged.length;
    const first = (await (await call('GET', `/datasources/${id}/inspect`)).json()) as { tables: string[] };
    expect(first.tables).toEqual(['people']);
    await call('GET', `/datasources/${id}/inspect`);
    expect(logged.length).toBe(before + 1);
    await call('GET', `/datasources/${id}/inspect?refresh=true`);
    expect(logged.length).toBe(before + 2);
    const table = (await (await call('GET', `/datasources/${id}/inspect/people`)).json()) as { primary_key_fields: string[]; fields: { field_name: string; data_type: string }[] };
    expect(table.primary_key_fields).toEqual(['id']);
    expect(table.fields.find((f) => f.field_name === 'seen_tz')?.data_type).toBe('timestamptz');
    const missing = await call('GET', `/datasources/${id}/inspect/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "The table 'nope' does not exist. Known tables: people" });
  });

  it('shows participant-type exemplars: distinct values or min/max', async () => {
    const { id } = (await (await call('POST', '/datasources', { organization_id: organizationId, name: 'Exemplars', dsn: postgresDsn({ type: 'revealed', value: '' }) })).json()) as { id: string };
    await database.db
      .insertInto('participant_types')
      .values({
        datasource_id: id,
        name: 'People',
        table_name: 'people',
        fields: JSON.stringify([
          { field_name: 'country', is_filter: true },
          { field_name: 'joined', is_filter: true },
          { field_name: 'score', is_metric: true },
        ]),
      })
      .execute();
    const res = await call('GET', `/datasources/${id}/participants/people/inspect?expensive=true`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { filters: Record<string, unknown>[]; metrics: { field_name: string }[] };
    expect(body.filters[0]).toMatchObject({ field_name: 'country', relations: ['includes', 'excludes'], distinct_values: ['DE', 'FR', 'FR ', 'US', 'us'] });
    expect(body.filters[1]).toMatchObject({ field_name: 'joined', min: '2024-01-01', max: '2024-01-28' });
    expect(body.metrics.map((m) => m.field_name)).toEqual(['score']);
    expect((await call('GET', `/datasources/${id}/participants/nobody/inspect`)).status).toBe(404);
  });

  it('updates with hidden-credential semantics and clears the caches', async () => {
    const { id } = (await (await call('POST', '/datasources', { organization_id: organizationId, name: 'Upd', dsn: postgresDsn({ type: 'revealed', value: 'pw1' }) })).json()) as { id: string };
    const before = await database.db.selectFrom('datasources').select('config').where('id', '=', id).executeTakeFirstOrThrow();
    await call('GET', `/datasources/${id}/inspect`);
    expect((await call('PATCH', `/datasources/${id}`, { name: 'Renamed', dsn: postgresDsn({ type: 'hidden' }, { max_rows: 1000 }) })).status).toBe(204);
    const after = await database.db.selectFrom('datasources').select(['config', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.name).toBe('Renamed');
    expect((after.config as Record<string, unknown>)['credentials']).toBe((before.config as Record<string, unknown>)['credentials']);
    expect((after.config as Record<string, unknown>)['max_rows']).toBe(1000);
    expect(await database.db.selectFrom('datasource_inspections').select('scope').where('datasource_id', '=', id).execute()).toEqual([]);
    // A hidden password cannot carry over to another driver.
    const switched = await call('PATCH', `/datasources/${id}`, { dsn: { ...postgresDsn({ type: 'hidden' }), type: 'mariadb', sslmode: undefined, search_path: undefined } });
    expect(switched.status).toBe(422);
    expect(((await switched.json()) as { detail: { type: string }[] }).detail[0]?.type).toBe('credentials');
  });

  it('refuses a hidden password on create, and unknown fields', async () => {
    const hidden = await call('POST', '/datasources', { organization_id: organizationId, name: 'x', dsn: postgresDsn({ type: 'hidden' }) });
    expect(hidden.status).toBe(422);
    const extra = await call('POST', '/datasources', { organization_id: organizationId, name: 'x', dsn: { ...postgresDsn({ type: 'revealed', value: '' }), color: 'red' } });
    expect(extra.status).toBe(422);
  });

  it('maps connection failures: missing database 404, refused 502, unknown host 400 at create', async () => {
    const missingDb = await call('POST', '/datasources?connectivity_check=true', { organization_id: organizationId, name: 'x', dsn: postgresDsn({ type: 'revealed', value: '' }, { dbname: 'no_such_db_eq' }) });
    expect(missingDb.status).toBe(404);
    expect(((await missingDb.json()) as { message: string }).message).toMatch(/does not exist/);
    const refused = await call('POST', '/datasources?connectivity_check=true', { organization_id: organizationId, name: 'x', dsn: postgresDsn({ type: 'revealed', value: '' }, { port: 1 + 5432 + 10000 }) });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { message: string }).message).toMatch(/connection refused/);
    const unknown = await call('POST', '/datasources', { organization_id: organizationId, name: 'x', dsn: postgresDsn({ type: 'revealed', value: '' }, { host: 'no-such-host.invalid' }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^DNS resolution failed/);
  });

  it('confines DuckDB paths to the data directory', async () => {
    const res = await call('POST', '/datasources?connectivity_check=true', { organization_id: organizationId, name: 'x', dsn: { type: 'duckdb', path: '../../etc/passwd' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/inside the data directory/);
  });

  it('deletes, and with allow_missing tolerates a second delete', async () => {
    const created = await call('POST', '/datasources', { organization_id: organizationId, name: 'Del', dsn: { type: 'api_only' } });
    const { id } = (await created.json()) as { id: string };
    const first = await call('DELETE', `/datasources/${id}`);
    expect({ status: first.status, body: await first.text() }).toEqual({ status: 204, body: '' });
    expect((await call('DELETE', `/datasources/${id}`)).status).toBe(404);
    // Over HTTP the membership middleware answers 404 for an unknown datasource before the route runs, so
    // allow_missing is exercised at the service.
    const ctx = { ...deps, actor: { kind: 'user' as const, userId, email: 'admin@example.org', isPrivileged: true } };
    await expect(deleteDatasource(ctx, id, true)).resolves.toBeUndefined();
    await expect(deleteDatasource(ctx, id, false)).rejects.toThrow('Datasource not found.');
  });
});
