/**
 * A real HTTP server standing in for the client's backend: records every request and answers with the
 * statuses it is told to, in order (then 200).
 */
import http from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Statuses for the next requests, consumed in order; `HANG` leaves a request unanswered. */
  respondWith(...statuses: number[]): void;
  /** Resolves when at least `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A "status" that never answers, to stand for a receiver (or network) that hangs mid-delivery. */
export const HANG = 0;

export interface WebhookReceiverOptions {
  /** The address to listen on; `::1` for an IPv6 receiver (its `url` then brackets it). Default 127.0.0.1. */
  readonly host?: string;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const requests: ReceivedRequest[] = [];
  const hanging: http.ServerResponse[] = [];
  const queue: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queue.shift() ?? 200;
      if (status === HANG) hanging.push(res);
      else res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `failure ${status}`);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${isIPv6(host) ? `[${host}]` : host}:${port}/hooks/equipoise`,
    requests,
    respondWith: (...statuses) => queue.push(...statuses),
    waitFor(n, timeoutMs = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${requests.length} of ${n} requests in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
