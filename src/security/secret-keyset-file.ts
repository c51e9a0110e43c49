/**
 * Where the keyset comes from. With the embedded database the key is generated on first start into the
 * data directory (`secret-keys`, mode 600), next to the database it protects; with `DATABASE_URL` it must
 * come from `EQUIPOISE_SECRET_KEYS`, because several processes share the database and a key file on one
 * machine would lock the others out.
 *
 * @example const keyset = loadSecretKeyset({ fromEnv: process.env.EQUIPOISE_SECRET_KEYS, dataDir: '.data', embedded: true });
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateSecretKeyText, parseSecretKeyset, SecretKeysetError, type SecretKeyset } from './secret-keyset.ts';

export const SECRET_KEYS_ENV = 'EQUIPOISE_SECRET_KEYS';
export const SECRET_KEYS_FILE = 'secret-keys';
const OWNER_ONLY = 0o600;

export interface LoadSecretKeysetOptions {
  /** The value of `EQUIPOISE_SECRET_KEYS`, if set. */
  readonly fromEnv: string | undefined;
  readonly dataDir: string;
  /** True for the embedded default (no DATABASE_URL). */
  readonly embedded: boolean;
}

/** The keyset, or null when a shared database runs without one (the caller decides whether that may start). */
export function loadSecretKeyset(o: LoadSecretKeysetOptions): SecretKeyset | null {
  if (o.fromEnv !== undefined && o.fromEnv.trim() !== '') return parseSecretKeyset(o.fromEnv);
  if (!o.embedded) return null;
  const file = path.join(o.dataDir, SECRET_KEYS_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(o.dataDir, { recursive: true });
    // 'wx' fails if another process created it in between; then we read theirs.
    try {
      fs.writeFileSync(file, `${generateSecretKeyText('k1')}\n`, { mode: OWNER_ONLY, flag: 'wx' });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretKeysetError(`${file} must be readable by its owner only (chmod 600); it is ${mode.toString(8)}.`);
  }
  return parseSecretKeyset(fs.readFileSync(file, 'utf8').replaceAll('\n', ','));
}

/**
 * Puts a fresh key first in the data directory's key file (embedded default only) and returns the new
 * keyset. The file is replaced atomically, so a crash leaves either the old or the new file, never half.
 */
export function addSecretKeyToFile(dataDir: string): SecretKeyset {
  const file = path.join(dataDir, SECRET_KEYS_FILE);
  const current = loadSecretKeyset({ fromEnv: undefined, dataDir, embedded: true });
  const ids = new Set(current?.keys.map((k) => k.id));
  let n = ids.size + 1;
  while (ids.has(`k${n}`)) n++;
  const lines = [generateSecretKeyText(`k${n}`), ...fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')];
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: OWNER_ONLY, flag: 'wx' });
  fs.renameSync(tmp, file);
  return parseSecretKeyset(lines.join(','));
}
