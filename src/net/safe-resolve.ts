/**
 * The SSRF guard: turns a host name into one address that Equipoise is allowed to connect to, or
 * rejects it. IPv4 and IPv6 literals are judged against the same block lists in every mode. Names differ
 * by caller: webhooks use the A records whenever the name has any and fall back to AAAA only when it has
 * none (see `lookupIpv4First`); warehouse connections pass `allowIpv6`, which asks for both together and
 * requires every answer of either family to be public. Callers then connect to the returned address and
 * nothing else (see `outbound-http.ts`, `pinned-lookup.ts`), so a name that re-resolves to an internal
 * address between the check and the connection (DNS rebinding) cannot slip by.
 *
 * @example
 *   const ip = await safeResolve('hooks.example.com', { allowPrivateIps: false }); // '93.184.215.14'
 */
import { Resolver } from 'node:dns/promises';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { egressVerdict, refusalBeforeDns, type CidrEntry, type EgressRules } from './egress-rules.ts';

/** The reference's DNS budget: a receiver whose name takes longer than this to resolve is treated as down. */
export const DNS_TIMEOUT_MS = 5_000;

/** The name could not be turned into an address (no such name, no A or AAAA record, timeout, resolver down). */
export class DnsLookupError extends Error {
  constructor(
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DnsLookupError';
  }
}

/** The name or literal stands for an address we must not connect to. */
export class UnsafeAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(host === address ? `${address} is not allowed: ${reason}` : `${host} resolves to ${address}, which is not allowed: ${reason}`);
    this.name = 'UnsafeAddressError';
  }
}

export interface SafeResolveOptions {
  /** Accept private, loopback, link-local and other non-global unicast addresses (dev, CI, single-user installs). */
  readonly allowPrivateIps: boolean;
  /**
   * Treat IPv6 as IPv4's equal when resolving a name (warehouse connections): ask for A and AAAA together and
   * refuse the name if any answer of either family is unsafe. Without it (webhooks), AAAA records are a
   * fallback for names with no A record. IPv6 literals are judged the same either way.
   */
  readonly allowIpv6?: boolean;
  /**
   * The operator's webhook lists (see `egress-rules.ts`), checked against the name and against every address
   * considered. An allow-list CIDR lying inside one private range admits those addresses without
   * `allowPrivateIps`; the always-refused ranges stay refused.
   */
  readonly egress?: EgressRules | undefined;
  /** A records of a name; replaceable so tests can exercise answers no real name gives. */
  readonly resolveA?: (host: string) => Promise<string[]>;
  /** AAAA records of a name, for tests. */
  readonly resolveAAAA?: (host: string) => Promise<string[]>;
}

/** An IPv4 block and why an address in it is refused. */
interface Block {
  readonly base: number;
  readonly prefix: number;
  readonly reason: string;
}

function block(cidr: string, reason: string): Block {
  const [addr = '', prefix = '32'] = cidr.split('/');
  return { base: ipv4ToInt(addr), prefix: Number(prefix), reason };
}

/** Never a destination, even with private addresses allowed: on Linux 0.0.0.0 reaches the local host. */
const ALWAYS_REFUSED: readonly Block[] = [
  block('0.0.0.0/8', '"this network" addresses are not destinations'),
  block('224.0.0.0/4', 'multicast'),
  block('255.255.255.255/32', 'broadcast'),
];

