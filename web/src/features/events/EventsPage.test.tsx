/**
 * Recent events: choosing a type starts again at page 1 and goes into the address; details mask credentials
 * even if the server sent one; Resend is offered for webhook.sent only and warns about duplicates.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, ORG, renderScreen } from '../webhooks/test-support.tsx';
import type { EventSummary } from './api.ts';
import { EventsPage } from './EventsPage.tsx';

afterEach(() => vi.unstubAllGlobals());

const sent: EventSummary = {
  id: 'evt_sent',
  created_at: '2026-03-01T12:00:00Z',
  type: 'webhook.sent',
  summary: 'Sent POST to https://backend.example.org/hooks (failed)',
  link: null,
  status_icon: 'failure',
  details: {
    type: 'webhook.sent',
    webhook_id: 'wh_1',
    message_id: 'msg_1',
    success: false,
    status_code: 500,
    error_class: 'http_status',
    latency_ms: 12,
    attempt: 2,
    // As an older server might have stored it: the UI must not show these.
    request: { url: 'https://backend.example.org/hooks', headers: { 'Webhook-Token': 'deadbeefdeadbeef', 'webhook-signature': 'v1,c2ln' } },
    response: 'status=500 message=bad Bearer deadbeefdeadbeef',
  },
};
const created: EventSummary = {
  id: 'evt_created',
  created_at: '2026-03-01T11:00:00Z',
  type: 'experiment.created',
  summary: 'Created experiment exp_1',
  link: '/datasources/ds_1/experiments/exp_1',
  status_icon: 'info',
  details: { type: 'experiment.created', experiment_id: 'exp_1', datasource_id: 'ds_1' },
};

describe('EventsPage', () => {
  it('starts again at page 1 when the type changes, and keeps the type in the address', async () => {
    const { user, sent: requests, router } = renderScreen(<EventsPage />, (req) =>
      json(req.url.includes('page_token=') ? { items: [created], next_page_token: '' } : { items: [sent], next_page_token: 'tok2' }),
    );
    await screen.findByText(sent.summary);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByText('Page 2');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Event type' }), 'webhook.sent');
    await screen.findByText('Page 1');
    await vi.waitFor(() => expect(requests.at(-1)?.url).toBe(`/v1/m/organizations/${ORG}/events?page_size=20&type=webhook.sent`));
    expect(router.state.location.search).toBe('?type=webhook.sent');
    expect(requests.map((r) => r.url)).toContain(`/v1/m/organizations/${ORG}/events?page_size=20&page_token=tok2`);
  });

  it('shows details with credentials masked, links, and a resend that warns about duplicates', async () => {
    const { user, sent: requests } = renderScreen(<EventsPage />, (req) =>
      req.url.endsWith('/resend') ? new Response(null, { status: 204 }) : json({ items: [sent, created], next_page_token: '' }),
    );
    const rows = await screen.findAllByRole('row');
    const createdRow = rows.find((r) => r.textContent?.includes('Created experiment exp_1'))!;
    expect(within(createdRow).queryByRole('button', { name: /^Resend/ })).toBeNull();
    expect(within(createdRow).getByRole('link', { name: 'Experiment' }).getAttribute('href')).toBe('/datasources/ds_1/experiments/exp_1');

    await user.click(screen.getByRole('button', { name: `Details of ${sent.summary}` }));
    const dialog = screen.getByRole('dialog', { name: 'Event details' });
    const shown = within(dialog).getByLabelText('event JSON').textContent ?? '';
    expect(shown).not.toContain('deadbeef');
    expect(shown).not.toContain('c2ln');
    expect(JSON.parse(shown).request.headers).toEqual({ 'Webhook-Token': '***', 'webhook-signature': '***' });
    expect(within(dialog).getByText(/Failed · HTTP 500 · 12 ms · attempt 2/)).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Open the webhook' }).getAttribute('href')).toBe('/webhooks/wh_1');

    await user.click(within(dialog).getByRole('button', { name: 'Resend…' }));
    const confirm = screen.getByRole('dialog', { name: 'Resend this delivery?' });
    expect(within(confirm).getByText('The receiver may process it twice')).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Resend' }));
    await vi.waitFor(() => expect(requests.some((r) => r.method === 'POST' && r.url === `/v1/m/organizations/${ORG}/events/evt_sent/resend`)).toBe(true));
  });
});
