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

describe.each([
  ['webhooks', {}],
  ['warehouse connections', { allowIpv6: true }],
])('safeResolve with IPv6 literals (%s)', (_caller, mode) => {
  const v6 = { ...strict, ...mode };
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

  it('says which IPv6 address and why', async () => {
    await expect(safeResolve('[fe80::1]', v6)).rejects.toThrow('fe80::1 is not allowed: link-local');
    await expect(safeResolve('::ffff:127.0.0.1', v6)).rejects.toThrow('::ffff:127.0.0.1 is not allowed: loopback');
  });
});

/** A resolver that records each question and answers from `records`; a missing family answers ENODATA. */
function fakeDns(records: { a?: string[] | Error; aaaa?: string[] | Error }) {
  const asked: string[] = [];
  const answer = (family: 'A' | 'AAAA', r: string[] | Error | undefined) => async (host: string) => {
    asked.push(`${family} ${host}`);
    if (r instanceof Error) throw r;
    if (r === undefined) throw Object.assign(new Error(`query${family} ENODATA ${host}`), { code: 'ENODATA' });
    return r;
  };
  return { asked, resolveA: answer('A', records.a), resolveAAAA: answer('AAAA', records.aaaa) };
}

const timeout = () => Object.assign(new Error('queryA ETIMEOUT'), { code: 'ETIMEOUT' });
const nxdomain = () => Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' });

describe('safeResolve with names, for webhooks (IPv4 first, IPv6 when there is no A record)', () => {
  it('uses the A records when there are any, without asking for AAAA', async () => {
    const dns = fakeDns({ a: ['93.184.215.14'], aaaa: ['fd00::5'] });
    await expect(safeResolve('both.example.com', { ...strict, ...dns })).resolves.toBe('93.184.215.14');
    expect(dns.asked).toEqual(['A both.example.com']);
  });

  it('falls back to the AAAA records when the name has no A record', async () => {
    const dns = fakeDns({ aaaa: ['2606:4700::1', '2606:4700::2'] });
    await expect(safeResolve('v6only.example.com', { ...strict, ...dns })).resolves.toBe('2606:4700::1');
    expect(dns.asked).toEqual(['A v6only.example.com', 'AAAA v6only.example.com']);
    // An empty A answer counts as no A record too.
    await expect(safeResolve('v6only.example.com', { ...strict, ...fakeDns({ a: [], aaaa: ['2606:4700::1'] }) })).resolves.toBe('2606:4700::1');
  });

  it('judges the AAAA answers like any others: one unsafe answer refuses the name', async () => {
    const dns = fakeDns({ aaaa: ['2606:4700::1', 'fd00::5'] });
    await expect(safeResolve('v6only.example.com', { ...strict, ...dns })).rejects.toThrow(
      'v6only.example.com resolves to fd00::5, which is not allowed: unique local (private network)',
    );
    await expect(safeResolve('v6only.example.com', { ...lenient, ...dns })).resolves.toBe('2606:4700::1');
    await expect(safeResolve('v6only.example.com', { ...lenient, ...fakeDns({ aaaa: ['ff02::1'] }) })).rejects.toThrow('multicast');
    await expect(safeResolve('mapped.example.com', { ...strict, ...fakeDns({ aaaa: ['::ffff:10.0.0.1'] }) })).rejects.toThrow('private network');
  });

  it('does not fall back to IPv6 when the A records are refused or the A lookup fails', async () => {
    const refused = fakeDns({ a: ['10.0.0.5'], aaaa: ['2606:4700::1'] });
    await expect(safeResolve('inside.example.com', { ...strict, ...refused })).rejects.toBeInstanceOf(UnsafeAddressError);
    const slow = fakeDns({ a: timeout(), aaaa: ['2606:4700::1'] });
    await expect(safeResolve('slow.example.com', { ...strict, ...slow })).rejects.toThrow('DNS lookup of slow.example.com failed: timed out after 5000 ms');
    const missing = fakeDns({ a: nxdomain(), aaaa: ['2606:4700::1'] });
    await expect(safeResolve('missing.example.com', { ...strict, ...missing })).rejects.toThrow('failed: no such host');
    expect([...refused.asked, ...slow.asked, ...missing.asked].filter((q) => q.startsWith('AAAA'))).toEqual([]);
  });

  it('fails with DnsLookupError when the name has neither A nor AAAA records', async () => {
    const err = await safeResolve('nothing.example.com', { ...strict, ...fakeDns({}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsLookupError);
    expect((err as Error).message).toBe('DNS lookup of nothing.example.com failed: the name has no A or AAAA record');
  });
});

describe('safeResolve with names, for warehouse connections (A and AAAA together)', () => {
  const v6 = { ...strict, allowIpv6: true };

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

  it('reports the failed lookup, not a missing record, when the other family has nothing', async () => {
    await expect(safeResolve('slow.example.com', { ...v6, ...fakeDns({ a: timeout() }) })).rejects.toThrow('timed out after 5000 ms');
  });
});
