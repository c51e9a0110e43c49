/**
 * `npm start` as a user runs it: one process serving the API, OpenAPI and docs, printing exactly one
 * admin-token line and a login URL, keeping its data across restarts, refusing a second process on the same
 * data directory, and explaining which subcommands need PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEquipoise, type RunningProcess } from '../support/processes.ts';

describe('equipoise serve on the embedded default', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-serve-'));
  const running: RunningProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let port: number;
  let first: RunningProcess;
  let organizationId: string;

  it('starts, prints one admin token and a login URL, and serves the API and its docs', async () => {
    port = await freePort();
    first = startEquipoise(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
    running.push(first);
    await first.waitForLine(/Equipoise is listening on http:\/\/127\.0\.0\.1:\d+/);
    const out = first.output();
    const tokenLines = out.split('\n').filter((l) => l.startsWith('Admin token: '));
    expect(tokenLines).toHaveLength(1);
    const token = tokenLines[0]!.slice('Admin token: '.length);
    expect(out).toContain(`Login URL: http://localhost:${port}/#token=${token}`);

    const base = `http://127.0.0.1:${port}`;
    const orgs = await (await fetch(`${base}/v1/m/organizations`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(orgs.items).toHaveLength(1);
    organizationId = orgs.items[0].id;
    const org = await (await fetch(`${base}/v1/m/organizations/${organizationId}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(org.datasources.map((d: { driver: string }) => d.driver).sort()).toEqual(['duckdb', 'none']);

    const spec = await (await fetch(`${base}/openapi.json`)).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/experiments', '/v1/experiments/{experiment_id}/assignments/{participant_id}']));
    expect(spec.paths['/v1/experiments/{experiment_id}'].get.operationId).toBe('get_experiment');
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    const docsHtml = await docs.text();
    expect(docsHtml).toContain('/docs/assets/swagger-ui-dist/swagger-ui-bundle.js'); // served locally, not from a CDN
    const bundle = await fetch(`${base}/docs/assets/swagger-ui-dist/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await (await fetch(`${base}/_healthchecks/db`)).json()).status).toBe('ok');
    expect(fs.existsSync(path.join(dataDir, 'demo-warehouse.duckdb'))).toBe(true);
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const second = startEquipoise(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(second);
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(/Another Equipoise process \(pid \d+\) is using the embedded database/);
  });

  it('keeps its data across a restart and prints a fresh token', async () => {
    const demoFile = path.join(dataDir, 'demo-warehouse.duckdb');
    const mtime = fs.statSync(demoFile).mtimeMs;
    expect(await first.stop('SIGTERM')).toBe(0);
    const again = startEquipoise(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
    running.push(again);
    const [, token] = (await again.waitForLine(/Admin token: (\S+)/)) as unknown as [string, string];
    await again.waitForLine(/Equipoise is listening/);
    const orgs = await (await fetch(`http://127.0.0.1:${port}/v1/m/organizations`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(orgs.items.map((o: { id: string }) => o.id)).toEqual([organizationId]);
    expect(fs.statSync(demoFile).mtimeMs).toBe(mtime);
    await again.stop();
  });

  it('explains that worker and serve --no-worker need DATABASE_URL', async () => {
    const worker = startEquipoise(['worker'], { DATA_DIR: dataDir });
    running.push(worker);
    expect(await worker.exited()).toBe(1);
    expect(worker.output()).toContain('worker needs DATABASE_URL');
    const apiOnly = startEquipoise(['serve', '--no-worker'], { DATA_DIR: dataDir });
    running.push(apiOnly);
    expect(await apiOnly.exited()).toBe(1);
    expect(apiOnly.output()).toContain('serve --no-worker needs DATABASE_URL');
  });

  it('refuses ambient Google credentials (BigQuery uses each datasource\'s own service account)', async () => {
    const ambient = startEquipoise(['serve'], { DATA_DIR: dataDir, GOOGLE_APPLICATION_CREDENTIALS: '/tmp/key.json' });
    running.push(ambient);
    expect(await ambient.exited()).toBe(1);
    expect(ambient.output()).toMatch(/GOOGLE_APPLICATION_CREDENTIALS is set/);
  });

  it('names a bad environment variable', async () => {
    const bad = startEquipoise(['serve'], { DATA_DIR: dataDir, PORT: 'eighty' });
    running.push(bad);
    expect(await bad.exited()).toBe(1);
    expect(bad.output()).toMatch(/PORT/);
  });
});
