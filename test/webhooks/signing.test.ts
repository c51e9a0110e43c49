/** Our signatures checked by an independent verifier (test/webhooks/support.ts) and against the published vector. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEd25519KeyPair, generateSigningSecret, signatureHeaders, signV1 } from '../../src/security/webhook-signing.ts';
import { verifyStandardWebhook } from './support.ts';

interface Vector {
  secret: string;
  webhook_id: string;
  webhook_timestamp: number;
  body: string;
  webhook_signature: string;
}
const VECTORS_FILE = path.resolve(import.meta.dirname, '../../../shared/reference/vectors/standard-webhooks-signing.json');
const vectors: Vector[] = fs.existsSync(VECTORS_FILE)
  ? (JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')) as { cases: Vector[] }).cases
  : // The published case, inline so the test runs outside the workspace too.
    [
      {
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        webhook_id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        webhook_timestamp: 1614265330,
        body: '{"test": 2432232314}',
        webhook_signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
    ];

describe('Standard Webhooks signing', () => {
  it.each(vectors)('reproduces the published signature for $webhook_id', (v) => {
    expect(signV1(v.secret, v.webhook_id, v.webhook_timestamp, v.body)).toBe(v.webhook_signature);
    const headers = signatureHeaders({ hmacSecrets: [v.secret], ed25519Keys: [] }, v.webhook_id, new Date(v.webhook_timestamp * 1000), v.body);
    expect(headers).toEqual({ 'webhook-id': v.webhook_id, 'webhook-timestamp': String(v.webhook_timestamp), 'webhook-signature': v.webhook_signature });
    // The independent verifier accepts the vector itself, so it is a faithful reading of the specification.
    expect(verifyStandardWebhook({ headers, body: v.body, nowSeconds: v.webhook_timestamp, secret: v.secret })).toEqual({ ok: true, version: 'v1' });
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const s = generateSigningSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(s);
  });

  it('signs with HMAC and Ed25519 together, each verifiable on its own', () => {
    const secret = generateSigningSecret();
    const keys = generateEd25519KeyPair();
    expect(keys.publicKey).toMatch(/^whpk_/);
    expect(keys.secretKey).toMatch(/^whsk_/);
    const at = new Date('2030-01-01T00:00:00Z');
    const body = '{"type":"webhook.test","data":{"é":"ü"}}';
    const headers = signatureHeaders({ hmacSecrets: [secret], ed25519Keys: [keys.secretKey] }, 'msg_abc', at, body);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
    const now = at.getTime() / 1000;
    expect(verifyStandardWebhook({ headers, body, nowSeconds: now, secret })).toEqual({ ok: true, version: 'v1' });
    expect(verifyStandardWebhook({ headers, body, nowSeconds: now, publicKey: keys.publicKey })).toEqual({ ok: true, version: 'v1a' });
    // Tampering, a wrong key and a stale timestamp are all refused.
    expect(verifyStandardWebhook({ headers, body: body.replace('ü', 'u'), nowSeconds: now, secret }).ok).toBe(false);
    expect(verifyStandardWebhook({ headers, body, nowSeconds: now, secret: generateSigningSecret() }).ok).toBe(false);
    expect(verifyStandardWebhook({ headers, body, nowSeconds: now, publicKey: generateEd25519KeyPair().publicKey }).ok).toBe(false);
    expect(verifyStandardWebhook({ headers, body, nowSeconds: now + 301, secret }).ok).toBe(false);
  });

  it('refuses a webhook-id with a dot, which would make the signed content ambiguous', () => {
    expect(() => signatureHeaders({ hmacSecrets: [generateSigningSecret()], ed25519Keys: [] }, 'msg.1', new Date(), '{}')).toThrow(/must not contain/);
  });
});
