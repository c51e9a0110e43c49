/**
 * "Test connection" for new and saved datasource settings, in-process over HTTP against a real PostgreSQL
 * warehouse (its own schema) and real failures: an unknown host, a closed port, an unknown role and
 * database, TLS the server does not offer, a private address refused by the guard, and a server that never
 * answers. Nothing may be saved and no credential may come back. Also: the counts the datasource list and
 * page carry for the UI.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { createApp } from '../../src/http/app.ts';
import { parseSecretKeyset } from '../../src/security/secret-keyset.ts';
import { bootstrapInstallation, issueAccessToken } from '../../src/services/bootstrap.ts';
import type { ServiceDeps } from '../../src/services/context.ts';
import { ensureDemoWarehouse } from '../../src/warehouse/demo-warehouse.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { createTestDatabase, describeEachDatabase, MARIADB, mariadbAvailable, postgresAvailable, POSTGRES_URL, REQUIRE_SERVICES, type TestDatabase } from '../support/databases.ts';
import { createTestWarehouse, type TestWarehouse } from '../support/warehouses.ts';
import { PEOPLE } from './warehouse-contract.ts';

const PG_UP = await postgresAvailable();
const MARIA_UP = await mariadbAvailable();

interface TestResult {
  ok: boolean;
  driver: string;
  table_count?: number;
  tables?: string[];
  elapsed_ms: number;
  problem?: { code: string; message: string; hint: string; field: string | null };
}

describeEachDatabase('datasource connection test', (kind) => {
  let database: TestDatabase;
  let warehouse: TestWarehouse;
  let token: string;
  let organizationId: string;
  let schema: string;
  let strict: ReturnType<typeof createApp>;
  let open: ReturnType<typeof createApp>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-conntest-'));
  const url = new URL(POSTGRES_URL);

  const call = (app: ReturnType<typeof createApp>, method: string, pathname: string, body?: unknown) =>
    app.request(`/v1/m${pathname}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const testNew = async (dsn: Record<string, unknown>, app = open) => {
    const res = await call(app, 'POST', `/organizations/${organizationId}/datasources/test-connection`, { dsn });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as TestResult };
  };
  const pgDsn = (extra: Record<string, unknown> = {}) => ({
    type: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: { type: 'revealed', value: 'pw-not-needed-7f3a' },
    dbname: url.pathname.slice(1),
    sslmode: 'disable',
    search_path: schema,
    ...extra,
  });
  const counts = async () => ({
    datasources: (await database.db.selectFrom('datasources').select('id').execute()).length,
    inspections: (await database.db.selectFrom('datasource_inspections').select('scope').execute()).length,
    audit: (await database.db.selectFrom('audit_log').select('id').execute()).length,
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (PG_UP) {
      warehouse = await createTestWarehouse('postgres', [PEOPLE]);
      schema = warehouse.location;
    }
    await ensureDemoWarehouse(dataDir);
    const boot = await bootstrapInstallation(database.db, null);
    organizationId = boot.organizationId;
    token = await issueAccessToken(database.db, boot.userId, null);
    const deps = (allowPrivateIps: boolean): ServiceDeps => ({
      db: database.db,
      clock: systemClock,
      publicUrl: 'http://localhost',
      allowPrivateIps,
      secrets: parseSecretKeyset(`k1:${randomBytes(32).toString('base64')}`),
      openWarehouse: (config) => openWarehouse(config as Parameters<typeof openWarehouse>[0], { dataDir, allowPrivateIps }),
    });
    open = createApp(deps(true));
    strict = createApp(deps(false));
  });

  afterAll(async () => {
    await warehouse?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe.skipIf(!PG_UP && !REQUIRE_SERVICES)('against PostgreSQL', () => {
    it('lists the tables of working settings and saves nothing', async () => {
      const before = await counts();
      const { status, body, text } = await testNew(pgDsn());
      expect(status).toBe(200);
      expect(body).toMatchObject({ ok: true, driver: 'postgres', table_count: 1, tables: ['people'] });
      expect(body.elapsed_ms).toBeGreaterThanOrEqual(0);
      expect(text).not.toContain('pw-not-needed-7f3a');
      expect(await counts()).toEqual(before);
    });

    it('explains an unknown host at the host field', async () => {
      const { status, body, text } = await testNew(pgDsn({ host: 'no-such-host.invalid' }));
      expect(status).toBe(200);
      expect(body.ok).toBe(false);
      expect(body.problem).toMatchObject({ code: 'dns', field: 'host' });
      expect(body.problem?.message).toMatch(/^DNS resolution failed for no-such-host\.invalid/);
      expect(body.problem?.hint).toMatch(/host name/);
      expect(text).not.toContain('pw-not-needed-7f3a');
    });

    it('explains a closed port, naming the usual one', async () => {
      const port = await closedPort();
      const { body } = await testNew(pgDsn({ port }));
      expect(body.problem).toMatchObject({ code: 'refused', field: 'port' });
      expect(body.problem?.message).toMatch(/connection refused/);
      expect(body.problem?.hint).toContain(`${port} (PostgreSQL usually listens on 5432)`);
    });

    it('explains refused credentials without echoing them, even when the server quotes them', async () => {
      // The role name equals the password, so the server's "role … does not exist" quotes the secret.
      const secret = `eq_secret_${randomBytes(4).toString('hex')}`;
      const { body, text } = await testNew(pgDsn({ user: secret, password: { type: 'revealed', value: secret } }));
      expect(body.problem).toMatchObject({ code: 'auth', field: 'password' });
      expect(body.problem?.message).toContain('role "••••" does not exist');
      expect(text).not.toContain(secret);
    });

    it('explains an unknown database at the database field', async () => {
      const { body } = await testNew(pgDsn({ dbname: 'no_such_db_eq_conn' }));
      expect(body.problem).toMatchObject({ code: 'not_found', field: 'dbname' });
      expect(body.problem?.message).toMatch(/does not exist/);
    });

    it('explains TLS the server does not offer at the SSL mode field', async () => {
      const { body } = await testNew(pgDsn({ sslmode: 'require' }));
      expect(body.problem).toMatchObject({ code: 'tls', field: 'sslmode' });
      expect(body.problem?.hint).toMatch(/disable/);
    });

    it('refuses a private address when private addresses are not allowed, before connecting', async () => {
      const { body } = await testNew(pgDsn(), strict);
      expect(body.problem).toMatchObject({ code: 'blocked_address', field: 'host' });
      expect(body.problem?.hint).toMatch(/ALLOW_PRIVATE_IPS/);
    });

    it('tests a saved datasource, and proposed settings with the saved password kept', async () => {
      const created = await call(open, 'POST', '/datasources', { organization_id: organizationId, name: 'Saved', dsn: pgDsn() });
      const { id } = (await created.json()) as { id: string };
      const saved = (await (await call(open, 'POST', `/datasources/${id}/test-connection`)).json()) as TestResult;
      expect(saved).toMatchObject({ ok: true, table_count: 1 });
      const proposed = (await (await call(open, 'POST', `/datasources/${id}/test-connection`, { dsn: pgDsn({ password: { type: 'hidden' }, dbname: 'no_such_db_eq_conn' }) })).json()) as TestResult;
      expect(proposed.problem?.code).toBe('not_found');
      const kept = (await (await call(open, 'POST', `/datasources/${id}/test-connection`, { dsn: pgDsn({ password: { type: 'hidden' } }) })).json()) as TestResult;
      expect(kept.ok).toBe(true);
      // The saved settings are unchanged by either test.
      const read = (await (await call(open, 'GET', `/datasources/${id}`)).json()) as { dsn: Record<string, unknown> };
      expect(read.dsn['dbname']).toBe(url.pathname.slice(1));
      // A hidden password cannot stand in for another driver's credential.
      const switched = await call(open, 'POST', `/datasources/${id}/test-connection`, { dsn: { type: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', password: { type: 'hidden' }, dbname: 'test' } });
      expect(switched.status).toBe(422);
      expect(((await switched.json()) as { detail: { loc: unknown[]; type: string }[] }).detail[0]).toMatchObject({ loc: ['body', 'dsn', 'password'], type: 'credentials' });
    });
  });

  it('explains a server that accepts but never answers as a timeout', { timeout: 30_000 }, async () => {
    if (kind === 'postgres') return; // the app database plays no part; once is enough
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const { body } = await testNew({ ...pgDsn({ port }), search_path: null });
      expect(body.problem).toMatchObject({ code: 'timeout', field: 'host' });
      expect(body.elapsed_ms).toBeGreaterThanOrEqual(9_000);
    } finally {
      silent.close();
    }
  });

  describe.skipIf(!MARIA_UP && !REQUIRE_SERVICES)('against MariaDB', () => {
    const mariaDsn = (extra: Record<string, unknown> = {}) => ({ type: 'mariadb', host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, password: { type: 'revealed', value: MARIADB.password }, dbname: 'test', ...extra });

    it('lists tables, and explains a wrong password and an unknown database', async () => {
      expect((await testNew(mariaDsn())).body.ok).toBe(true);
      const wrong = await testNew(mariaDsn({ user: 'eq_nobody', password: { type: 'revealed', value: 'wrong-pw-91c2' } }));
      expect(wrong.body.problem).toMatchObject({ code: 'auth', field: 'password' });
      expect(wrong.text).not.toContain('wrong-pw-91c2');
      const missing = await testNew(mariaDsn({ dbname: 'no_such_db_eq_conn' }));
      expect(missing.body.problem).toMatchObject({ code: 'not_found', field: 'dbname' });
    });
  });

  it('tests DuckDB files: the demo works, a missing file and a path outside the data directory are explained', async () => {
    expect((await testNew({ type: 'duckdb', path: 'demo-warehouse.duckdb' })).body).toMatchObject({ ok: true, driver: 'duckdb', table_count: 1, tables: ['participants'] });
    expect((await testNew({ type: 'duckdb', path: 'nope.duckdb' })).body.problem).toMatchObject({ code: 'not_found', field: 'path' });
    const outside = await testNew({ type: 'duckdb', path: '../../etc/passwd' });
    expect(outside.body.problem).toMatchObject({ code: 'settings', field: 'path' });
    expect(outside.body.problem?.message).toMatch(/inside the data directory/);
  });

  it('rejects malformed settings and a hidden password with 422 naming the field, and unknown organizations with 404', async () => {
    const badHost = await call(open, 'POST', `/organizations/${organizationId}/datasources/test-connection`, { dsn: { ...pgDsn(), host: 'bad host!' } });
    expect(badHost.status).toBe(422);
    expect(((await badHost.json()) as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(['body', 'dsn', 'host']);
    const hidden = await call(open, 'POST', `/organizations/${organizationId}/datasources/test-connection`, { dsn: pgDsn({ password: { type: 'hidden' } }) });
    expect(hidden.status).toBe(422);
    expect(((await hidden.json()) as { detail: { loc: unknown[]; type: string }[] }).detail[0]).toMatchObject({ loc: ['body', 'dsn', 'password'], type: 'credentials' });
    expect((await call(open, 'POST', '/organizations/o_nope/datasources/test-connection', { dsn: { type: 'api_only' } })).status).toBe(404);
    expect((await call(open, 'POST', '/datasources/ds_nope/test-connection')).status).toBe(404);
  });

  it('lists datasources with their experiment and API-key counts and participant types; the page has the counts', async () => {
    const created = await call(open, 'POST', '/datasources', { organization_id: organizationId, name: 'Counted', dsn: { type: 'duckdb', path: 'demo-warehouse.duckdb' } });
    const { id } = (await created.json()) as { id: string };
    await call(open, 'POST', `/datasources/${id}/apikeys`, { name: 'one' });
    await call(open, 'POST', `/datasources/${id}/apikeys`, { name: 'two' });
    const pt = await call(open, 'POST', `/datasources/${id}/participants`, {
      participant_type: 'Learners',
      schema_def: { table_name: 'participants', fields: [{ field_name: 'participant_id', is_unique_id: true }] },
    });
    expect(pt.status).toBe(200);
    const list = (await (await call(open, 'GET', `/organizations/${organizationId}/datasources`)).json()) as { items: Record<string, unknown>[] };
    expect(list.items.find((d) => d['id'] === id)).toEqual({
      id,
      name: 'Counted',
      driver: 'duckdb',
      type: 'remote',
      organization_id: organizationId,
      organization_name: expect.any(String),
      experiment_count: 0,
      api_key_count: 2,
      participant_types: ['Learners'],
    });
    expect(list.items.find((d) => d['driver'] === 'none')).toMatchObject({ name: 'API only', api_key_count: 0, participant_types: [] });
    const page = (await (await call(open, 'GET', `/datasources/${id}`)).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ experiment_count: 0, api_key_count: 2 });
    // API only has nothing to connect to, which is not a failure.
    const apiOnly = list.items.find((d) => d['driver'] === 'none')?.['id'] as string;
    expect((await (await call(open, 'POST', `/datasources/${apiOnly}/test-connection`)).json()) as TestResult).toMatchObject({ ok: true, driver: 'none', table_count: 0 });
  });
});

/** A local port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
