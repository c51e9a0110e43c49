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
import { ConfigError } from '../config.ts';
import { addSecretKeyToFile, SECRET_KEYS_ENV } from '../security/secret-keyset-file.ts';
import { generateSecretKeyText } from '../security/secret-keyset.ts';
import { reencryptSecrets } from '../services/secret-rotation.ts';
import { addSessionKey } from '../services/sessions.ts';
import { openDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { secretKeysetFor } from './runtime.ts';

export function appOptionsFromConfig(config: Config): AppOptions {
  return {
    corsOrigins: config.corsOrigins,
    apiKeyRateLimitPerSecond: config.apiKeyRateLimitPerSecond,
    trustProxy: config.trustProxy,
    oidc: config.oidc ? new OidcClient(config.oidc) : null,
    webRoot: config.webRoot,
  };
}

export function mailerFromConfig(config: Config): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : consoleMailer();
}

/**
 * `equipoise keys rotate`: rotates both key sets. Warehouse credentials: on the embedded default a fresh key
 * is put first in the data directory's key file; with DATABASE_URL the operator puts the new key first in
 * EQUIPOISE_SECRET_KEYS (see `equipoise keys generate`). Then every credential is re-encrypted under the
 * newest key, after which older keys may be removed. Sessions: a new signing key signs every session from
 * now on; sessions signed with older keys keep working until they expire, after which the old keys are
 * dropped.
 */
export async function keysRotateCommand(config: Config): Promise<void> {
  const embedded = config.databaseUrl === undefined;
  const keyset = embedded ? addSecretKeyToFile(config.dataDir) : secretKeysetFor(config, { requireSecretKeys: true });
  if (!keyset) throw new ConfigError(`${SECRET_KEYS_ENV} is required with DATABASE_URL.`);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const report = await reencryptSecrets(database.db, keyset);
    console.log(
      `Stored secrets (warehouse credentials, webhook signing keys): ${report.reencrypted} re-encrypted, ${report.alreadyCurrent} already under key '${keyset.currentKeyId}'.` +
        (embedded ? '' : ` Older keys in ${SECRET_KEYS_ENV} can now be removed.`),
    );
    const id = await addSessionKey(database.db, new Date());
    console.log(`Session signing key ${id} added; it signs new sessions from now on.`);
  } finally {
    await database.close();
  }
}

/** `equipoise keys generate`: prints a new key in the `id:base64` form EQUIPOISE_SECRET_KEYS takes. */
export function keysGenerateCommand(id: string): void {
  console.log(generateSecretKeyText(id));
}
