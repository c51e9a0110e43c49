import { describe, expect, it } from 'vitest';
import { DENIED_REASON, EgressRuleError, egressVerdict, NOT_ALLOWED_REASON, parseEgressEntry, parseEgressList, refusalBeforeDns, type EgressRules } from './egress-rules.ts';

const rules = (allowed: string | null, denied = ''): EgressRules => ({ allowed: allowed === null ? null : parseEgressList(allowed), denied: parseEgressList(denied) });
const allowedBy = (r: EgressRules, host: string, address: string) => egressVerdict(r, host, address).refused === undefined;

describe('parseEgressEntry', () => {
  it('reads names, wildcard suffixes, addresses and CIDRs in one spelling', () => {
    expect(parseEgressEntry(' Hooks.Example.ORG. ')).toEqual({ kind: 'host', name: 'hooks.example.org' });
    expect(parseEgressEntry('*.Example.org')).toEqual({ kind: 'suffix', suffix: 'example.org' });
    expect(parseEgressEntry('bücher.example')).toEqual({ kind: 'host', name: 'xn--bcher-kva.example' });
    expect(parseEgressEntry('10.20.0.0/16')).toMatchObject({ kind: 'cidr', family: 4, address: '10.20.0.0', prefix: 16 });
    expect(parseEgressEntry('203.0.113.7')).toMatchObject({ kind: 'cidr', family: 4, prefix: 32 });
    expect(parseEgressEntry('2001:DB8::/32')).toMatchObject({ kind: 'cidr', family: 6, address: '2001:db8::', prefix: 32 });
    expect(parseEgressEntry('[2001:db8::1]')).toMatchObject({ kind: 'cidr', family: 6, address: '2001:db8::1', prefix: 128 });
    // IPv4-mapped IPv6 is the IPv4 range it maps.
    expect(parseEgressEntry('::ffff:10.20.0.0/112')).toMatchObject({ kind: 'cidr', family: 4, address: '10.20.0.0', prefix: 16 });
    expect(parseEgressEntry('::ffff:a14:5')).toMatchObject({ kind: 'cidr', family: 4, address: '10.20.0.5', prefix: 32 });
  });

  it.each([
    ['https://hooks.example.org', 'is a URL; give the bare host name'],
    ['hooks.example.org:443', 'is not a bare host name (no scheme, port or path)'],
    ['hooks.example.org/in', 'is neither a CIDR nor a bare host name (no path)'],
    ['a.*.example.org', 'has a wildcard that is not a whole first label, like *.example.org'],
    ['*example.org', 'has a wildcard that is not a whole first label, like *.example.org'],
    ['*', 'has a wildcard that is not a whole first label, like *.example.org'],
    ['-bad.example.org', 'is not a valid host name'],
    ['a..example.org', 'is not a valid host name'],
    ['10.20.0.0/33', 'has a prefix length that is not a number from 0 to 32'],
    ['2001:db8::/129', 'has a prefix length that is not a number from 0 to 128'],
    ['10.20.0.0/x', 'has a prefix length that is not a number from 0 to 32'],
    ['10.20.0.1/16', 'has bits set after the prefix; the network is 10.20.0.0/16'],
    ['2001:db8::1/32', 'has bits set after the prefix; the network is 2001:db8::/32'],
    ['10.20.300.0/16', 'is neither a CIDR nor a bare host name (no path)'],
  ])('refuses %s, naming it', (entry, why) => {
    expect(() => parseEgressEntry(entry)).toThrow(new EgressRuleError(entry, why));
    expect(() => parseEgressEntry(entry)).toThrow(`"${entry}" ${why}`);
  });

  it('splits a list on commas and ignores blanks', () => {
    expect(parseEgressList(' a.example.org, ,*.b.example.org,10.0.0.0/8 ,')).toHaveLength(3);
    expect(parseEgressList('')).toEqual([]);
    expect(() => parseEgressList('a.example.org, nope/')).toThrow('"nope/"');
  });
});

