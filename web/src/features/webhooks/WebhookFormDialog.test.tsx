/**
 * Adding a webhook: mistakes the browser can see are shown without a request, the server's 422 for the URL
 * is shown next to the URL with the input kept, and success turns the dialog into "Webhook created" with
 * the secrets and the receiver's setup.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button } from '../../ui/Button.tsx';
import { useState } from 'react';
import { checkWebhookInput, WebhookFormDialog } from './WebhookFormDialog.tsx';
import { json, ORG, renderScreen } from './test-support.tsx';

afterEach(() => vi.unstubAllGlobals());

function AddButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add webhook</Button>
      <WebhookFormDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}

const created = {
  id: 'wh_new',
  type: 'experiment.created',
  direction: 'outbound',
  name: 'Backend',
  url: 'https://backend.example.org/hooks',
  event_types: ['experiment.created', 'webhook.test'],
  enabled: true,
  disabled_at: null,
  disabled_reason: null,
  public_key: null,
  previous_secret_expires_at: null,
  auth_token: '0123456789abcdef0123456789abcdef',
  signing_secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=',
};

describe('checkWebhookInput', () => {
  it('names each field the browser can already tell is wrong', () => {
    expect(checkWebhookInput({ name: ' ', url: '', event_types: [] })).toEqual({
      name: expect.stringMatching(/^Give the webhook a name/),
      url: expect.stringMatching(/^Enter the URL/),
      event_types: 'Choose at least one event type.',
    });
    for (const url of ['ftp://x.org/a', 'backend.example.org', 'http://', 'mailto:a@b.org']) {
      expect(checkWebhookInput({ name: 'a', url, event_types: ['webhook.test'] }).url, url).toMatch(/^Enter a full http/);
    }
    expect(checkWebhookInput({ name: 'a', url: 'https://127.0.0.1:9000/x', event_types: ['webhook.test'] })).toEqual({});
  });
});

describe('WebhookFormDialog', () => {
  it('shows the problems next to the fields without sending anything', async () => {
    const { user, sent } = renderScreen(<AddButton />, () => undefined);
    await user.click(await screen.findByRole('button', { name: 'Add webhook' }));
    const dialog = screen.getByRole('dialog', { name: 'Add webhook' });
    await within(dialog).findByRole('checkbox', { name: 'webhook.test' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'experiment.created' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    expect(within(dialog).getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByText('Choose at least one event type.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("puts the server's answer about the URL next to the URL and keeps what was typed", async () => {
    const { user, sent } = renderScreen(<AddButton />, () =>
      json({ detail: [{ loc: ['body', 'url'], msg: 'the host cannot be used: no-such-host.invalid does not resolve', type: 'value_error' }] }, 422),
    );
    await user.click(await screen.findByRole('button', { name: 'Add webhook' }));
    const dialog = screen.getByRole('dialog', { name: 'Add webhook' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Backend');
    await user.type(within(dialog).getByRole('textbox', { name: 'URL' }), 'http://no-such-host.invalid/x');
    await user.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    const url = within(dialog).getByRole('textbox', { name: 'URL' });
    await vi.waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = url.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(describedBy).toContain('The host cannot be used: no-such-host.invalid does not resolve');
    expect((url as HTMLInputElement).value).toBe('http://no-such-host.invalid/x');
    expect(sent).toEqual([{ method: 'POST', url: `/v1/m/organizations/${ORG}/webhooks`, body: { name: 'Backend', url: 'http://no-such-host.invalid/x', event_types: ['experiment.created'], ed25519: false } }]);
  });

  it('ends on "Webhook created" with the secrets, sample bodies and verification code', async () => {
    const { user, sent } = renderScreen(<AddButton />, (req) => (req.method === 'POST' ? json(created) : json({ items: [] })));
    await user.click(await screen.findByRole('button', { name: 'Add webhook' }));
    const dialog = screen.getByRole('dialog', { name: 'Add webhook' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Backend');
    await user.type(within(dialog).getByRole('textbox', { name: 'URL' }), created.url);
    await user.click(await within(dialog).findByRole('checkbox', { name: 'webhook.test' }));
    await user.click(within(dialog).getByRole('checkbox', { name: /Ed25519/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    const done = await screen.findByRole('dialog', { name: 'Webhook created' });
    expect(sent[0]?.body).toEqual({ name: 'Backend', url: created.url, event_types: ['experiment.created', 'webhook.test'], ed25519: true });
    expect(within(done).getByText(created.signing_secret)).toBeTruthy();
    expect(within(done).getByText(created.auth_token)).toBeTruthy();
    expect(within(done).getByRole('button', { name: 'Copy signing secret' })).toBeTruthy();
    expect(within(done).getByRole('tab', { name: 'webhook.test' })).toBeTruthy();
    expect(within(done).getByLabelText('TypeScript verification code').textContent).toContain('EQUIPOISE_WEBHOOK_SECRET');
    // Focus moved to the news, not left on a button that is gone.
    expect(document.activeElement?.textContent).toBe('“Backend” is ready');
  });
});
