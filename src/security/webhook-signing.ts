/**
 * Standard Webhooks signatures for outbound deliveries. The signed content is
 * `<webhook-id>.<webhook-timestamp>.<raw body>`; `v1,` is base64 HMAC-SHA256 under the endpoint's
 * `whsec_` secret (base64 of 32 random bytes after the prefix), `v1a,` is base64 Ed25519 under the
 * endpoint's `whsk_` key (base64 of the 32-byte seed followed by the 32-byte public key, the usual
 * "secret key" layout), whose public half is published as `whpk_` + base64 of the raw 32 bytes.
 * `webhook-signature` carries several space-separated signatures while a rotated secret overlaps.
 *
 * @example
 *   const secret = generateSigningSecret();
 *   const headers = signatureHeaders({ hmacSecrets: [secret], ed25519Keys: [] }, 'msg_1', new Date(), '{"a":1}');
 *   headers['webhook-signature']; // 'v1,K5oZ…'
 */
import { createHmac, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export const SIGNING_SECRET_PREFIX = 'whsec_';
export const ED25519_SECRET_PREFIX = 'whsk_';
export const ED25519_PUBLIC_PREFIX = 'whpk_';
const SECRET_BYTES = 32;

export function generateSigningSecret(): string {
  return SIGNING_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

export interface Ed25519KeyPair {
  readonly secretKey: string;
  readonly publicKey: string;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  return {
    secretKey: ED25519_SECRET_PREFIX + Buffer.concat([seed, pub]).toString('base64'),
    publicKey: ED25519_PUBLIC_PREFIX + pub.toString('base64'),
  };
}

function hmacKey(secret: string): Buffer {
  const text = secret.startsWith(SIGNING_SECRET_PREFIX) ? secret.slice(SIGNING_SECRET_PREFIX.length) : secret;
  return Buffer.from(text, 'base64');
}

function ed25519PrivateKey(secretKey: string): KeyObject {
  const raw = Buffer.from(secretKey.slice(ED25519_SECRET_PREFIX.length), 'base64');
  if (!secretKey.startsWith(ED25519_SECRET_PREFIX) || raw.length !== 64) throw new Error('not a whsk_ Ed25519 secret key');
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: raw.subarray(0, 32).toString('base64url'), x: raw.subarray(32).toString('base64url') },
    format: 'jwk',
  });
}

function signedContent(messageId: string, timestampSeconds: number, body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${messageId}.${timestampSeconds}.`, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** `v1,<base64 HMAC-SHA256>` of the signed content. */
export function signV1(secret: string, messageId: string, timestampSeconds: number, body: string | Buffer): string {
  return `v1,${createHmac('sha256', hmacKey(secret)).update(signedContent(messageId, timestampSeconds, body)).digest('base64')}`;
}

/** `v1a,<base64 Ed25519 signature>` of the signed content. */
export function signV1a(secretKey: string, messageId: string, timestampSeconds: number, body: string | Buffer): string {
  return `v1a,${sign(null, signedContent(messageId, timestampSeconds, body), ed25519PrivateKey(secretKey)).toString('base64')}`;
}

export interface SigningKeys {
  /** Current secret first, then any still inside its overlap window. */
  readonly hmacSecrets: readonly string[];
  readonly ed25519Keys: readonly string[];
}

/** The three Standard Webhooks headers for one attempt. */
export function signatureHeaders(keys: SigningKeys, messageId: string, at: Date, body: string | Buffer): Record<string, string> {
  if (messageId.includes('.')) throw new Error('a webhook-id must not contain "."');
  const timestamp = Math.floor(at.getTime() / 1000);
  const signatures = [
    ...keys.hmacSecrets.map((s) => signV1(s, messageId, timestamp, body)),
    ...keys.ed25519Keys.map((k) => signV1a(k, messageId, timestamp, body)),
  ];
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    ...(signatures.length > 0 ? { 'webhook-signature': signatures.join(' ') } : {}),
  };
}
