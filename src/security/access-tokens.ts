/**
 * Bearer tokens for the admin API (`xa_...`). The token itself is shown once; the database holds a SHA-256
 * of it, so a leaked database does not leak working tokens.
 */
import { createHash } from 'node:crypto';
import { randomAlphanumeric } from '../domain/ids.ts';

export function generateAccessToken(): { token: string; hash: string } {
  const token = `xa_${randomAlphanumeric(40)}`;
  return { token, hash: hashAccessToken(token) };
}

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(`equipoise.access-token.v1:${token}`).digest('hex');
}
