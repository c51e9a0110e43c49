/** The create-key form: scopes required, expiry at the end of the chosen day, a rate limit in range. */
import { describe, expect, it } from 'vitest';
import { BLANK_KEY_FORM, keyRequest } from './api-key-form.ts';

describe('keyRequest', () => {
  const now = new Date(2026, 10, 24, 15, 0, 0);

  it('sends the name, both scopes by default, and nothing for the defaults', () => {
    expect(keyRequest({ ...BLANK_KEY_FORM, name: '  checkout ' }, now)).toEqual({ body: { name: 'checkout', scopes: ['read', 'assign'] } });
  });

  it('ends an expiry at the end of the chosen local day, and refuses past days', () => {
    const r = keyRequest({ ...BLANK_KEY_FORM, expires: 'date', expiryDate: '2026-11-24' }, now);
    expect('body' in r && new Date(r.body['expires_at'] as string).getTime()).toBe(new Date(2026, 10, 24, 23, 59, 59).getTime());
    expect(keyRequest({ ...BLANK_KEY_FORM, expires: 'date', expiryDate: '2026-11-23' }, now)).toEqual({ errors: { expires_at: 'The date must be today or later.' } });
    expect(keyRequest({ ...BLANK_KEY_FORM, expires: 'date', expiryDate: '' }, now)).toEqual({ errors: { expires_at: 'Choose the last day the key works.' } });
  });

  it('needs a scope and a sensible rate limit', () => {
    expect(keyRequest({ ...BLANK_KEY_FORM, read: false, assign: false, rateLimit: '2.5' }, now)).toEqual({
      errors: { scopes: 'Choose at least one scope.', rate_limit_per_second: 'A whole number from 1 to 100,000, or blank for the server default.' },
    });
    expect(keyRequest({ ...BLANK_KEY_FORM, assign: false, rateLimit: '250' }, now)).toEqual({ body: { scopes: ['read'], rate_limit_per_second: 250 } });
  });
});
