/**
 * Configuration, read from the environment exactly once and validated; everything else receives the
 * resulting object. A bad variable stops start-up with its name and the problem.
 */
import path from 'node:path';
import { z } from 'zod';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL app database. Absent: the embedded default (PGlite in DATA_DIR). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Base of links we hand out (webhook `experiment_url`, login URL). Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /**
   * Whether webhooks may target private, loopback and link-local addresses. Off by default on a shared
   * server (SSRF); the embedded default turns it on because it is a single-user install on one machine.
   */
  ALLOW_PRIVATE_IPS: boolish.optional(),
  /** How often an idle worker looks for due tasks even without a notification. */
  WORKER_POLL_MS: z.coerce.number().int().min(50).default(2000),
  /** How long a worker's claim on a task lasts; a task whose worker died is retried after this. */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Deadline of one webhook delivery attempt. Must stay well below WORKER_LEASE_MS. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Skip the demo organization and warehouse on first start. */
  NO_DEMO: boolish.default(false),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly allowPrivateIps: boolean;
  readonly workerPollMs: number;
  readonly workerLeaseMs: number;
  readonly webhookTimeoutMs: number;
  readonly demo: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.WEBHOOK_TIMEOUT_MS + 5_000 > e.WORKER_LEASE_MS) {
    throw new ConfigError(
      `Invalid environment:\n  WORKER_LEASE_MS: must exceed WEBHOOK_TIMEOUT_MS by at least 5000 ms, or a slow delivery could be sent twice`,
    );
  }
  const embedded = e.DATABASE_URL === undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    allowPrivateIps: e.ALLOW_PRIVATE_IPS ?? embedded,
    workerPollMs: e.WORKER_POLL_MS,
    workerLeaseMs: e.WORKER_LEASE_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    demo: !e.NO_DEMO,
  };
}
