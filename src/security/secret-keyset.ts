/**
 * Encryption at rest for warehouse credentials: AES-256-GCM under a keyset that rotates. The newest key
 * encrypts; every key still decrypts, so a rotation is "prepend a key, restart", with old rows readable
 * until they are rewritten. Each ciphertext carries its key id and is bound by associated data to the row
 * it belongs to (e.g. `datasource:ds_x:credentials`), so a ciphertext copied onto another row fails to
 * decrypt instead of handing that row someone else's password.
 *
 * Serialized form: `eqs1.<key id>.<base64url(12-byte IV ‖ ciphertext ‖ 16-byte tag)>`.
 *
 * @example
 *   const keyset = parseSecretKeyset('k2:' + key2b64 + ',k1:' + key1b64);
 *   const stored = keyset.encrypt('hunter2', 'datasource:ds_1:credentials');
 *   keyset.decrypt(stored, 'datasource:ds_1:credentials'); // 'hunter2'
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'eqs1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export class SecretKeysetError extends Error {
  override name = 'SecretKeysetError';
}

/** A ciphertext that does not decrypt: wrong key, wrong row, or tampered. Never says more. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

export class SecretKeyset {
  private readonly byId: ReadonlyMap<string, Buffer>;

  /** `keys[0]` is the newest and encrypts; all of them decrypt. */
  constructor(readonly keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new SecretKeysetError('A secret keyset needs at least one key.');
    for (const k of keys) {
      if (!KEY_ID_PATTERN.test(k.id)) throw new SecretKeysetError(`Secret key id '${k.id}' must be 1-32 letters, digits, '-' or '_'.`);
      if (k.key.length !== KEY_BYTES) throw new SecretKeysetError(`Secret key '${k.id}' must be ${KEY_BYTES} bytes (base64 of 32 random bytes).`);
    }
    if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new SecretKeysetError('Secret key ids must be unique.');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key new secrets are written with. */
  get currentKeyId(): string {
    return (this.keys[0] as SecretKey).id;
  }

  encrypt(plaintext: string, associatedData: string): string {
    const { id, key } = this.keys[0] as SecretKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}.${id}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  decrypt(serialized: string, associatedData: string): string {
    const [prefix, id, payload, ...rest] = serialized.split('.');
    if (prefix !== PREFIX || id === undefined || payload === undefined || rest.length > 0) {
      throw new SecretDecryptionError('The stored secret is not in a known format.');
    }
    const key = this.byId.get(id);
    if (!key) throw new SecretDecryptionError(`The stored secret was written with key '${id}', which is not in the keyset.`);
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError('The stored secret is truncated.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('The stored secret does not decrypt for this row (wrong key, wrong row or tampered).');
    }
  }

  /** Whether `serialized` was written with an older key and should be re-encrypted. */
  needsRotation(serialized: string): boolean {
    return serialized.split('.')[1] !== this.currentKeyId;
  }
}

/** A fresh key in the keyset text format, e.g. for `EQUIPOISE_SECRET_KEYS`. */
export function generateSecretKeyText(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * Parses `id:base64key[,id:base64key…]`, newest first. Errors name the problem, never a key.
 *
 * @example parseSecretKeyset('k1:' + randomBytes(32).toString('base64')).currentKeyId // 'k1'
 */
export function parseSecretKeyset(text: string): SecretKeyset {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const keys = entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new SecretKeysetError(`Secret key ${i + 1} must look like 'id:base64key'.`);
    return { id: entry.slice(0, colon), key: Buffer.from(entry.slice(colon + 1), 'base64') };
  });
  return new SecretKeyset(keys);
}
