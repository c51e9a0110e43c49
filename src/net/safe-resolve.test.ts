import { describe, expect, it } from 'vitest';
import { DnsLookupError, safeResolve, UnsafeAddressError } from './safe-resolve.ts';

const strict = { allowPrivateIps: false };
const lenient = { allowPrivateIps: true };

describe('safeResolve with IP literals', () => {
  // [address, accepted when private IPs are refused, accepted when they are allowed]
  const table: ReadonlyArray<readonly [string, boolean, boolean]> = [
    ['8.8.8.8', true, true],
    ['93.184.215.14', true, true],
    ['1.1.1.1', true, true],
    ['172.32.0.1', true, true], // just outside 172.16/12
    ['100.128.0.1', true, true], // just outside 100.64/10
    ['10.1.2.3', false, true],
    ['172.16.0.1', false, true],
    ['172.31.255.255', false, true],
    ['192.168.1.1', false, true],
    ['127.0.0.1', false, true],
    ['127.0.0.9', false, true],
    ['169.254.169.254', false, true],
    ['100.64.0.1', false, true],
    ['100.127.255.255', false, true],
    ['192.0.0.8', false, true],
    ['192.0.2.10', false, true],
    ['198.18.0.1', false, true],
    ['198.19.255.255', false, true],
    ['198.51.100.7', false, true],
    ['203.0.113.200', false, true],
    ['240.0.0.1', false, true],
    ['0.0.0.0', false, false],
    ['0.1.2.3', false, false],
    ['224.0.0.1', false, false],
    ['239.255.255.250', false, false],
    ['255.255.255.255', false, false],
  ];

  it.each(table)('%s: strict %s, allowPrivateIps %s', async (address, strictOk, lenientOk) => {
    for (const [options, ok] of [[strict, strictOk], [lenient, lenientOk]] as const) {
      const result = safeResolve(address, options);
      if (ok) await expect(result).resolves.toBe(address);
      else await expect(result).rejects.toBeInstanceOf(UnsafeAddressError);
    }
  });

  it('rejects IPv6 literals, bracketed or not, in both modes', async () => {
    for (const host of ['::1', '[::1]', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      await expect(safeResolve(host, lenient)).rejects.toThrow(/IPv6/);
    }
  });

  it('says which address and why', async () => {
    await expect(safeResolve('169.254.169.254', strict)).rejects.toThrow('169.254.169.254 is not allowed: link-local');
  });
});

describe('safeResolve with names', () => {
  it('resolves localhost to 127.0.0.1, refused unless private IPs are allowed', async () => {
    await expect(safeResolve('localhost', lenient)).resolves.toBe('127.0.0.1');
    await expect(safeResolve('LOCALHOST.', lenient)).resolves.toBe('127.0.0.1');
    await expect(safeResolve('localhost', strict)).rejects.toThrow('localhost resolves to 127.0.0.1, which is not allowed: loopback');
  });

  it('fails with DnsLookupError for a name that does not exist', async () => {
    const err = await safeResolve('nonexistent.invalid', lenient).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsLookupError);
    expect((err as Error).message).toMatch(/^DNS lookup of nonexistent\.invalid failed: /);
  });

  it('fails with DnsLookupError for an empty host', async () => {
    await expect(safeResolve('', lenient)).rejects.toBeInstanceOf(DnsLookupError);
  });

  it('returns the first answer when every answer is safe', async () => {
    const resolveA = async () => ['93.184.215.14', '8.8.4.4'];
    await expect(safeResolve('hooks.example.com', { ...strict, resolveA })).resolves.toBe('93.184.215.14');
  });

  it('refuses a name when any one of its answers is unsafe', async () => {
    const resolveA = async () => ['93.184.215.14', '10.0.0.5'];
    await expect(safeResolve('rebind.example.com', { ...strict, resolveA })).rejects.toThrow(
      'rebind.example.com resolves to 10.0.0.5, which is not allowed: private network',
    );
  });

  it('turns resolver failures into DnsLookupError with the reason', async () => {
    const resolveA = async () => {
      throw Object.assign(new Error('queryA ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    await expect(safeResolve('slow.example.com', { ...strict, resolveA })).rejects.toThrow('DNS lookup of slow.example.com failed: timed out after 5000 ms');
  });
});

describe('safeResolve with IPv6 allowed (warehouse connections)', () => {
  const v6 = { ...strict, allowIpv6: true };
  // [address, accepted when private IPs are refused, accepted when they are allowed]
  const table: ReadonlyArray<readonly [string, boolean, boolean]> = [
    ['2606:4700:4700::1111', true, true],
    ['[2a00:1450:4001:81c::200e]', true, true],
    ['::ffff:8.8.8.8', true, true],
    ['::1', false, true],
    ['fe80::1', false, true],
    ['fd12:3456::1', false, true],
    ['2001:db8::1', false, true],
    ['2002:a00:1::1', false, true],
    ['64:ff9b::a00:1', false, true],
    ['::ffff:10.0.0.1', false, true],
    ['::ffff:169.254.169.254', false, true],
    ['0:0:0:0:0:ffff:7f00:1', false, true],
    ['::', false, false],
    ['ff02::1', false, false],
    ['::ffff:0.0.0.0', false, false],
  ];

  it.each(table)('%s: strict %s, allowPrivateIps %s', async (address, strictOk, lenientOk) => {
    for (const [options, ok] of [[v6, strictOk], [{ ...v6, allowPrivateIps: true }, lenientOk]] as const) {
      const result = safeResolve(address, options);
      if (ok) await expect(result).resolves.toBe(address.replace(/^\[(.*)\]$/, '$1'));
      else await expect(result).rejects.toBeInstanceOf(UnsafeAddressError);
    }
  });

  it('requires every A and AAAA answer to be public, and prefers an IPv4 answer', async () => {
    const resolveA = async () => ['93.184.215.14'];
    await expect(safeResolve('db.example.com', { ...v6, resolveA, resolveAAAA: async () => ['2606:4700::1'] })).resolves.toBe('93.184.215.14');
    await expect(safeResolve('db.example.com', { ...v6, resolveA, resolveAAAA: async () => ['fd00::5'] })).rejects.toThrow(
      'db.example.com resolves to fd00::5, which is not allowed: unique local (private network)',
    );
  });

  it('accepts a name with only AAAA records, and fails when it has neither', async () => {
    const none = async (): Promise<string[]> => {
      throw Object.assign(new Error('queryA ENODATA'), { code: 'ENODATA' });
    };
    await expect(safeResolve('v6only.example.com', { ...v6, resolveA: none, resolveAAAA: async () => ['2606:4700::1'] })).resolves.toBe('2606:4700::1');
    await expect(safeResolve('nothing.example.com', { ...v6, resolveA: none, resolveAAAA: none })).rejects.toBeInstanceOf(DnsLookupError);
  });
});
