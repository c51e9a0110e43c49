/**
 * Identifiers as the reference API shapes them: `<prefix>_<16 characters of [0-9A-Za-z]>`, drawn from a
 * CSPRNG. Prefixes are part of the public contract (clients log and compare them), so they live here once.
 */
import { randomInt } from 'node:crypto';

export const ID_PREFIX = Object.freeze({
  organization: 'o',
  user: 'u',
  datasource: 'ds',
  experiment: 'exp',
  arm: 'arm',
  webhook: 'wh',
  event: 'evt',
  task: 'task',
  participantType: 'pt',
} as const);

export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters of [0-9A-Za-z], uniformly distributed (no modulo bias: `randomInt` rejects). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${randomAlphanumeric(16)}`;
}
