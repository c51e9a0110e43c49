/**
 * Outbound HTTP to addresses customers chose (webhook receivers), over IPv4 or IPv6. The host is checked by
 * `safeResolve` once and the connection is pinned to that address (`pinnedLookup`), while the Host header
 * and TLS SNI keep the original name, so certificates still verify and a second DNS answer cannot redirect
 * us inside the network. Redirects are not followed (a 3xx is returned to the caller), for the same reason.
 *
 * @example
 *   const r = await postJson('https://hooks.example.com/in', { a: 1 }, { 'Webhook-Token': t }, { allowPrivateIps: false });
 *   r.status; // 200
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pinnedLookup } from './pinned-lookup.ts';
import { safeResolve, type SafeResolveOptions } from './safe-resolve.ts';

export const DEFAULT_HTTP_TIMEOUT_MS = 15_000;
/** How much of a response body is kept: enough to show the receiver's error message. */
export const RESPONSE_BODY_LIMIT_BYTES = 1024;

/** The request did not produce a response: refused, reset, unreachable, TLS failure or timeout. */
export class OutboundHttpError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundHttpError';
  }
}

export interface PostJsonOptions extends Pick<SafeResolveOptions, 'resolveA' | 'resolveAAAA' | 'egress'> {
  /** Deadline for the whole exchange after DNS: connect, send, and reading the response. */
  readonly timeoutMs?: number;
  readonly allowPrivateIps: boolean;
}

export interface PostJsonResult {
  readonly status: number;
  /** The first `RESPONSE_BODY_LIMIT_BYTES` of the response body, as UTF-8. */
  readonly body: string;
  readonly latencyMs: number;
  /** The response's `Retry-After` header, when it sent one. */
  readonly retryAfter?: string | undefined;
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

function describeNetworkError(err: unknown): OutboundHttpError {
  if (err instanceof OutboundHttpError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : undefined;
  const known = codeText ? NETWORK_ERRORS[codeText] : undefined;
  const message = known ?? (err instanceof Error ? err.message : String(err));
  return new OutboundHttpError(codeText && known ? `${message} (${codeText})` : message, codeText, { cause: err });
}

/**
 * POSTs `body` as JSON to `url` through the SSRF guard. Resolves with any HTTP status (the caller decides
 * what counts as success); rejects with `OutboundHttpError` when no response came, or with the guard's
 * `DnsLookupError` / `UnsafeAddressError`.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  o: PostJsonOptions,
): Promise<PostJsonResult> {
  return postBytes(url, Buffer.from(JSON.stringify(body)), headers, o);
}

/**
 * Like `postJson`, with the body already serialized: what a signed webhook needs, since the signature
 * covers the exact bytes sent.
 */
export async function postBytes(
  url: string,
  payload: Buffer,
  headers: Readonly<Record<string, string>>,
  o: PostJsonOptions,
): Promise<PostJsonResult> {
  const started = performance.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new OutboundHttpError('the URL is not valid', 'ERR_INVALID_URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new OutboundHttpError(`unsupported URL scheme ${target.protocol}`, 'ERR_INVALID_PROTOCOL');
  }
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // Webhook rules: IPv4 when the name has an A record, IPv6 only when it has none (see `safeResolve`).
  const address = await safeResolve(hostname, { allowPrivateIps: o.allowPrivateIps, egress: o.egress, resolveA: o.resolveA, resolveAAAA: o.resolveAAAA });

  const outgoing: Record<string, string> = { 'Content-Type': 'application/json', ...headers, 'Content-Length': String(payload.length) };
  const auth = target.username || target.password ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined;
  const transport = target.protocol === 'https:' ? https : http;

  return new Promise<PostJsonResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { ok: PostJsonResult } | { err: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ('ok' in outcome) resolve(outcome.ok);
      else reject(describeNetworkError(outcome.err));
    };

    const req = transport.request({
      method: 'POST',
      protocol: target.protocol,
      // `host` stays the name so Node writes `Host: name[:port]`; `lookup` makes the socket use the checked address.
      host: hostname,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      headers: outgoing,
      auth,
      lookup: pinnedLookup(address),
      // SNI carries a name, never an address literal (RFC 6066).
      ...(target.protocol === 'https:' && isIP(hostname) === 0 ? { servername: hostname } : {}),
      // A fresh connection each time: a pooled socket would outlive the address check that allowed it.
      agent: false,
    });

    const timer = setTimeout(() => {
      const err = new OutboundHttpError(`timed out after ${timeoutMs} ms`, 'ETIMEDOUT');
      finish({ err });
      req.destroy(err);
    }, timeoutMs);

    req.on('error', (err) => finish({ err }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = () => {
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT_BYTES).toString('utf8');
        const retryAfter = res.headers['retry-after'];
        finish({ ok: { status: res.statusCode ?? 0, body: text, latencyMs: Math.round(performance.now() - started), retryAfter } });
      };
      res.on('data', (chunk: Buffer) => {
        if (kept >= RESPONSE_BODY_LIMIT_BYTES) return;
        chunks.push(chunk);
        kept += chunk.length;
        // Enough to report; do not download the rest of a large answer.
        if (kept >= RESPONSE_BODY_LIMIT_BYTES) {
          done();
          res.destroy();
        }
      });
      res.on('end', done);
      res.on('error', (err) => finish({ err }));
    });
    req.end(payload);
  });
}
