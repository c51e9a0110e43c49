import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKeyset, SECRET_KEYS_FILE } from './secret-keyset-file.ts';
import { parseSecretKeyset, SecretDecryptionError, SecretKeysetError } from './secret-keyset.ts';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('SecretKeyset', () => {
  it('round-trips and never contains the plaintext', () => {
    const keyset = parseSecretKeyset(key('k1'));
    const stored = keyset.encrypt('hunter2', 'datasource:ds_1:credentials');
    expect(stored).toMatch(/^eqs1\.k1\./);
    expect(stored).not.toContain('hunter2');
    expect(keyset.decrypt(stored, 'datasource:ds_1:credentials')).toBe('hunter2');
    expect(keyset.encrypt('hunter2', 'x')).not.toBe(keyset.encrypt('hunter2', 'x'));
  });

  it('binds a ciphertext to its row: another row cannot decrypt it', () => {
    const keyset = parseSecretKeyset(key('k1'));
    const stored = keyset.encrypt('hunter2', 'datasource:ds_1:credentials');
    expect(() => keyset.decrypt(stored, 'datasource:ds_2:credentials')).toThrow(SecretDecryptionError);
  });

  it('detects tampering', () => {
    const keyset = parseSecretKeyset(key('k1'));
    const stored = keyset.encrypt('hunter2', 'a');
    const last = stored.at(-2) === 'A' ? 'B' : 'A';
    expect(() => keyset.decrypt(`${stored.slice(0, -2)}${last}${stored.at(-1)}`, 'a')).toThrow(SecretDecryptionError);
  });

  it('rotates: the newest key encrypts, old keys still decrypt, a dropped key does not', () => {
    const k1 = key('k1');
    const old = parseSecretKeyset(k1).encrypt('pw', 'a');
    const rotated = parseSecretKeyset(`${key('k2')},${k1}`);
    expect(rotated.decrypt(old, 'a')).toBe('pw');
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt('pw', 'a');
    expect(fresh).toMatch(/^eqs1\.k2\./);
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(() => parseSecretKeyset(key('k2')).decrypt(old, 'a')).toThrow(/key 'k1', which is not in the keyset/);
  });

  it('rejects malformed keysets without echoing key material', () => {
    expect(() => parseSecretKeyset('')).toThrow(SecretKeysetError);
    expect(() => parseSecretKeyset('nocolon')).toThrow(/id:base64key/);
    expect(() => parseSecretKeyset('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseSecretKeyset(`${key('k1')},${key('k1')}`)).toThrow(/unique/);
    const err = (() => {
      try {
        parseSecretKeyset('k1:c2VjcmV0LXZhbHVl');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).not.toContain('c2VjcmV0LXZhbHVl');
  });
});

describe('loadSecretKeyset', () => {
  it('generates the embedded key on first start with mode 600 and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-keys-'));
    try {
      const first = loadSecretKeyset({ fromEnv: undefined, dataDir: dir, embedded: true });
      const file = path.join(dir, SECRET_KEYS_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const stored = first?.encrypt('pw', 'a') ?? '';
      const again = loadSecretKeyset({ fromEnv: undefined, dataDir: dir, embedded: true });
      expect(again?.decrypt(stored, 'a')).toBe('pw');
      fs.chmodSync(file, 0o644);
      expect(() => loadSecretKeyset({ fromEnv: undefined, dataDir: dir, embedded: true })).toThrow(/chmod 600/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the environment first, and has none for a shared database without it', () => {
    expect(loadSecretKeyset({ fromEnv: key('env1'), dataDir: '/nonexistent', embedded: false })?.currentKeyId).toBe('env1');
    expect(loadSecretKeyset({ fromEnv: undefined, dataDir: '/nonexistent', embedded: false })).toBeNull();
  });
});
