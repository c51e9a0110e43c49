/**
 * Opaque cursors for "newest first" listings (AIP-158 style, as the reference): base64url of
 * `{"c": <unix seconds issued>, "k": [<sort key of the last row>...]}`. Tokens older than three days or
 * of the wrong shape are refused, so a stale link fails loudly instead of silently skipping rows.
 */
import { AppError } from './errors.ts';

export const PAGE_TOKEN_MAX_AGE_MS = 3 * 24 * 3600 * 1000;

export class InvalidPageTokenError extends AppError {
  constructor() {
    super('bad_request', 'Invalid page_token.');
  }
}

export function encodePageToken(key: readonly (string | number)[], now: Date): string {
  return Buffer.from(JSON.stringify({ c: Math.floor(now.getTime() / 1000), k: key })).toString('base64url');
}

export function decodePageToken(token: string, keyLength: number, now: Date): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidPageTokenError();
  const { c, k } = parsed as { c?: unknown; k?: unknown };
  if (typeof c !== 'number' || !Array.isArray(k) || k.length !== keyLength) throw new InvalidPageTokenError();
  if (!k.every((v) => typeof v === 'string' || typeof v === 'number')) throw new InvalidPageTokenError();
  if (now.getTime() - c * 1000 > PAGE_TOKEN_MAX_AGE_MS || c * 1000 > now.getTime() + 60_000) throw new InvalidPageTokenError();
  return k as (string | number)[];
}
