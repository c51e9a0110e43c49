import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedLookup } from './pinned-lookup.ts';

/** Calls the lookup the way `net` does, in the single-answer or the `all: true` shape. */
function ask(address: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    pinnedLookup(address)('any.example.com', { all }, (err: NodeJS.ErrnoException | null, a: string | LookupAddress[], family?: number) => {
      if (err) reject(err);
      else resolve(all ? a : { address: a, family });
    });
  });
}

describe('pinnedLookup', () => {
  it.each([
    ['93.184.215.14', 4],
    ['127.0.0.1', 4],
    ['2606:4700::1', 6],
    ['::1', 6],
    ['::ffff:7f00:1', 6],
  ])('answers %s with family %i in both callback shapes', async (address, family) => {
    expect(await ask(address, false)).toEqual({ address, family });
    expect(await ask(address, true)).toEqual([{ address, family }]);
  });
});

describe('pinnedLookup on a real socket', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function listenOn(host: string): Promise<{ port: number; hosts: string[] }> {
    const hosts: string[] = [];
    server = http.createServer((req, res) => {
      hosts.push(`${req.headers.host} from ${req.socket.remoteAddress}`);
      res.end('ok');
    });
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, host, resolve));
    return { port: (s.address() as AddressInfo).port, hosts };
  }

  function get(host: string, port: number, address: string, autoSelectFamily: boolean): Promise<number> {
    return new Promise((resolve, reject) => {
      // http passes `autoSelectFamily` on to net.connect; the installed typings just do not list it for http.
      const options: http.RequestOptions & { autoSelectFamily: boolean } = { host, port, lookup: pinnedLookup(address), agent: false, autoSelectFamily };
      const req = http.request(options, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  // A name no resolver knows: the request can only arrive if the pinned answer was used, with its family.
  it.each([true, false])('connects a name to an IPv6 address (autoSelectFamily %s)', async (autoSelectFamily) => {
    const { port, hosts } = await listenOn('::1');
    expect(await get('v6only.invalid', port, '::1', autoSelectFamily)).toBe(200);
    expect(hosts).toEqual([`v6only.invalid:${port} from ::1`]);
  });

  it.each([true, false])('connects a name to an IPv4 address (autoSelectFamily %s)', async (autoSelectFamily) => {
    const { port, hosts } = await listenOn('127.0.0.1');
    expect(await get('v4only.invalid', port, '127.0.0.1', autoSelectFamily)).toBe(200);
    expect(hosts).toEqual([`v4only.invalid:${port} from 127.0.0.1`]);
  });
});