describe('egressVerdict', () => {
  it('allows everything the lists do not mention when no allow list is set', () => {
    expect(egressVerdict(rules(null), 'hooks.example.org', '93.184.215.14')).toEqual({ byCidr: undefined });
  });

  it('matches an exact name exactly, and a wildcard on sub-domains only', () => {
    const r = rules('hooks.example.org, *.corp.example');
    expect(allowedBy(r, 'hooks.example.org', '93.184.215.14')).toBe(true);
    expect(allowedBy(r, 'x.hooks.example.org', '93.184.215.14')).toBe(false);
    expect(allowedBy(r, 'a.corp.example', '93.184.215.14')).toBe(true);
    expect(allowedBy(r, 'a.b.corp.example', '93.184.215.14')).toBe(true);
    expect(allowedBy(r, 'corp.example', '93.184.215.14')).toBe(false);
    expect(allowedBy(r, 'evilcorp.example', '93.184.215.14')).toBe(false);
    expect(egressVerdict(r, 'example.org', '93.184.215.14')).toEqual({ refused: NOT_ALLOWED_REASON });
  });

  it('ignores case and a trailing dot on the receiver', () => {
    const r = rules('hooks.example.org, *.corp.example');
    expect(allowedBy(r, 'HOOKS.Example.org.', '93.184.215.14')).toBe(true);
    expect(allowedBy(r, 'A.CORP.EXAMPLE.', '93.184.215.14')).toBe(true);
  });

  it('matches IPv4 and IPv6 CIDRs against the address, whatever the name', () => {
    const r = rules('10.20.0.0/16, 2001:db8:1::/48, 198.51.100.7');
    expect(egressVerdict(r, 'anything.example', '10.20.255.1')).toMatchObject({ byCidr: { address: '10.20.0.0', prefix: 16 } });
    expect(allowedBy(r, 'anything.example', '10.21.0.1')).toBe(false);
    expect(allowedBy(r, 'anything.example', '2001:db8:1:ffff::1')).toBe(true);
    expect(allowedBy(r, 'anything.example', '2001:db8:2::1')).toBe(false);
    expect(allowedBy(r, '198.51.100.7', '198.51.100.7')).toBe(true);
    expect(allowedBy(r, '198.51.100.8', '198.51.100.8')).toBe(false);
    // An IPv4 range never matches an IPv6 address with the same bits, and the reverse.
    expect(allowedBy(rules('0.0.0.0/0'), 'x.example', '2606:4700::1')).toBe(false);
    expect(allowedBy(rules('::/0'), 'x.example', '93.184.215.14')).toBe(false);
  });

  it('judges IPv4-mapped IPv6 addresses as their IPv4', () => {
    expect(allowedBy(rules('10.20.0.0/16'), '::ffff:10.20.0.5', '::ffff:10.20.0.5')).toBe(true);
    expect(allowedBy(rules('10.20.0.0/16'), 'x.example', '::ffff:a14:5')).toBe(true);
    expect(egressVerdict(rules(null, '10.20.0.0/16'), 'x.example', '::ffff:10.20.0.5')).toEqual({ refused: DENIED_REASON });
  });

  it('lets a denied entry win over an allowed one', () => {
    const r = rules('*.example.org, 10.20.0.0/16', 'legacy.example.org, 10.20.9.0/24');
    expect(egressVerdict(r, 'legacy.example.org', '93.184.215.14')).toEqual({ refused: DENIED_REASON });
    expect(egressVerdict(r, 'new.example.org', '10.20.9.9')).toEqual({ refused: DENIED_REASON });
    expect(allowedBy(r, 'new.example.org', '10.20.8.9')).toBe(true);
    expect(egressVerdict(rules(null, '*.example.org'), 'LEGACY.example.org.', '93.184.215.14')).toEqual({ refused: DENIED_REASON });
  });
});

describe('refusalBeforeDns', () => {
  it('refuses denied names, and names an allow list of names cannot match', () => {
    expect(refusalBeforeDns(rules(null, 'hooks.example.org'), 'Hooks.Example.org.')).toBe(DENIED_REASON);
    expect(refusalBeforeDns(rules('a.example.org'), 'b.example.org')).toBe(NOT_ALLOWED_REASON);
    expect(refusalBeforeDns(rules('a.example.org'), 'a.example.org')).toBeUndefined();
  });

  it('waits for the address when the allow list has ranges a resolved address could match', () => {
    expect(refusalBeforeDns(rules('a.example.org, 10.20.0.0/16'), 'b.example.org')).toBeUndefined();
  });
});
