/**
 * Helpers shared by the worker tests: a real HTTP receiver on 127.0.0.1, organization and webhook rows, a
 * webhook task, and a logger that keeps quiet but remembers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { newId, randomAlphanumeric } from '../../src/domain/ids.ts';
import { WEBHOOK_MAX_ATTEMPTS } from '../../src/domain/retry-policy.ts';
import { WEBHOOK_TASK } from '../../src/services/webhook-outbox.ts';
import type { WebhookOutboundPayload } from '../../src/services/webhook-delivery.ts';
import type { DB } from '../../src/store/schema.ts';
import { enqueueTask } from '../../src/store/repositories/tasks.ts';
import type { WorkerLog } from '../../src/worker/worker.ts';

export interface ReceivedRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Resolves when the receiver has seen `count` requests. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Answers the n-th request (0-based) with `respond(n)`'s status. */
export async function startReceiver(respond: (n: number) => number = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = requests.length;
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = respond(n);
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `receiver says no (${status})`);
      for (const w of waiters) if (requests.length >= w.count) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/equipoise`,
    requests,
    waitFor: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just free. */
export async function closedPortUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}

export async function createOrganization(db: Kysely<DB>): Promise<string> {
  const id = newId('organization');
  await db.insertInto('organizations').values({ id, name: `org ${id}` }).execute();
  return id;
}

export async function createWebhook(db: Kysely<DB>, organizationId: string, url: string, authToken: string | null = randomAlphanumeric(32)) {
  const id = newId('webhook');
  await db
    .insertInto('webhooks')
    .values({ id, organization_id: organizationId, type: 'experiment.created', url, auth_token: authToken })
    .execute();
  return { id, authToken };
}

export async function enqueueWebhookTask(db: Kysely<DB>, payload: WebhookOutboundPayload, runAt: Date): Promise<string> {
  return enqueueTask(db, { taskType: WEBHOOK_TASK, payload: { ...payload }, maxAttempts: WEBHOOK_MAX_ATTEMPTS, runAt });
}

export async function taskRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** `webhook.sent` events of an organization, in attempt order. */
export async function sentEvents(db: Kysely<DB>, organizationId: string) {
  const rows = await db.selectFrom('events').selectAll().where('organization_id', '=', organizationId).where('type', '=', 'webhook.sent').execute();
  return rows.map((r) => r.data as Record<string, unknown>).sort((a, b) => Number(a.attempt) - Number(b.attempt));
}

export interface RecordingLog extends WorkerLog {
  readonly lines: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  const keep = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}