/** Not globally routable (IANA special-purpose registry); refused unless private addresses are allowed. */
const NON_GLOBAL: readonly Block[] = [
  block('10.0.0.0/8', 'private network'),
  block('100.64.0.0/10', 'carrier-grade NAT'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local (cloud metadata lives here)'),
  block('172.16.0.0/12', 'private network'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  block('192.168.0.0/16', 'private network'),
  block('198.18.0.0/15', 'benchmarking'),
  block('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  block('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  block('240.0.0.0/4', 'reserved'),
];

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function contains(b: Block, ip: number): boolean {
  const size = 2 ** (32 - b.prefix);
  return ip >= b.base && ip < b.base + size;
}

/** IPv6 blocks as [base, prefix, reason]; the first list is refused even with private addresses allowed. */
const IPV6_ALWAYS_REFUSED: readonly (readonly [string, number, string])[] = [
  ['::', 128, 'the unspecified address is not a destination'],
  ['ff00::', 8, 'multicast'],
];
const IPV6_NON_GLOBAL: readonly (readonly [string, number, string])[] = [
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments (Teredo and others)'],
  ['2001:db8::', 32, 'documentation'],
  // 6to4 and NAT64 embed an IPv4 address that could be private; refusing them is simpler than trusting them.
  ['2002::', 16, '6to4 relay'],
  ['64:ff9b::', 96, 'NAT64'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['fc00::', 7, 'unique local (private network)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
];

function ipv6Blocks(list: readonly (readonly [string, number, string])[]): { list: BlockList; reason: string }[] {
  return list.map(([base, prefix, reason]) => {
    const blocks = new BlockList();
    blocks.addSubnet(base, prefix, 'ipv6');
    return { list: blocks, reason };
  });
}
const IPV6_ALWAYS = ipv6Blocks(IPV6_ALWAYS_REFUSED);
const IPV6_PRIVATE = ipv6Blocks(IPV6_NON_GLOBAL);

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), or undefined. */
function mappedIpv4(address: string): string | undefined {
  // The URL parser canonicalizes every spelling (`::ffff:8.8.8.8`, `0:0:0:0:0:ffff:808:808`) to hex groups.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return undefined;
  const hi = parseInt(m[1] as string, 16);
  const lo = parseInt(m[2] as string, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function unsafeIpv6Reason(address: string, o: { readonly allowPrivateIps: boolean }): string | undefined {
  const mapped = mappedIpv4(address);
  if (mapped !== undefined) return unsafeReason(mapped, o);
  const blocks = o.allowPrivateIps ? IPV6_ALWAYS : [...IPV6_ALWAYS, ...IPV6_PRIVATE];
  const hit = blocks.find((b) => b.list.check(address, 'ipv6'));
  if (hit) return hit.reason;
  // Only 2000::/3 is allocated as global unicast; the rest is reserved.
  const global = new BlockList();
  global.addSubnet('2000::', 3, 'ipv6');
  return o.allowPrivateIps || global.check(address, 'ipv6') ? undefined : 'reserved (not global unicast)';
}

/** Why `address` must not be connected to, or `undefined` when it may. */
export function unsafeReason(address: string, o: { readonly allowPrivateIps: boolean }): string | undefined {
  if (isIPv6(address)) return unsafeIpv6Reason(address, o);
  if (!isIPv4(address)) return 'not an IP address';
  const ip = ipv4ToInt(address);
  const blocks = o.allowPrivateIps ? ALWAYS_REFUSED : [...ALWAYS_REFUSED, ...NON_GLOBAL];
  return blocks.find((b) => contains(b, ip))?.reason;
}

/**
 * Whether every address of the range is non-global for one reason (`10.20.0.0/16` inside 10/8, `fd00::/8`
 * inside fc00::/7), so that allowing it admits exactly the private addresses the operator named, while a
 * wide range such as `0.0.0.0/0` admits only public ones.
 */
function isPrivateRange(cidr: CidrEntry): boolean {
  if (cidr.family === 4) return NON_GLOBAL.some((b) => cidr.prefix >= b.prefix && contains(b, ipv4ToInt(cidr.address)));
  return IPV6_NON_GLOBAL.some(([base, prefix]) => {
    if (cidr.prefix < prefix) return false;
    const range = new BlockList();
    range.addSubnet(base, prefix, 'ipv6');
    return range.check(cidr.address, 'ipv6');
  });
}

/** Why `address` (an answer for `host`, or `host` itself) must not be connected to, with the operator's lists. */
function refusal(host: string, address: string, o: SafeResolveOptions): string | undefined {
  if (!o.egress) return unsafeReason(address, o);
  const verdict = egressVerdict(o.egress, host, address);
  if (verdict.refused !== undefined) return verdict.refused;
  const admitsPrivate = verdict.byCidr !== undefined && isPrivateRange(verdict.byCidr);
  return unsafeReason(address, { allowPrivateIps: o.allowPrivateIps || admitsPrivate });
}

async function resolveWithTimeout(host: string, family: 4 | 6 = 4): Promise<string[]> {
  // One try per server with the budget as its timeout, plus an overall timer: c-ares moves on to the next
  // configured server after a timeout, which could otherwise multiply the wait.
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 1 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      resolver.cancel();
      reject(new DnsLookupError(host, `DNS lookup of ${host} timed out after ${DNS_TIMEOUT_MS} ms`));
    }, DNS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([family === 4 ? resolver.resolve4(host) : resolver.resolve6(host), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeDnsFailure(host: string, err: unknown): DnsLookupError {
  if (err instanceof DnsLookupError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const why =
    code === 'ENOTFOUND' ? 'no such host'
    : code === 'ETIMEOUT' ? `timed out after ${DNS_TIMEOUT_MS} ms`
    : code === 'ECANCELLED' ? `timed out after ${DNS_TIMEOUT_MS} ms`
    : code === 'ECONNREFUSED' ? 'the DNS server refused the query'
    : err instanceof Error ? err.message
    : String(err);
  return new DnsLookupError(host, `DNS lookup of ${host} failed: ${why}`, { cause: err });
}

/**
 * Resolves `host` to one connectable address. IP literals (bracketed or not) are judged as they are and
 * never sent to DNS; `localhost` means 127.0.0.1; any other name is resolved (see `SafeResolveOptions.allowIpv6`)
 * and refused if ANY answer considered is unsafe, not just the one returned: a name that points at the
 * inside at all is not a receiver we should trust. Rejects with `DnsLookupError` or `UnsafeAddressError`.
 */
export async function safeResolve(host: string, o: SafeResolveOptions): Promise<string> {
  // URLs bracket IPv6 literals ([::1]); judge the address inside.
  const name = host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (name === '') throw new DnsLookupError(host, 'the host name is empty');

  if (isIPv4(name) || isIPv6(name)) {
    const reason = refusal(name, name, o);
    // The bare address as the host, so `[fe80::1]` reads "fe80::1 is not allowed", not "resolves to".
    if (reason) throw new UnsafeAddressError(name, name, reason);
    return name;
  }

  const early = o.egress && refusalBeforeDns(o.egress, name);
  // No lookup for a name the lists refuse anyway: the member sees the rule, not a DNS failure.
  if (early) throw new UnsafeAddressError(name, name, early);

  // Resolved here rather than through /etc/hosts, so it always means this machine's loopback.
  const addresses = name === 'localhost' ? ['127.0.0.1'] : o.allowIpv6 ? await lookupBoth(name, o) : await lookupIpv4First(name, o);
  if (addresses.length === 0) throw new DnsLookupError(host, `DNS lookup of ${host} failed: the name has no A or AAAA record`);
  for (const address of addresses) {
    const reason = refusal(name, address, o);
    if (reason) throw new UnsafeAddressError(host, address, reason);
  }
  // Prefer IPv4: it is what most receivers and warehouses listen on and what most networks route.
  return addresses.find((a) => isIPv4(a)) ?? (addresses[0] as string);
}

/**
 * Webhooks: the A records decide whenever the name has any, exactly as before IPv6 receivers were
 * supported, so no existing receiver changes family; the AAAA records are asked only when the name has no
 * A record. "No A record" means none was published, not that the published ones were refused: a name
 * whose A records point inside is refused outright rather than retried over IPv6, and a failed A lookup
 * (timeout, no such name) is not retried either, which keeps the DNS budget at one lookup.
 */
async function lookupIpv4First(name: string, o: SafeResolveOptions): Promise<string[]> {
  const v4 = await lookup(name, 4, o);
  return v4.length > 0 ? v4 : lookup(name, 6, o);
}

/** Warehouses: A and AAAA answers together; a name with only one kind is fine, a name with neither is not. */
async function lookupBoth(name: string, o: SafeResolveOptions): Promise<string[]> {
  const settled = await Promise.allSettled([lookup(name, 4, o), lookup(name, 6, o)]);
  const found = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (found.length === 0 && failed) throw failed.reason;
  return found;
}

/** The records of one family; an empty list when the name exists but has none of that family. */
async function lookup(name: string, family: 4 | 6, o: SafeResolveOptions): Promise<string[]> {
  const resolve = (family === 4 ? o.resolveA : o.resolveAAAA) ?? ((h: string) => resolveWithTimeout(h, family));
  try {
    return await resolve(name);
  } catch (err) {
    // ENODATA is an answer ("no record of this type"), not a failure: the other family may have one.
    if ((err as { code?: unknown } | null)?.code === 'ENODATA') return [];
    throw describeDnsFailure(name, err);
  }
}
