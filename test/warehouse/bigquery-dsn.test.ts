/**
 * The BigQuery dsn (spec §1.6) and its secret: validated on the way in, the service-account JSON
 * encrypted at rest under the datasource-bound AAD, shown as `{"type": "hidden"}`, kept by a hidden
 * update only when the stored driver is BigQuery too, and decrypted only into the engine's config.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { parseSecretKeyset } from '../../src/security/secret-keyset.ts';
import {
  credentialAad,
  decryptedConfig,
  DsnSchema,
  hiddenCredentialProblem,
  publicDsn,
  revealsCredential,
  toStoredConfig,
  type Dsn,
  type StoredConfig,
} from '../../src/services/datasource-dsn.ts';

const keyset = parseSecretKeyset(`k1:${randomBytes(32).toString('base64')}`);
const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CONTENT = JSON.stringify({
  type: 'service_account',
  project_id: 'equipoise-test',
  private_key_id: 'kid-1',
  private_key: PEM,
  client_email: 'reader@equipoise-test.iam.gserviceaccount.com',
});

const dsn = (overrides: Record<string, unknown> = {}) => ({
  type: 'bigquery',
  project_id: 'equipoise-test',
  dataset_id: 'analytics_1',
  credentials: { type: 'serviceaccountinfo', content: CONTENT },
  ...overrides,
});

describe('BigQuery dsn', () => {
  it('accepts the spec shape, with optional limits', () => {
    const parsed = DsnSchema.parse(dsn({ statement_timeout_ms: 30_000 }));
    expect(parsed).toEqual({ ...dsn(), statement_timeout_ms: 30_000 });
    expect(DsnSchema.parse(dsn({ credentials: { type: 'hidden' } })).type).toBe('bigquery');
  });

  it('refuses bad project and dataset ids, unknown fields and unusable keys, without echoing the key', () => {
    for (const bad of [
      dsn({ project_id: 'short' }),
      dsn({ project_id: 'Upper-Case-1' }),
      dsn({ project_id: 'a'.repeat(31) }),
      dsn({ dataset_id: 'a-b' }),
      dsn({ dataset_id: '' }),
      dsn({ host: 'example.com' }),
      dsn({ credentials: { type: 'serviceaccountinfo', content: 'x'.repeat(8001) } }),
      dsn({ credentials: { type: 'revealed', value: CONTENT } }),
    ]) {
      expect(DsnSchema.safeParse(bad).success).toBe(false);
    }
    const external = DsnSchema.safeParse(dsn({ credentials: { type: 'serviceaccountinfo', content: JSON.stringify({ type: 'external_account', private_key: 'SEKRIT' }) } }));
    expect(external.success).toBe(false);
    const issues = JSON.stringify(external.error?.issues);
    expect(issues).toContain('\\"type\\": \\"service_account\\"');
    expect(issues).not.toContain('SEKRIT');
  });

  it('encrypts the service-account JSON bound to the datasource id, and shows it hidden', () => {
    const stored = toStoredConfig(DsnSchema.parse(dsn()), 'ds_1', keyset, undefined);
    expect(stored).toEqual({ driver: 'bigquery', project_id: 'equipoise-test', dataset_id: 'analytics_1', credentials: expect.stringMatching(/^eqs1\.k1\./) });
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect(keyset.decrypt(stored['credentials'] as string, credentialAad('ds_1'))).toBe(CONTENT);
    expect(() => keyset.decrypt(stored['credentials'] as string, credentialAad('ds_2'))).toThrow();
    expect(publicDsn(stored)).toEqual({ type: 'bigquery', project_id: 'equipoise-test', dataset_id: 'analytics_1', credentials: { type: 'hidden' } });
  });

  it('decrypts into the config the engine opens with', () => {
    const stored = toStoredConfig(DsnSchema.parse(dsn({ max_rows: 10 })), 'ds_1', keyset, undefined);
    expect(decryptedConfig(stored, 'ds_1', keyset)).toEqual({
      driver: 'bigquery',
      project_id: 'equipoise-test',
      dataset_id: 'analytics_1',
      max_rows: 10,
      service_account_json: CONTENT,
    });
  });

  it('hidden credentials: refused on create, kept on update of a BigQuery datasource, refused across drivers', () => {
    const hidden = DsnSchema.parse(dsn({ credentials: { type: 'hidden' }, dataset_id: 'other' })) as Dsn;
    expect(revealsCredential(hidden)).toBe(false);
    expect(revealsCredential(DsnSchema.parse(dsn()))).toBe(true);
    expect(hiddenCredentialProblem(hidden, undefined)).toBe('Credentials must be revealed when a datasource is created.');

    const existing = toStoredConfig(DsnSchema.parse(dsn()), 'ds_1', keyset, undefined);
    expect(hiddenCredentialProblem(hidden, existing)).toBeNull();
    const updated = toStoredConfig(hidden, 'ds_1', null, existing);
    expect(updated).toEqual({ ...existing, dataset_id: 'other' });

    const postgres: StoredConfig = { driver: 'postgres', host: 'db.example.com', port: 5432, user: 'u', dbname: 'd', credentials: 'eqs1.k1.x' };
    expect(hiddenCredentialProblem(hidden, postgres)).toBe(
      'A hidden credential can only keep the stored one when the driver is unchanged; send the service-account credentials revealed.',
    );
    const hiddenPostgres = DsnSchema.parse({ type: 'postgres', host: 'db.example.com', port: 5432, user: 'u', password: { type: 'hidden' }, dbname: 'd' });
    expect(hiddenCredentialProblem(hiddenPostgres, existing)).toBe(
      'A hidden credential can only keep the stored one when the driver is unchanged; send the password revealed.',
    );
  });

  it('answers 400 naming the setting when there is no keyset to encrypt with', () => {
    const error = (() => {
      try {
        toStoredConfig(DsnSchema.parse(dsn()), 'ds_1', null, undefined);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_request');
    expect((error as Error).message).toMatch(/EQUIPOISE_SECRET_KEYS/);
  });
});
