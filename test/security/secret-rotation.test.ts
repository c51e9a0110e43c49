/**
 * Key rotation for warehouse credentials: re-encryption moves every credential to the newest key (so older
 * keys can be retired), keeps the plaintext, is idempotent, and `equipoise keys rotate` does it end to end
 * on the embedded default, adding a key to the data directory's key file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.ts';
import { generateSecretKeyText, parseSecretKeyset, type SecretKeyset } from '../../src/security/secret-keyset.ts';
import { loadSecretKeyset, SECRET_KEYS_FILE } from '../../src/security/secret-keyset-file.ts';
import { credentialAad } from '../../src/services/datasource-dsn.ts';
import { reencryptSecrets } from '../../src/services/secret-rotation.ts';
import { hmacSecretAad } from '../../src/services/webhook-secrets.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { startEquipoise } from '../support/processes.ts';

async function insertDatasource(db: TestDatabase['db'], keyset: SecretKeyset, password: string): Promise<string> {
  const orgId = newId('organization');
  const id = newId('datasource');
  await db.insertInto('organizations').values({ id: orgId, name: 'rotation' }).execute();
  const config = { driver: 'postgresql+psycopg', host: 'db.example.org', port: 5432, user: 'u', dbname: 'd', credentials: keyset.encrypt(password, credentialAad(id)) };
  await db.insertInto('datasources').values({ id, organization_id: orgId, name: 'warehouse', driver: 'postgresql+psycopg', config: JSON.stringify(config) }).execute();
  return id;
}

async function storedCredential(db: TestDatabase['db'], id: string): Promise<string> {
  const row = await db.selectFrom('datasources').select('config').where('id', '=', id).executeTakeFirstOrThrow();
  return String(row.config.credentials);
}

describeEachDatabase('re-encrypting credentials under the newest key', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => database?.close());

  it('moves every credential and webhook signing key to the newest key and keeps the plaintext', async () => {
    const oldKey = generateSecretKeyText('k1');
    const before = parseSecretKeyset(oldKey);
    const ids = [await insertDatasource(database.db, before, 's3cret-a'), await insertDatasource(database.db, before, 's3cret-b')];
    const after = parseSecretKeyset(`${generateSecretKeyText('k2')},${oldKey}`);

    const orgId = (await database.db.selectFrom('datasources').select('organization_id').where('id', '=', ids[0] as string).executeTakeFirstOrThrow()).organization_id;
    const webhookId = newId('webhook');
    await database.db
      .insertInto('webhooks')
      .values({ id: webhookId, organization_id: orgId, type: 'experiment.created', url: 'https://example.org/hook', auth_token: null, signing_secret: before.encrypt('whsec_abc', hmacSecretAad(webhookId)) })
      .execute();

    expect(await reencryptSecrets(database.db, after)).toEqual({ reencrypted: 3, alreadyCurrent: 0 });
    const hook = await database.db.selectFrom('webhooks').select('signing_secret').where('id', '=', webhookId).executeTakeFirstOrThrow();
    expect(String(hook.signing_secret).split('.')[1]).toBe('k2');
    const newestOnly = parseSecretKeyset(after.keys.slice(0, 1).map((k) => `${k.id}:${k.key.toString('base64')}`).join(','));
    for (const [i, id] of ids.entries()) {
      const stored = await storedCredential(database.db, id);
      expect(stored.split('.')[1]).toBe('k2');
      expect(newestOnly.decrypt(stored, credentialAad(id))).toBe(i === 0 ? 's3cret-a' : 's3cret-b');
    }
    expect(newestOnly.decrypt(String(hook.signing_secret), hmacSecretAad(webhookId))).toBe('whsec_abc');
    expect(await reencryptSecrets(database.db, after)).toEqual({ reencrypted: 0, alreadyCurrent: 3 });
  });
});

describe('equipoise keys rotate on the embedded default', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-rotate-'));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('adds a key to the key file and re-encrypts stored credentials under it', async () => {
    const first = loadSecretKeyset({ fromEnv: undefined, dataDir, embedded: true });
    if (!first) throw new Error('the embedded default always has a keyset');
    const database = await openDatabase({ dataDir });
    await migrateToLatest(database.db);
    const id = await insertDatasource(database.db, first, 'pa55word');
    await database.close();

    const rotate = startEquipoise(['keys', 'rotate'], { DATA_DIR: dataDir });
    expect(await rotate.exited()).toBe(0);
    expect(rotate.output()).toContain('1 re-encrypted');
    expect(rotate.output()).not.toContain('pa55word');

    const keyFile = path.join(dataDir, SECRET_KEYS_FILE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const rotated = loadSecretKeyset({ fromEnv: undefined, dataDir, embedded: true });
    expect(rotated?.keys).toHaveLength(2);
    expect(rotated?.currentKeyId).not.toBe(first.currentKeyId);

    const reopened = await openDatabase({ dataDir });
    const stored = await storedCredential(reopened.db, id);
    await reopened.close();
    expect(stored.split('.')[1]).toBe(rotated?.currentKeyId);
    expect(rotated?.decrypt(stored, credentialAad(id))).toBe('pa55word');
  });
});
