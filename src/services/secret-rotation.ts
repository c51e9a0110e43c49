/**
 * Re-encrypts every secret the app database holds (warehouse credentials, webhook signing keys) under the
 * keyset's newest key, so an old key can be retired. Each row is rewritten in its own short transaction under
 * a row lock; a value already under the newest key is left alone, so the operation can be re-run after an
 * interruption.
 */
import type { Kysely } from 'kysely';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { DB } from '../store/schema.ts';
import { credentialAad } from './datasource-dsn.ts';
import { ed25519KeyAad, hmacSecretAad } from './webhook-secrets.ts';

export interface RotationReport {
  readonly reencrypted: number;
  readonly alreadyCurrent: number;
}

/** @example const { reencrypted } = await reencryptSecrets(db, keyset); */
export async function reencryptSecrets(db: Kysely<DB>, keyset: SecretKeyset): Promise<RotationReport> {
  const ids = await db.selectFrom('datasources').select('id').orderBy('id').execute();
  let reencrypted = 0;
  let alreadyCurrent = 0;
  for (const { id } of ids) {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('datasources').select('config').where('id', '=', id).forUpdate().executeTakeFirst();
      const credentials = row?.config.credentials;
      if (typeof credentials !== 'string') return;
      if (!keyset.needsRotation(credentials)) {
        alreadyCurrent++;
        return;
      }
      const aad = credentialAad(id);
      const config = { ...row?.config, credentials: keyset.encrypt(keyset.decrypt(credentials, aad), aad) };
      await trx.updateTable('datasources').set({ config: JSON.stringify(config), updated_at: new Date() }).where('id', '=', id).execute();
      reencrypted++;
    });
  }
  const webhooks = await reencryptWebhookKeys(db, keyset);
  return { reencrypted: reencrypted + webhooks.reencrypted, alreadyCurrent: alreadyCurrent + webhooks.alreadyCurrent };
}

/** Webhook columns holding ciphertext, with the associated data each is bound to. */
const WEBHOOK_SECRET_COLUMNS = [
  ['signing_secret', hmacSecretAad],
  ['previous_signing_secret', hmacSecretAad],
  ['ed25519_private_key', ed25519KeyAad],
] as const;

async function reencryptWebhookKeys(db: Kysely<DB>, keyset: SecretKeyset): Promise<RotationReport> {
  const ids = await db.selectFrom('webhooks').select('id').orderBy('id').execute();
  let reencrypted = 0;
  let alreadyCurrent = 0;
  for (const { id } of ids) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('webhooks')
        .select(['signing_secret', 'previous_signing_secret', 'ed25519_private_key'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return;
      const changes: Partial<Record<(typeof WEBHOOK_SECRET_COLUMNS)[number][0], string>> = {};
      for (const [column, aadOf] of WEBHOOK_SECRET_COLUMNS) {
        const value = row[column];
        if (value === null) continue;
        if (!keyset.needsRotation(value)) {
          alreadyCurrent++;
          continue;
        }
        changes[column] = keyset.encrypt(keyset.decrypt(value, aadOf(id)), aadOf(id));
        reencrypted++;
      }
      if (Object.keys(changes).length > 0) await trx.updateTable('webhooks').set(changes).where('id', '=', id).execute();
    });
  }
  return { reencrypted, alreadyCurrent };
}
