import { describe, expect, it } from 'vitest';
import { InvalidPageTokenError, PAGE_TOKEN_MAX_AGE_MS, decodePageToken, encodePageToken } from './page-token.ts';

describe('page tokens', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it('round-trips the sort key', () => {
    const token = encodePageToken(['2026-11-24T11:00:00.123Z', 'evt_x'], now);
    expect(decodePageToken(token, 2, now)).toEqual(['2026-11-24T11:00:00.123Z', 'evt_x']);
  });
  it('refuses malformed, wrong-length and stale tokens', () => {
    expect(() => decodePageToken('not-json', 2, now)).toThrow(InvalidPageTokenError);
    expect(() => decodePageToken(encodePageToken(['a'], now), 2, now)).toThrow(InvalidPageTokenError);
    const old = encodePageToken(['a', 'b'], new Date(now.getTime() - PAGE_TOKEN_MAX_AGE_MS - 1000));
    expect(() => decodePageToken(old, 2, now)).toThrow('Invalid page_token.');
  });
});
