/**
 * The delivery log pages backwards by the last attempt's id (`before`), offers Next only when the server
 * says there is more, and replays with a confirmation that shows the server's refusal in words.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Attempt, Webhook } from './api.ts';
import { DeliveryLog } from './DeliveryLog.tsx';
import { json, ORG, renderScreen } from './test-support.tsx';

afterEach(() => vi.unstubAllGlobals());

const webhook: Webhook = {
  id: 'wh_1',
  type: 'experiment.created',
  direction: 'outbound',
  name: 'Backend',
  url: 'https://backend.example.org/hooks',
  event_types: ['webhook.test'],
  enabled: true,
  disabled_at: null,
  disabled_reason: null,
  public_key: null,
  previous_secret_expires_at: null,
};

function attempt(id: number, success: boolean): Attempt {
  return {
    id: String(id),
    delivery_id: `whd_${id}`,
    message_id: `msg_${id}`,
    webhook_id: 'wh_1',
    event_type: 'webhook.test',
    attempt: 1,
    attempted_at: new Date(Date.UTC(2026, 2, 1, 12, 0, id)).toISOString(),
    success,
    status_code: success ? 200 : 503,
    latency_ms: 10 + id,
    error_class: success ? null : 'http_status',
    response_body: success ? 'ok' : 'busy',
  };
}

describe('DeliveryLog', () => {
  it('pages by the last id seen and comes back with Previous', async () => {
    const newest = Array.from({ length: 20 }, (_, i) => attempt(45 - i, i !== 3));
    const older = [attempt(25, true), attempt(24, false)];
    const { user, sent } = renderScreen(<DeliveryLog webhook={webhook} />, (req) =>
      req.url.includes('before=26') ? json({ items: older, has_more: false }) : json({ items: newest, has_more: true }),
    );
    const table = await screen.findByRole('table', { name: 'Delivery attempts, newest first' });
    expect(within(table).getAllByRole('row')).toHaveLength(21);
    expect(within(table).getByText('The receiver answered HTTP 503. Only a 2xx answer counts as delivered; check the receiver\'s log.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByText('Page 2');
    await vi.waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(3));
    expect(sent.map((r) => r.url)).toEqual([`/v1/m/organizations/${ORG}/webhooks/wh_1/attempts?limit=20`, `/v1/m/organizations/${ORG}/webhooks/wh_1/attempts?limit=20&before=26`]);
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: '← Previous' }));
    await vi.waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(21));
  });

  it('shows the server\'s refusal of a replay inside the confirmation', async () => {
    const { user } = renderScreen(<DeliveryLog webhook={webhook} />, (req) =>
      req.url.endsWith('/replay')
        ? json({ detail: 'This message is still being delivered to this webhook.' }, 409)
        : json({ items: req.url.includes('attempts') ? [attempt(1, false)] : [], has_more: false }),
    );
    const row = (await screen.findAllByRole('row'))[1]!;
    await user.click(within(row).getByRole('button', { name: /^Replay/ }));
    const dialog = screen.getByRole('dialog', { name: 'Replay this message?' });
    expect(within(dialog).getByText('msg_1')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Replay message' }));
    await within(dialog).findByText('This message is still being delivered to this webhook.');
  });
});
