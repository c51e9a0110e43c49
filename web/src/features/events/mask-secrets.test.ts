import { describe, expect, it } from 'vitest';
import { maskSecrets } from './mask-secrets.ts';

describe('maskSecrets', () => {
  it('masks credential-named keys at any depth, in arrays too, and keeps ids, nulls and the original', () => {
    const details = {
      webhook_id: 'wh_1',
      message_id: 'msg_1',
      request: {
        headers: { 'Webhook-Token': 'abc123', authorization: 'Bearer abc123', 'webhook-signature': 'v1,sig', 'webhook-id': 'msg_1', 'x-api-key': 'k' },
        body: { items: [{ client_secret: 's', password: 'p', name: 'kept' }] },
      },
      auth_token: null,
    };
    expect(maskSecrets(details)).toEqual({
      webhook_id: 'wh_1',
      message_id: 'msg_1',
      request: {
        headers: { 'Webhook-Token': '***', authorization: '***', 'webhook-signature': '***', 'webhook-id': 'msg_1', 'x-api-key': '***' },
        body: { items: [{ client_secret: '***', password: '***', name: 'kept' }] },
      },
      auth_token: null,
    });
    expect(details.request.headers['Webhook-Token']).toBe('abc123');
  });

  it('masks credential-shaped text inside other values', () => {
    expect(maskSecrets({ response: 'status=401 message=expected whsec_AAAA/+= or Bearer tok.en-1, got xat_k_1' })).toEqual({
      response: 'status=401 message=expected whsec_*** or Bearer ***, got xat_***',
    });
    expect(maskSecrets(['experiment_id', 42, true, null])).toEqual(['experiment_id', 42, true, null]);
  });
});
