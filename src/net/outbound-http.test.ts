import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundHttpError, postJson } from './outbound-http.ts';
import { UnsafeAddressError } from './safe-resolve.ts';

interface Seen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A receiver that records each request and answers with `status` and `body`. */
async function receiver(status: number, body = 'ok', extraHeaders: Record<string, string> = {}) {
  const seen: Seen[] = [];
  const port = await listen((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: data });
      res.writeHead(status, extraHeaders).end(body);
    });
  });
  return { port, seen };
}

const allow = { allowPrivateIps: true };

describe('postJson', () => {
  it('posts JSON to the pinned address and keeps the original Host header', async () => {
    const { port, seen } = await receiver(201, 'created');
    const r = await postJson(`http://localhost:${port}/hook?x=1`, { a: 1, b: ['c'] }, { 'X-Extra': 'yes' }, allow);
    expect(r.status).toBe(201);
    expect(r.body).toBe('created');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/hook?x=1');
    expect(seen[0]?.headers.host).toBe(`localhost:${port}`);
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['x-extra']).toBe('yes');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ a: 1, b: ['c'] });
  });

  it('turns user:pass@ in the URL into Basic auth', async () => {
    const { port, seen } = await receiver(200);
    await postJson(`http://al%40ice:s%3Acret@127.0.0.1:${port}/`, {}, {}, allow);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('al@ice:s:cret').toString('base64')}`);
  });

  it('returns a redirect as it is instead of following it', async () => {
    const { port, seen } = await receiver(302, '', { Location: 'http://169.254.169.254/latest/meta-data' });
    const r = await postJson(`http://127.0.0.1:${port}/`, {}, {}, allow);
    expect(r.status).toBe(302);
    expect(seen).toHaveLength(1);
  });

  it('keeps only the first KiB of a large answer', async () => {
    const { port } = await receiver(500, 'x'.repeat(100_000));
    const r = await postJson(`http://127.0.0.1:${port}/`, {}, {}, allow);
    expect(r.status).toBe(500);
    expect(r.body).toBe('x'.repeat(1024));
  });

  it('refuses a private target when private IPs are not allowed, without connecting', async () => {
    const { port, seen } = await receiver(200);
    await expect(postJson(`http://127.0.0.1:${port}/`, {}, {}, { allowPrivateIps: false })).rejects.toBeInstanceOf(UnsafeAddressError);
    await expect(postJson(`http://localhost:${port}/`, {}, {}, { allowPrivateIps: false })).rejects.toBeInstanceOf(UnsafeAddressError);
    expect(seen).toHaveLength(0);
  });

  it('reports a closed port as connection refused', async () => {
    const port = await listen(() => undefined);
    const closing = servers.pop();
    await new Promise((resolve) => closing?.close(resolve));
    const err = await postJson(`http://127.0.0.1:${port}/`, {}, {}, allow).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundHttpError);
    expect((err as Error).message).toBe('connection refused (ECONNREFUSED)');
  });

  it('gives up after timeoutMs when the receiver never answers', async () => {
    const port = await listen(() => undefined);
    const started = Date.now();
    const err = await postJson(`http://127.0.0.1:${port}/`, {}, {}, { ...allow, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundHttpError);
    expect((err as Error).message).toBe('timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects URLs that are not http(s)', async () => {
    await expect(postJson('ftp://127.0.0.1/x', {}, {}, allow)).rejects.toThrow('unsupported URL scheme ftp:');
    await expect(postJson('not a url', {}, {}, allow)).rejects.toThrow('the URL is not valid');
  });
});
