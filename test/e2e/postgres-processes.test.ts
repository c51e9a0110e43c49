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
import { generateSecretKeyText } from '../../src/security/secret-keyset.ts';
import { POSTGRES_URL, describePostgresOnly } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { freePort, startEquipoise, type RunningProcess } from '../support/processes.ts';
import { HANG, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { verifyStandardWebhook } from '../webhooks/support.ts';

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

  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_IPS: 'true',
    WORKER_POLL_MS: '60000',
    EQUIPOISE_SECRET_KEYS: generateSecretKeyText('ci'),
  };
  let call: (p: string, init?: RequestInit) => Promise<any>;
  let datasourceId: string;
  let webhook: { id: string; auth_token: string; signing_secret: string };

  /** Creates and commits an online experiment linked to the webhook; returns its id. */
  async function commitExperiment(name: string): Promise<string> {
    const exp = await call(`/v1/m/datasources/${datasourceId}/experiments`, {
      method: 'POST',
      body: JSON.stringify({
        design_spec: onlineDesign({ experiment_name: name }),
        webhooks: [webhook.id],
      }),
    });
    await call(`/v1/m/datasources/${datasourceId}/experiments/${exp.experiment_id}/commit`, { method: 'POST' });
    return exp.experiment_id;
  }

  it('refuses to start on a shared database without the secret keys', async () => {
    const { EQUIPOISE_SECRET_KEYS: _omitted, ...withoutKeys } = env;
    const refused = startEquipoise(['worker'], withoutKeys);
    processes.push(refused);
    expect(await refused.exited()).toBe(1);
    expect(refused.output()).toContain('EQUIPOISE_SECRET_KEYS: required with DATABASE_URL');
  });

  it('delivers a commit notification once through separate worker processes', async () => {
    const port = await freePort();
    const api = startEquipoise(['serve', '--no-worker'], { ...env, PORT: String(port) });
    processes.push(api);
    const [, token] = (await api.waitForLine(/Admin token: (\S+)/)) as unknown as [string, string];
    await api.waitForLine(/Equipoise is listening/);
    const workers = [startEquipoise(['worker'], env), startEquipoise(['worker'], env)];
    processes.push(...workers);
    await Promise.all(workers.map((w) => w.waitForLine(/worker started/)));

    const base = `http://127.0.0.1:${port}`;
    call = async (p, init = {}) => {
      const res = await fetch(`${base}${p}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
      return res.status === 204 ? null : res.json();
    };
    const org = (await call('/v1/m/organizations')).items[0].id;
    datasourceId = (await call(`/v1/m/organizations/${org}/datasources`)).items.find((d: { driver: string }) => d.driver === 'duckdb').id;
    webhook = await call(`/v1/m/organizations/${org}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ type: 'experiment.created', name: 'backend', url: receiver.url }),
    });
    const experimentId = await commitExperiment('multi-process');

    // The workers poll only every 60 s, so a delivery within seconds shows LISTEN/NOTIFY woke one of them.
    await receiver.waitFor(1, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers['webhook-token']).toBe(webhook.auth_token);
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}').experiment_id).toBe(experimentId);
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('redelivers after the lease when a worker process is killed mid-delivery', async () => {
    const leaseMs = 6_000;
    const shortLease = { ...env, WORKER_LEASE_MS: String(leaseMs), WEBHOOK_TIMEOUT_MS: '1000' };
    const doomed = startEquipoise(['worker'], shortLease);
    processes.push(doomed);
    await doomed.waitForLine(/worker started/);
    receiver.respondWith(HANG);
    const before = receiver.requests.length;
    const experimentId = await commitExperiment('killed mid-delivery');
    await receiver.waitFor(before + 1, 20_000);
    doomed.child.kill('SIGKILL'); // dies holding the claim, before it could record anything
    await doomed.exited();

    const rescuer = startEquipoise(['worker'], { ...shortLease, WORKER_POLL_MS: '500' });
    processes.push(rescuer);
    await receiver.waitFor(before + 2, leaseMs + 20_000);
    const [first, second] = receiver.requests.slice(before);
    expect(second?.body).toBe(first?.body);
    expect(JSON.parse(second?.body ?? '{}').experiment_id).toBe(experimentId);
    // At-least-once with one identity: both requests carry the same webhook-id (what receivers deduplicate
    // on), each with its own timestamp and a signature an independent verifier accepts.
    const ids = new Set(receiver.requests.slice(before).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^msg_/);
    for (const r of [first, second]) {
      const v = verifyStandardWebhook({ headers: r?.headers ?? {}, body: r?.body ?? '', nowSeconds: Math.floor(Date.now() / 1000), secret: webhook.signing_secret });
      expect(v).toEqual({ ok: true, version: 'v1' });
    }
    // Exactly one recorded attempt (the rescuer's), and it succeeded.
    await expect
      .poll(async () => {
        const events = await call(`/v1/m/organizations/${(await call('/v1/m/organizations')).items[0].id}/events?type=webhook.sent`);
        return events.items
          .filter((e: { details: { request: { body: { experiment_id: string } } } }) => e.details.request.body.experiment_id === experimentId)
          .map((e: { status_icon: string }) => e.status_icon);
      }, { timeout: 10_000 })
      .toEqual(['success']);
  });
});
