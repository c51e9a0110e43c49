/**
 * The accounts side of the wiring: the HTTP options (CORS, OIDC, rate limits) and the mailer built from
 * the configuration, and `equipoise keys rotate`.
 *
 * @example createApp(runtime.deps, appOptionsFromConfig(config))
 */
import type { Config } from '../config.ts';
import type { AppOptions } from '../http/app.ts';
import { consoleMailer, type Mailer } from '../mail/mailer.ts';
import { smtpMailer } from '../mail/smtp-mailer.ts';
import { OidcClient } from '../security/oidc.ts';
import { addSessionKey } from '../services/sessions.ts';
import { openDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';

export function appOptionsFromConfig(config: Config): AppOptions {
  return {
    corsOrigins: config.corsOrigins,
    apiKeyRateLimitPerSecond: config.apiKeyRateLimitPerSecond,
    trustProxy: config.trustProxy,
    oidc: config.oidc ? new OidcClient(config.oidc) : null,
  };
}

export function mailerFromConfig(config: Config): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : consoleMailer();
}

/**
 * `equipoise keys rotate`: adds a session signing key, which signs every session from now on; sessions
 * signed with older keys keep working until they expire, after which the old keys are dropped.
 */
export async function keysRotateCommand(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const id = await addSessionKey(database.db, new Date());
    console.log(`Session signing key ${id} added; it signs new sessions from now on.`);
  } finally {
    await database.close();
  }
}
