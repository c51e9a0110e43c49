/**
 * Configuration, read from the environment exactly once and validated; everything else receives the
 * resulting object. A bad variable stops start-up with its name and the problem.
 */
import path from 'node:path';
import { z } from 'zod';
import { EgressRuleError, parseEgressList, type EgressEntry, type EgressRules } from './net/egress-rules.ts';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated egress list; a bad entry is named in the error, which `loadConfig` prefixes with the variable. */
const egressList = z
  .string()
  .default('')
  .transform((text, ctx): EgressEntry[] => {
    try {
      return parseEgressList(text);
    } catch (err) {
      if (!(err instanceof EgressRuleError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });

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
  /** Where webhooks may go: once set, a receiver must match an entry (`hooks.example.org`, `*.example.org`, `10.20.0.0/16`). */
  WEBHOOK_ALLOWED_HOSTS: egressList,
  /** Where webhooks may never go, even when allowed; same entries as WEBHOOK_ALLOWED_HOSTS. */
  WEBHOOK_DENIED_HOSTS: egressList,
  /** How often an idle worker looks for due tasks even without a notification. */
  WORKER_POLL_MS: z.coerce.number().int().min(50).default(2000),
  /** How long a worker's claim on a task lasts; a task whose worker died is retried after this. */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Deadline of one webhook delivery attempt. Must stay well below WORKER_LEASE_MS. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** How often the scheduler gives overdue bandit draws their autofail outcome (the reference: hourly). */
  BANDIT_AUTOFAIL_CHECK_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /** How often each experiment is snapshotted at most (the reference's --interval, 6 h; at least a minute). */
  SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(60_000).default(6 * 3_600_000),
  /** How often the scheduler looks for experiments due a snapshot (the reference's hourly cron). */
  SNAPSHOT_CHECK_MS: z.coerce.number().int().min(60_000).default(3_600_000),
  /** Deadline of one snapshot's analysis; by default the worker lease less 5 s, so a lease never runs out mid-analysis. */
  SNAPSHOT_TIMEOUT_MS: z.coerce.number().int().min(1_000).optional(),
  /** How often the scheduler looks for committed experiments past their end date to send `experiment.ended`. */
  EXPERIMENT_END_CHECK_MS: z.coerce.number().int().min(1_000).default(5 * 60_000),
  /**
   * Keys that encrypt warehouse credentials: `id:base64(32 bytes)[,id:key…]`, newest first (it encrypts;
   * all decrypt). Needed with DATABASE_URL; the embedded default generates DATA_DIR/secret-keys instead.
   */
  EQUIPOISE_SECRET_KEYS: z.string().optional(),
  /** Skip the demo organization and warehouse on first start. */
  NO_DEMO: boolish.default(false),
  /** Development conveniences that are unsafe on a shared server (today: CORS open to any origin). */
  DEVELOPMENT: boolish.default(false),
  /** Comma-separated browser origins allowed to call the API, e.g. `https://app.example.org`. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s*]+$/.test(o)), 'must be a comma-separated list of origins like https://app.example.org (no wildcards)'),
  /** Public-API requests per second per key, unless a key sets its own. */
  API_KEY_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(100),
  /** Take client addresses from X-Forwarded-For (only behind a reverse proxy that sets it). */
  TRUST_PROXY: boolish.default(false),
  /** Sign-in with an OpenID Connect provider: all of issuer, client id and secret, or none. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back; defaults to PUBLIC_URL + /login/oidc. */
  OIDC_REDIRECT_URI: z.url().optional(),
  /** Outgoing mail (invites): smtp://user:pass@host:587 or smtps://…:465. Absent: mails are printed. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Equipoise <equipoise@localhost>'),
  /** The built web UI to serve at `/` (default: this checkout's web/dist, which `npm start` builds). */
  WEB_ROOT: z.string().min(1).optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly allowPrivateIps: boolean;
  /** The operator's lists for webhook receivers, on top of the built-in SSRF rules. */
  readonly webhookEgress: EgressRules;
  readonly workerPollMs: number;
  readonly workerLeaseMs: number;
  readonly webhookTimeoutMs: number;
  /** Bandit autofail cadence (issue 10). */
  readonly banditAutofailCheckMs: number;
  /** Snapshots (issue 11): the cadence per experiment, how often the scheduler checks, and one analysis's deadline. */
  readonly snapshots: { readonly intervalMs: number; readonly checkMs: number; readonly timeoutMs: number };
  /** How often `experiment.ended` is checked for. */
  readonly experimentEndCheckMs: number;
  readonly demo: boolean;
  readonly development: boolean;
  /** Browser origins allowed by CORS; '*' only in development. */
  readonly corsOrigins: readonly string[] | '*';
  readonly apiKeyRateLimitPerSecond: number;
  readonly trustProxy: boolean;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string; readonly redirectUri: string } | null;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** EQUIPOISE_SECRET_KEYS as given (never logged). */
  readonly secretKeys: string | undefined;
  readonly webRoot: string;
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
  const snapshotTimeoutMs = e.SNAPSHOT_TIMEOUT_MS ?? e.WORKER_LEASE_MS - 5_000;
  if (snapshotTimeoutMs + 5_000 > e.WORKER_LEASE_MS) {
    throw new ConfigError(
      `Invalid environment:\n  SNAPSHOT_TIMEOUT_MS: must stay at least 5000 ms below WORKER_LEASE_MS, or another worker could take over a snapshot still being computed`,
    );
  }
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (oidcParts !== 0 && oidcParts !== 3) {
    throw new ConfigError('Invalid environment:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three or none');
  }
  const embedded = e.DATABASE_URL === undefined;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    development: e.DEVELOPMENT,
    corsOrigins: e.DEVELOPMENT ? '*' : e.CORS_ORIGINS,
    apiKeyRateLimitPerSecond: e.API_KEY_RATE_LIMIT_PER_SECOND,
    trustProxy: e.TRUST_PROXY,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, redirectUri: e.OIDC_REDIRECT_URI ?? `${publicUrl}/login/oidc` }
        : null,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    allowPrivateIps: e.ALLOW_PRIVATE_IPS ?? embedded,
    // An empty allow list means "not set", never "nothing allowed".
    webhookEgress: { allowed: e.WEBHOOK_ALLOWED_HOSTS.length > 0 ? e.WEBHOOK_ALLOWED_HOSTS : null, denied: e.WEBHOOK_DENIED_HOSTS },
    workerPollMs: e.WORKER_POLL_MS,
    workerLeaseMs: e.WORKER_LEASE_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    banditAutofailCheckMs: e.BANDIT_AUTOFAIL_CHECK_MS,
    snapshots: { intervalMs: e.SNAPSHOT_INTERVAL_MS, checkMs: e.SNAPSHOT_CHECK_MS, timeoutMs: snapshotTimeoutMs },
    experimentEndCheckMs: e.EXPERIMENT_END_CHECK_MS,
    demo: !e.NO_DEMO,
    secretKeys: e.EQUIPOISE_SECRET_KEYS,
    webRoot: path.resolve(e.WEB_ROOT ?? path.join(import.meta.dirname, '..', 'web', 'dist')),
  };
}
