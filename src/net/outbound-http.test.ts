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

async function listen(handler: http.RequestListener, host = '127.0.0.1'): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/** A receiver that records each request and answers with `status` and `body`. */
async function receiver(status: number, body = 'ok', extraHeaders: Record<string, string> = {}, host = '127.0.0.1') {
  const seen: Seen[] = [];
  const port = await listen((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: data });
      res.writeHead(status, extraHeaders).end(body);
    });
  }, host);
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

describe('postJson to IPv6 receivers', () => {
  const noA = async (): Promise<string[]> => {
    throw Object.assign(new Error('queryA ENODATA'), { code: 'ENODATA' });
  };

  it('posts to an IPv6 literal, with the bracketed Host header', async () => {
    const { port, seen } = await receiver(200, 'ok', {}, '::1');
    const r = await postJson(`http://[::1]:${port}/hook`, { a: 1 }, {}, allow);
    expect(r.status).toBe(200);
    expect(seen[0]?.headers.host).toBe(`[::1]:${port}`);
  });

  it('connects a name with only AAAA records to the checked IPv6 address, keeping the name as Host', async () => {
    const { port, seen } = await receiver(200, 'ok', {}, '::1');
    const r = await postJson(`http://v6only.invalid:${port}/hook`, { a: 1 }, {}, { ...allow, resolveA: noA, resolveAAAA: async () => ['::1'] });
    expect(r.status).toBe(200);
    expect(seen[0]?.headers.host).toBe(`v6only.invalid:${port}`);
  });

  it('uses the IPv4 answer when a name has both A and AAAA records', async () => {
    const v4 = await receiver(200, 'over IPv4');
    const v6 = await receiver(200, 'over IPv6', {}, '::1');
    // Two servers, one port each: only the IPv4 one can answer on its own port.
    const r = await postJson(`http://both.invalid:${v4.port}/`, {}, {}, { ...allow, resolveA: async () => ['127.0.0.1'], resolveAAAA: async () => ['::1'] });
    expect(r.body).toBe('over IPv4');
    expect(v6.seen).toHaveLength(0);
  });

  it('refuses loopback and unique-local IPv6 when private IPs are not allowed, without connecting', async () => {
    const { port, seen } = await receiver(200, 'ok', {}, '::1');
    const strict = { allowPrivateIps: false };
    await expect(postJson(`http://[::1]:${port}/`, {}, {}, strict)).rejects.toThrow('::1 is not allowed: loopback');
    await expect(postJson(`http://[::ffff:127.0.0.1]:${port}/`, {}, {}, strict)).rejects.toBeInstanceOf(UnsafeAddressError);
    await expect(postJson(`http://v6only.invalid:${port}/`, {}, {}, { ...strict, resolveA: noA, resolveAAAA: async () => ['fd00::1'] })).rejects.toThrow(
      'v6only.invalid resolves to fd00::1, which is not allowed: unique local (private network)',
    );
    expect(seen).toHaveLength(0);
  });

  it('refuses multicast IPv6 even when private IPs are allowed', async () => {
    await expect(postJson('http://[ff02::1]:8080/', {}, {}, allow)).rejects.toThrow('ff02::1 is not allowed: multicast');
  });
});
