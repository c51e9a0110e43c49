/**
 * Datasource API keys in the reference's format, `xat_<6-char id>_<32-char secret>`, so existing clients
 * and their key checks keep working. Only a hash is stored: keys carry ~190 random bits, so a fast
 * unsalted hash is safe and lets us look a key up by its hash with one indexed query.
 */
import { createHash } from 'node:crypto';
import { randomAlphanumeric } from '../domain/ids.ts';

export const API_KEY_PREFIX = 'xat';

export interface GeneratedApiKey {
  readonly id: string;
  readonly key: string;
  readonly hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomAlphanumeric(6);
  const key = `${API_KEY_PREFIX}_${id}_${randomAlphanumeric(32)}`;
  return { id, key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(`equipoise.apikey.v1:${key}`).digest('hex');
}
