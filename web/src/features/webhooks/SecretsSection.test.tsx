/**
 * Secrets on the webhook page: masked by default, one audited reveal for both, hidden again by Hide or by
 * leaving (nothing kept in the query cache), and rotation that sends the chosen overlap and shows the new one.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Webhook } from './api.ts';
import { SecretsSection } from './SecretsSection.tsx';
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
  public_key: 'whpk_cHVibGlj',
  previous_secret_expires_at: null,
};
const SECRET = 'whsec_b2xkc2VjcmV0';
const TOKEN = 'feedfacefeedfacefeedfacefeedface';
const NEW_SECRET = 'whsec_bmV3c2VjcmV0';

function server() {
  return renderScreen(<SecretsSection webhook={webhook} />, (req) => {
    if (req.url.endsWith('/authtoken') && req.method === 'GET') return json({ ...webhook, auth_token: TOKEN, signing_secret: SECRET });
    if (req.url.endsWith('/secret/rotate')) return json({ ...webhook, signing_secret: NEW_SECRET, previous_secret_expires_at: '2026-03-01T13:00:00Z' });
    return json(webhook);
  });
}

describe('SecretsSection', () => {
  it('reveals both secrets with one request, hides them again, and forgets them when nothing is shown', async () => {
    const { user, sent } = server();
    await user.click(await screen.findByRole('button', { name: 'Reveal signing secret' }));
    await screen.findByText(SECRET);
    expect(screen.queryByText(TOKEN)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Reveal legacy token' }));
    await screen.findByText(TOKEN);
    expect(sent.filter((r) => r.url.endsWith('/authtoken'))).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Copy legacy token' })).toBeTruthy();
    // The public key is not a secret and needs no reveal.
    expect(screen.getByText(webhook.public_key!)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Hide signing secret' }));
    await user.click(screen.getByRole('button', { name: 'Hide legacy token' }));
    expect(screen.queryByText(SECRET)).toBeNull();
    expect(screen.queryByText(TOKEN)).toBeNull();
    // Nothing is remembered: revealing again asks the server again (and is audited again).
    await user.click(screen.getByRole('button', { name: 'Reveal signing secret' }));
    await screen.findByText(SECRET);
    expect(sent.filter((r) => r.url.endsWith('/authtoken'))).toHaveLength(2);
  });

  it('leaves nothing behind when the page is left', async () => {
    const first = server();
    await first.user.click(await screen.findByRole('button', { name: 'Reveal signing secret' }));
    await screen.findByText(SECRET);
    first.unmount();
    vi.unstubAllGlobals();
    const again = server();
    await screen.findByRole('button', { name: 'Reveal signing secret' });
    expect(screen.queryByText(SECRET)).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(again.sent).toEqual([]);
  });

  it('rotates the signing secret with the chosen overlap and shows the new one', async () => {
    const { user, sent } = server();
    await user.click(await screen.findByRole('button', { name: 'Rotate signing secret…' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate the signing secret?' });
    expect(within(dialog).getByText(/the old secret signs too/)).toBeTruthy();
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Keep the old secret signing for' }), '0');
    expect(within(dialog).getByText(/deliveries fail verification until your receiver has the new secret/)).toBeTruthy();
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Keep the old secret signing for' }), '1');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    await screen.findByText(NEW_SECRET);
    expect(sent.at(-1)).toEqual({ method: 'POST', url: `/v1/m/organizations/${ORG}/webhooks/wh_1/secret/rotate`, body: { overlap_hours: 1 } });
  });
});
