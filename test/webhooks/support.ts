/**
 * Webhook test fixtures: a scriptable receiver on 127.0.0.1 (status, headers, delay per request, and
 * in-flight tracking to catch concurrent duplicates), a member's service context over a test database, a
 * recording mailer, and an independent Standard Webhooks verifier written from the specification (it
 * shares no code with `src/security/webhook-signing.ts`).
 */
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/domain/clock.ts';
import { newId } from '../../src/domain/ids.ts';
import type { MailMessage, Mailer } from '../../src/mail/mailer.ts';
import { generateSecretKeyText, parseSecretKeyset, type SecretKeyset } from '../../src/security/secret-keyset.ts';
import type { ServiceContext, UserActor } from '../../src/services/context.ts';
import type { TestDatabase } from '../support/databases.ts';

export interface Delivered {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Answer only after this long (a slow receiver). */
  readonly delayMs?: number;
}

export interface ScriptedReceiver {
  readonly url: string;
  readonly requests: Delivered[];
  /** Largest number of requests with the same webhook-id that were being handled at the same time. */
  maxConcurrentPerId(): number;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startScriptedReceiver(reply: (n: number, req: Delivered) => Reply = () => ({})): Promise<ScriptedReceiver> {
  const requests: Delivered[] = [];
  const inFlight = new Map<string, number>();
  let maxConcurrent = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d: Delivered = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const n = requests.length;
      requests.push(d);
      const id = String(req.headers['webhook-id'] ?? '');
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      maxConcurrent = Math.max(maxConcurrent, inFlight.get(id) ?? 0);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const r = reply(n, d);
      const answer = () => {
        timers.delete(timer);
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        if (res.destroyed) return;
        const status = r.status ?? 200;
        res.writeHead(status, { 'Content-Type': 'text/plain', ...r.headers }).end(r.body ?? (status < 300 ? 'ok' : `receiver says no (${status})`));
      };
      const timer = setTimeout(answer, r.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/equipoise`,
    requests,
    maxConcurrentPerId: () => maxConcurrent,
    waitFor(n, timeoutMs = 15_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${requests.length} of ${n} requests in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just free. */
export async function refusedUrl(): Promise<string> {
  const r = await startScriptedReceiver();
  await r.close();
  return r.url;
}

export interface MemberFixture {
  readonly ctx: ServiceContext<UserActor>;
  readonly organizationId: string;
  readonly keyset: SecretKeyset;
  readonly emails: readonly string[];
}

/** An organization with two members, and the first member's service context. */
export async function memberFixture(database: TestDatabase, clock: Clock): Promise<MemberFixture> {
  const organizationId = newId('organization');
  await database.db.insertInto('organizations').values({ id: organizationId, name: `org ${organizationId}` }).execute();
  const emails = [`ana-${organizationId}@example.org`, `bo-${organizationId}@example.org`];
  const users = emails.map((email) => ({ id: newId('user'), email }));
  await database.db.insertInto('users').values(users).execute();
  await database.db.insertInto('user_organizations').values(users.map((u) => ({ user_id: u.id, organization_id: organizationId }))).execute();
  const keyset = parseSecretKeyset(generateSecretKeyText('test'));
  const first = users[0] as { id: string; email: string };
  const ctx: ServiceContext<UserActor> = {
    db: database.db,
    clock,
    publicUrl: 'https://equipoise.example.org',
    allowPrivateIps: true,
    secrets: keyset,
    openWarehouse: async () => {
      throw new Error('no warehouse in webhook tests');
    },
    actor: { kind: 'user', userId: first.id, email: first.email, isPrivileged: false },
  };
  return { ctx, organizationId, keyset, emails };
}

export function recordingMailer(): Mailer & { readonly sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(m) {
      sent.push(m);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// An independent verifier, written from the Standard Webhooks specification:
//   signed content = "<webhook-id>.<webhook-timestamp>.<body>"
//   v1  = base64(HMAC-SHA256(key = base64decode(secret minus "whsec_"), signed content))
//   v1a = base64(Ed25519 signature of signed content), verified with the "whpk_" base64 raw public key
//   webhook-signature = space-separated "<version>,<signature>" entries; any one valid entry suffices;
//   reject timestamps more than 5 minutes from now.
// ---------------------------------------------------------------------------------------------------

export interface VerifyInput {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly nowSeconds: number;
  readonly secret?: string;
  readonly publicKey?: string;
}

const TOLERANCE_SECONDS = 5 * 60;

export function verifyStandardWebhook(input: VerifyInput): { ok: true; version: 'v1' | 'v1a' } | { ok: false; reason: string } {
  const id = input.headers['webhook-id'];
  const ts = input.headers['webhook-timestamp'];
  const sig = input.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return { ok: false, reason: 'missing headers' };
  const timestamp = Number.parseInt(ts, 10);
  if (!Number.isFinite(timestamp) || Math.abs(input.nowSeconds - timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp out of tolerance' };
  const content = Buffer.from(`${id}.${ts}.${input.body}`, 'utf8');
  for (const entry of sig.split(' ')) {
    const comma = entry.indexOf(',');
    const version = entry.slice(0, comma);
    const value = Buffer.from(entry.slice(comma + 1), 'base64');
    if (version === 'v1' && input.secret) {
      const key = Buffer.from(input.secret.replace(/^whsec_/, ''), 'base64');
      const expected = createHmac('sha256', key).update(content).digest();
      if (expected.length === value.length && timingSafeEqual(expected, value)) return { ok: true, version: 'v1' };
    }
    if (version === 'v1a' && input.publicKey) {
      const raw = Buffer.from(input.publicKey.replace(/^whpk_/, ''), 'base64');
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
      if (verify(null, content, key, value)) return { ok: true, version: 'v1a' };
    }
  }
  return { ok: false, reason: 'no matching signature' };
}
