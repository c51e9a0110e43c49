/**
 * The operator's egress rules for webhook receivers (`WEBHOOK_ALLOWED_HOSTS`, `WEBHOOK_DENIED_HOSTS`): the
 * parsed lists and how a receiver's host name and resolved address meet them. Pure; `safe-resolve.ts`
 * combines the verdict with the built-in SSRF rules, because only it knows which ranges are private.
 *
 * An entry is a host name (`hooks.example.org`), a wildcard suffix (`*.example.org`, sub-domains only), an
 * IP address or a CIDR (`10.20.0.0/16`, `2001:db8::/32`). Names match the URL's host name, addresses and
 * CIDRs match the resolved address, case-insensitively and ignoring a trailing dot. Denied entries always
 * win; once an allow list is set, a receiver must match it.
 *
 * @example
 *   const rules = { allowed: parseEgressList('*.example.org, 10.20.0.0/16'), denied: parseEgressList('legacy.example.org') };
 *   egressVerdict(rules, 'legacy.example.org', '93.184.215.14'); // { refused: 'denied by … (WEBHOOK_DENIED_HOSTS)' }
 */
import { domainToASCII } from 'node:url';
import { isIP, isIPv4 } from 'node:net';

/** One address range; a single address is a /32 or /128. IPv4-mapped IPv6 is stored as IPv4. */
export interface CidrEntry {
  readonly kind: 'cidr';
  readonly family: 4 | 6;
  /** The network address as text, for range checks that take text (`BlockList`). */
  readonly address: string;
  readonly prefix: number;
  readonly base: bigint;
}

export type EgressEntry = { readonly kind: 'host'; readonly name: string } | { readonly kind: 'suffix'; readonly suffix: string } | CidrEntry;

export interface EgressRules {
  /** Null when no allow list is set: every receiver the other rules accept is allowed. */
  readonly allowed: readonly EgressEntry[] | null;
  readonly denied: readonly EgressEntry[];
}

export const NO_EGRESS_RULES: EgressRules = Object.freeze({ allowed: null, denied: Object.freeze([]) });

// The reasons name the setting, not the entry, so members learn which rule refused them without the lists.
export const DENIED_REASON = "denied by the server's egress rules (WEBHOOK_DENIED_HOSTS)";
export const NOT_ALLOWED_REASON = 'not among the receivers this server allows (WEBHOOK_ALLOWED_HOSTS)';

/** An entry of an egress list that is not a host name, `*.suffix`, IP address or CIDR. */
export class EgressRuleError extends Error {
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`"${entry}" ${reason}`);
    this.name = 'EgressRuleError';
  }
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const MAPPED_PREFIX = 0xffffn;

/** Lower case, no trailing dot, no IPv6 brackets: the one spelling names are compared in. */
export function normalizeHost(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** The address as a number and family; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) counts as its IPv4. */
function toNumber(address: string): { family: 4 | 6; value: bigint } {
  if (isIPv4(address)) return { family: 4, value: address.split('.').reduce((acc, part) => acc * 256n + BigInt(part), 0n) };
  // The URL parser canonicalizes every spelling, embedded IPv4 included, to hex groups with at most one `::`.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (value >> 32n === MAPPED_PREFIX) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function addressText(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((value >> s) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function parseCidr(entry: string, text: string, prefixText: string | undefined): CidrEntry {
  if (isIP(text) === 0) throw new EgressRuleError(entry, 'is neither a CIDR nor a bare host name (no path)');
  let { family, value } = toNumber(text);
  const bits = isIPv4(text) ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new EgressRuleError(entry, `has a prefix length that is not a number from 0 to ${bits}`);
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) throw new EgressRuleError(entry, `has a prefix length that is not a number from 0 to ${bits}`);
  // `::ffff:10.20.0.0/112` is the IPv4 range 10.20.0.0/16; shorter prefixes reach beyond the mapped block and stay IPv6.
  if (bits === 128 && family === 4) {
    if (prefix >= 96) prefix -= 96;
    else {
      family = 6;
      value = toNumber(text).value | (MAPPED_PREFIX << 32n);
    }
  }
  const width = BigInt(family === 4 ? 32 : 128);
  const hostBits = width - BigInt(prefix);
  const base = (value >> hostBits) << hostBits;
  if (base !== value) throw new EgressRuleError(entry, `has bits set after the prefix; the network is ${addressText(family, base)}/${prefix}`);
  return { kind: 'cidr', family, address: addressText(family, base), prefix, base };
}

