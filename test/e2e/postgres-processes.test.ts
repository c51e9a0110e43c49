/**
 * The PostgreSQL deployment shape: an API process started with `serve --no-worker` and two separate
 * `worker` processes sharing one database. A committed experiment's notification is delivered exactly
 * once, by one of the workers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_URL, describePostgresOnly } from '../support/databases.ts';
import { freePort, startEquipoise, type RunningProcess } from '../support/processes.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

describePostgresOnly('serve --no-worker and worker processes', () => {
  const schema = `eqproc_${process.pid}_${Date.now()}`;
  const databaseUrl = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-pgproc-'));
  const processes: RunningProcess[] = [];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await receiver?.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a commit notification once through separate worker processes', async () => {
    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ALLOW_PRIVATE_IPS: 'true', WORKER_POLL_MS: '60000' };
    const port = await freePort();
    const api = startEquipoise(['serve', '--no-worker'], { ...env, PORT: String(port) });
    processes.push(api);
    const [, token] = (await api.waitForLine(/Admin token: (\S+)/)) as unknown as [string, string];
    await api.waitForLine(/Equipoise is listening/);
    const workers = [startEquipoise(['worker'], env), startEquipoise(['worker'], env)];
    processes.push(...workers);
    await Promise.all(workers.map((w) => w.waitForLine(/worker started/)));

    const base = `http://127.0.0.1:${port}`;
    const call = async (p: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${p}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
      return res.status === 204 ? null : res.json();
    };
    const org = (await call('/v1/m/organizations')).items[0].id;
    const ds = (await call(`/v1/m/organizations/${org}/datasources`)).items.find((d: { driver: string }) => d.driver === 'duckdb').id;
    const hook = await call(`/v1/m/organizations/${org}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'backend', url: receiver.url }),
    });
    const exp = await call(`/v1/m/datasources/${ds}/experiments`, {
      method: 'POST',
      body: JSON.stringify({
        design_spec: {
          experiment_type: 'freq_online',
          experiment_name: 'multi-process',
          start_date: '2026-01-01T00:00:00Z',
          end_date: '2099-01-01T00:00:00Z',
          arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
          table_name: 'participants',
          primary_key: 'participant_id',
          metrics: [{ field_name: 'weekly_minutes' }],
        },
        webhooks: [hook.id],
      }),
    });
    await call(`/v1/m/datasources/${ds}/experiments/${exp.experiment_id}/commit`, { method: 'POST' });

    // The workers poll only every 60 s, so a delivery within seconds shows LISTEN/NOTIFY woke one of them.
    await receiver.waitFor(1, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers['webhook-token']).toBe(hook.auth_token);
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}').experiment_id).toBe(exp.experiment_id);
  });
});
