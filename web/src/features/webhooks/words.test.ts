import { describe, expect, it } from 'vitest';
import { replaySince } from './DeliveryLog.tsx';
import { attemptFailure, attemptOutcome, disabledReason } from './words.ts';

describe('delivery words', () => {
  it('says nothing went wrong for a success, and what to do for each failure class', () => {
    expect(attemptFailure({ success: true, status_code: 200, error_class: null })).toBeNull();
    expect(attemptFailure({ success: false, status_code: 500, error_class: 'http_status' })).toBe(
      "The receiver answered HTTP 500. Only a 2xx answer counts as delivered; check the receiver's log.",
    );
    expect(attemptFailure({ success: false, status_code: 301, error_class: 'redirect' })).toMatch(/Redirects are not followed/);
    expect(attemptFailure({ success: false, status_code: null, error_class: 'timeout' })).toMatch(/did not answer in time/);
    expect(attemptFailure({ success: false, status_code: null, error_class: 'endpoint_disabled' })).toMatch(/Enable it, then replay/);
    expect(attemptFailure({ success: false, status_code: null, error_class: 'something_new' })).toBe('Failed.');
  });

  it('labels outcomes briefly, and says why a webhook is disabled', () => {
    expect(attemptOutcome({ success: true, status_code: 204, error_class: null })).toBe('HTTP 204');
    expect(attemptOutcome({ success: false, status_code: null, error_class: 'connection' })).toBe('No connection');
    expect(attemptOutcome({ success: false, status_code: null, error_class: null })).toBe('Failed');
    expect(disabledReason('gone')).toBe('the receiver answered 410 Gone');
    expect(disabledReason('failing')).toBe('every delivery failed for 5 days');
    expect(disabledReason('manual')).toBe('a member disabled it');
  });
});

describe('replaySince', () => {
  const now = Date.parse('2026-03-08T12:00:00Z');
  it('turns the choices into the start of the window', () => {
    expect(replaySince('24h', '', now)).toBe('2026-03-07T12:00:00.000Z');
    expect(replaySince('7d', '', now)).toBe('2026-03-01T12:00:00.000Z');
    expect(replaySince('30d', '', now)).toBe('2026-02-06T12:00:00.000Z');
  });
  it('reads a chosen local time, and refuses an empty or unreadable one', () => {
    expect(replaySince('custom', '2026-01-02T03:04', now)).toBe(new Date(2026, 0, 2, 3, 4).toISOString());
    expect(replaySince('custom', '', now)).toBeNull();
    expect(replaySince('custom', 'soon', now)).toBeNull();
  });
});
