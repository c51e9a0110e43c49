/**
 * Re-encrypts every stored warehouse credential under the keyset's newest key, so an old key can be retired.
 * Each datasource is rewritten in its own short transaction under a row lock; a credential that is already
 * under the newest key is left alone, so the operation can be re-run after an interruption.
 */
import type { Kysely } from 'kysely';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { DB } from '../store/schema.ts';
import { credentialAad } from './datasource-dsn.ts';

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
  return { reencrypted, alreadyCurrent };
}
