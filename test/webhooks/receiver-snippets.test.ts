/**
 * The verification code the web UI hands to receiver authors (`web/src/features/webhooks/verify-snippets.ts`)
 * works: the TypeScript snippet, loaded as a module exactly as shown, accepts a real signed delivery from
 * the worker and rejects a tampered body, another secret and a stale timestamp.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SECRET_ENV, TYPESCRIPT_VERIFY } from '../../web/src/features/webhooks/verify-snippets.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startScriptedReceiver, type ScriptedReceiver } from './support.ts';

type Verify = (rawBody: Buffer, headers: Record<string, string | undefined>) => boolean;

describeEachDatabase('receiver verification snippet', (kind) => {
  let server: TestServer;
  let receiver: ScriptedReceiver;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    receiver = await startScriptedReceiver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-snippet-'));
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[SECRET_ENV];
  });

  /** Loads the snippet as its own module with `secret` in the environment it reads. */
  async function loadSnippet(secret: string, name: string): Promise<Verify> {
    process.env[SECRET_ENV] = secret;
    const file = path.join(dir, `${name}.ts`);
    fs.writeFileSync(file, TYPESCRIPT_VERIFY);
    return ((await import(file)) as { verifyWebhook: Verify }).verifyWebhook;
  }

  it('accepts a real delivery and rejects tampering, another secret and an old timestamp', async () => {
    const org = server.organizationId;
    const created = await (
      await server.admin(`/v1/m/organizations/${org}/webhooks`, { method: 'POST', body: JSON.stringify({ name: 'snippet', url: receiver.url, event_types: ['webhook.test'] }) })
    ).json();
    await server.admin(`/v1/m/organizations/${org}/webhooks/${created.id}/test`, { method: 'POST' });
    await receiver.waitFor(1);
    const delivery = receiver.requests[0]!;
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    const body = Buffer.from(delivery.body, 'utf8');

    const verify = await loadSnippet(created.signing_secret, `right-${kind}`);
    expect(verify(body, headers)).toBe(true);
    expect(verify(Buffer.from(delivery.body.replace('test event', 'tampered!!')), headers)).toBe(false);
    expect(verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 3600) })).toBe(false);
    expect(verify(body, { ...headers, 'webhook-signature': undefined })).toBe(false);

    const other = await (
      await server.admin(`/v1/m/organizations/${org}/webhooks`, { method: 'POST', body: JSON.stringify({ name: 'other', url: receiver.url, event_types: ['webhook.test'] }) })
    ).json();
    const wrong = await loadSnippet(other.signing_secret, `wrong-${kind}`);
    expect(wrong(body, headers)).toBe(false);
  });
});
