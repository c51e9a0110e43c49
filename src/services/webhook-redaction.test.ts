import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redactSecrets } from './webhook-redaction.ts';

describe('redactSecrets', () => {
  it('masks credential-named keys at any depth and keeps everything else', () => {
    const input = {
      type: 'webhook.sent',
      webhook_id: 'wh_1',
      request: {
        headers: { 'Webhook-Token': 'abc', Authorization: 'Bearer abc', 'webhook-signature': 'v1,xyz', 'webhook-id': 'msg_1', 'X-API-Key': 'k' },
        body: { data: [{ signing_secret: 'whsec_q', password: 'p', name: 'kept' }] },
      },
      auth_token: null,
      api_key: '',
      count: 3,
    };
    expect(redactSecrets(input)).toEqual({
      type: 'webhook.sent',
      webhook_id: 'wh_1',
      request: {
        headers: { 'Webhook-Token': '***', Authorization: '***', 'webhook-signature': '***', 'webhook-id': 'msg_1', 'X-API-Key': '***' },
        body: { data: [{ signing_secret: '***', password: '***', name: 'kept' }] },
      },
      auth_token: null,
      api_key: '',
      count: 3,
    });
    expect(input.request.headers['Webhook-Token']).toBe('abc');
  });

  it('masks credential-shaped text inside other strings', () => {
    expect(redactSecrets('echo whsec_AbC+/= and xat_k-1 and xa_k1.e30.sig, Bearer 0123abcd')).toBe('echo whsec_*** and xat_*** and xa_***, Bearer ***');
    expect(redactSecrets('hexa_decimal max_value')).toBe('hexa_decimal max_value');
  });

  it('recognises the usual credential names and not ids', () => {
    for (const k of ['token', 'auth_token', 'Webhook-Token', 'secret', 'previous_secret', 'signature', 'authorization', 'apikey', 'api-key', 'private_key', 'Cookie', 'password']) {
      expect(isSensitiveKey(k), k).toBe(true);
    }
    for (const k of ['webhook_id', 'message_id', 'task_id', 'url', 'response', 'error_class', 'type']) expect(isSensitiveKey(k), k).toBe(false);
  });
});
