/**
 * No secret reaches the logs: a real `equipoise serve` run that uses every kind of secret we handle (API
 * key, password, session tokens, invite link, SMTP password, OIDC client secret) and then a grep of
 * everything it printed. The start-up `Admin token:` line is the one deliberate exception (the console
 * contract of the embedded default).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEquipoise, type RunningProcess } from '../support/processes.ts';
import { startSmtpServer, type SmtpServer } from './smtp-server.ts';

describe('secrets in logs', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-secrets-'));
  let proc: RunningProcess | undefined;
  let smtp: SmtpServer | undefined;
  afterAll(async () => {
    await proc?.stop('SIGKILL');
    await smtp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints none of the secrets a full run used', async () => {
    smtp = await startSmtpServer();
    const port = await freePort();
    const smtpPassword = 'smtp-Password-7f3a9c';
    const oidcSecret = 'oidc-Client-Secret-41b7e2';
    proc = startEquipoise(['serve'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      WORKER_POLL_MS: '100',
      SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:${smtp.port}`,
      OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
      OIDC_CLIENT_ID: 'equipoise',
      OIDC_CLIENT_SECRET: oidcSecret,
    });
    const [, adminToken] = (await proc.waitForLine(/Admin token: (\S+)/)) as unknown as [string, string];
    await proc.waitForLine(/Equipoise is listening/);
    const base = `http://127.0.0.1:${port}`;
    const call = (p: string, init: { method?: string; json?: unknown; token?: string; key?: string } = {}) =>
      fetch(`${base}${p}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
          ...(init.key ? { 'X-API-Key': init.key } : {}),
          ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      });

    const orgs = await (await call('/v1/m/organizations', { token: adminToken })).json();
    const org = orgs.items[0].id as string;
    const detail = await (await call(`/v1/m/organizations/${org}`, { token: adminToken })).json();
    const ds = detail.datasources.find((d: { driver: string }) => d.driver === 'duckdb').id as string;
    const key = (await (await call(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', token: adminToken })).json()).key as string;
    const rotated = (await (await call(`/v1/m/datasources/${ds}/apikeys/${key.split('_')[1]}/rotate`, { method: 'POST', token: adminToken, json: {} })).json()).key as string;
    expect((await call('/v1/experiments/exp_missing', { key })).status).toBe(404);
    const password = 'correct horse battery staple';
    expect((await call('/v1/m/password', { method: 'PUT', token: adminToken, json: { new_password: password } })).status).toBe(204);
    const session = (await (await call('/v1/a/login', { method: 'POST', json: { email: 'admin@localhost', password } })).json()).session_token as string;
    expect((await call('/v1/a/login', { method: 'POST', json: { email: 'admin@localhost', password: `${password}!` } })).status).toBe(401);
    const webhook = await (await call(`/v1/m/organizations/${org}/webhooks`, { method: 'POST', token: session, json: { type: 'experiment.created', name: 'w', url: 'http://127.0.0.1:9/w' } })).json();
    expect((await call(`/v1/m/organizations/${org}/invites`, { method: 'POST', token: session, json: { email: 'friend@example.org' } })).status).toBe(202);
    for (let i = 0; i < 100 && smtp.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails).toHaveLength(1);
    const inviteToken = /#invite=([A-Za-z0-9_-]+)/.exec(smtp.mails[0]!.data)?.[1] as string;
    expect((await call('/v1/a/invites/accept', { method: 'POST', json: { token: inviteToken, password: 'friend password 123' } })).status).toBe(200);
    expect((await call('/v1/m/logout', { method: 'POST', token: session })).status).toBe(204);
    expect(await proc.stop('SIGTERM')).toBe(0);

    const output = proc.output().replace(`Admin token: ${adminToken}`, '').replace(`#token=${adminToken}`, '');
    const secrets = { key, rotated, password, session, smtpPassword, oidcSecret, inviteToken, webhookToken: webhook.auth_token as string, adminToken };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(output.includes(secret), `${name} appears in the logs`).toBe(false);
    }
    // The secret parts of keys and tokens, too (a log could print a key without its prefix).
    expect(output).not.toContain(key.split('_')[2]);
    expect(output).not.toContain(session.split('.')[2]);
  });
});
