/** Measuring helpers shared by the benchmarks: latency percentiles, HTTP load, and counting COPY OUT rows. */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface LoadResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Runs `count` requests with `concurrency` in flight; any non-200 answer aborts the run. */
export async function httpLoad(count: number, concurrency: number, request: (i: number) => Promise<Response>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const res = await request(i);
        if (res.status !== 200) throw new Error(`request ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return { perSecond: Math.round((count / ms) * 1000), p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/**
 * Rows of a `COPY … TO STDOUT`, counted without keeping them: node-postgres surfaces the simple-query
 * protocol's CopyData messages as 'copyData' events on the connection (no pg-copy-streams needed).
 */
export function copyOutRows(client: pg.Client, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    const conn = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    const onData = (msg: { chunk: Buffer }) => {
      for (const byte of msg.chunk) if (byte === 10) lines += 1;
    };
    conn.on('copyData', onData);
    client
      .query(sql)
      .then(() => resolve(lines))
      .catch((err: unknown) => (lines > 0 ? resolve(lines) : reject(err)))
      .finally(() => conn.off('copyData', onData));
  });
}