function parseName(entry: string, text: string): string {
  if (text.includes('*')) throw new EgressRuleError(entry, 'has a wildcard that is not a whole first label, like *.example.org');
  if (/[/:@?#\s]/.test(text)) throw new EgressRuleError(entry, 'is not a bare host name (no scheme, port or path)');
  // Receivers' URLs reach us punycoded (`xn--…`), so entries written in Unicode are compared the same way.
  const ascii = domainToASCII(text);
  if (ascii === '' || ascii.length > 253 || !ascii.split('.').every((l) => LABEL.test(l))) {
    throw new EgressRuleError(entry, 'is not a valid host name');
  }
  return ascii;
}

/** One entry of a list; throws `EgressRuleError` naming it. */
export function parseEgressEntry(entry: string): EgressEntry {
  const text = normalizeHost(entry);
  if (text === '') throw new EgressRuleError(entry, 'is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) throw new EgressRuleError(entry, 'is a URL; give the bare host name');
  const slash = text.indexOf('/');
  if (slash >= 0) return parseCidr(entry, text.slice(0, slash), text.slice(slash + 1));
  if (isIP(text) !== 0) return parseCidr(entry, text, undefined);
  if (text.startsWith('*.')) return { kind: 'suffix', suffix: parseName(entry, text.slice(2)) };
  return { kind: 'host', name: parseName(entry, text) };
}

/**
 * A comma-separated list as the environment gives it; blanks between commas are ignored.
 *
 * @example parseEgressList('hooks.example.org, *.corp.example, 10.20.0.0/16'); // three entries
 */
export function parseEgressList(text: string): EgressEntry[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map(parseEgressEntry);
}

function matchesName(entry: EgressEntry, name: string): boolean {
  if (entry.kind === 'host') return entry.name === name;
  // `*.example.org` covers sub-domains only: the bare `example.org` must be listed on its own.
  if (entry.kind === 'suffix') return name.endsWith(`.${entry.suffix}`);
  return false;
}

function matchesAddress(entry: EgressEntry, address: { family: 4 | 6; value: bigint }): boolean {
  if (entry.kind !== 'cidr' || entry.family !== address.family) return false;
  const hostBits = BigInt((entry.family === 4 ? 32 : 128) - entry.prefix);
  return (address.value >> hostBits) << hostBits === entry.base;
}

/**
 * What the rules say before any DNS lookup, from the host name alone: denied by name, or not allowed by
 * name when the allow list has no address entries that a resolved address could still match.
 */
export function refusalBeforeDns(rules: EgressRules, host: string): string | undefined {
  const name = normalizeHost(host);
  if (rules.denied.some((e) => matchesName(e, name))) return DENIED_REASON;
  const allowed = rules.allowed;
  if (allowed && !allowed.some((e) => matchesName(e, name)) && !allowed.some((e) => e.kind === 'cidr')) return NOT_ALLOWED_REASON;
  return undefined;
}

export type EgressVerdict =
  | { readonly refused: string }
  /** Allowed; `byCidr` is the allow-list range the address is in, if any (it may admit a private address). */
  | { readonly refused?: undefined; readonly byCidr: CidrEntry | undefined };

/**
 * The rules' verdict on connecting to `address` for a receiver named `host` (the address itself for IP
 * literals). Only the operator's lists are consulted; the built-in SSRF rules still apply afterwards.
 */
export function egressVerdict(rules: EgressRules, host: string, address: string): EgressVerdict {
  const name = normalizeHost(host);
  const number = toNumber(normalizeHost(address));
  if (rules.denied.some((e) => matchesName(e, name) || matchesAddress(e, number))) return { refused: DENIED_REASON };
  if (!rules.allowed) return { byCidr: undefined };
  const byCidr = rules.allowed.find((e): e is CidrEntry => matchesAddress(e, number));
  if (byCidr || rules.allowed.some((e) => matchesName(e, name))) return { byCidr };
  return { refused: NOT_ALLOWED_REASON };
}
