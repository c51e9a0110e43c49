/**
 * The Webhooks screens in Chromium against `equipoise serve`, with a real HTTP receiver in this process:
 * adding a webhook (inline validation from the browser and from the server), the created view with its
 * secrets, a test event's result and the delivery log, secret reveal/hide/rotate, a failing receiver
 * explained in words, disable/enable, replay, edit and delete; once with the mouse and once with the
 * keyboard alone.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { tabTo } from './keyboard.ts';
import { describeUi, SCREENSHOTS, useUi } from './support.ts';

/** Console errors the browser prints for the 4xx answers these tests provoke on purpose. */
const expectedHttpErrors = (problems: string[], statuses: number[]) =>
  problems.filter((p) => !statuses.some((s) => p.includes(`status of ${s}`)));

describeUi('webhooks screens', () => {
  const ui = useUi();
  let receiver: WebhookReceiver;
  let org: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => receiver?.close());

  async function orgId(): Promise<string> {
    org ??= (await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations')).items[0]!.id;
    return org;
  }
  async function revealed(webhookId: string) {
    return ui.api<{ signing_secret: string; auth_token: string }>('GET', `/v1/m/organizations/${await orgId()}/webhooks/${webhookId}/authtoken`);
  }

  it('adds a webhook with the mouse: inline errors, the secrets once, a test event and its delivery in the log', async () => {
    const { page } = ui;
    await page.goto(ui.url('/webhooks'));
    await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook' });
    await dialog.getByRole('checkbox', { name: 'experiment.created' }).waitFor();
    await expect.poll(() => dialog.getByRole('checkbox', { name: 'experiment.created' }).isChecked()).toBe(true);
    // Each event type says what it means.
    await dialog.getByText('Sent on request from the admin API or UI to check an endpoint.').waitFor();

    // Caught in the browser: nothing filled in.
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.getByText('Give the webhook a name').waitFor();
    await dialog.getByText('Enter the URL of your receiver').waitFor();
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Name').fill('Backend');
    await dialog.getByLabel('URL').fill('ftp://example.org/hooks');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.getByText('Enter a full http:// or https:// URL').waitFor();

    // Caught by the server: a host that does not resolve, shown next to the URL field.
    await dialog.getByLabel('URL').fill('http://no-such-host.invalid/hooks');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    const urlError = dialog.locator('.field-invalid').filter({ has: page.getByLabel('URL') }).getByRole('alert');
    await expect.poll(() => urlError.textContent()).toMatch(/^The host cannot be used/);
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Backend');

    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByRole('checkbox', { name: 'webhook.test' }).check();
    await dialog.getByRole('button', { name: 'Add webhook' }).click();

    const created = page.getByRole('dialog', { name: 'Webhook created' });
    await created.getByText('“Backend” is ready').waitFor();
    const list = await ui.api<{ items: { id: string; name: string }[] }>('GET', `/v1/m/organizations/${await orgId()}/webhooks`);
    const id = list.items.find((w) => w.name === 'Backend')!.id;
    const secrets = await revealed(id);
    await created.getByText(secrets.signing_secret).waitFor();
    await created.getByText(secrets.auth_token, { exact: true }).waitFor();
    // A dialog is fixed to the viewport, so this screenshot is of the viewport, not the whole page.
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'webhook-created.png') });
    await created.getByRole('button', { name: 'Copy signing secret' }).click();
    await created.getByRole('button', { name: 'Copy signing secret' }).getByText('Copied ✓').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secrets.signing_secret);
    // What the receiver needs: headers, a sample body per type with the real organization id, verification code.
    await created.getByRole('cell', { name: 'webhook-signature' }).waitFor();
    await created.getByRole('tab', { name: 'webhook.test' }).click();
    const sample = await created.getByLabel('sample webhook.test body', { exact: true }).textContent();
    expect(JSON.parse(sample ?? '{}')).toMatchObject({ type: 'webhook.test', organization_id: await orgId(), data: { webhook_id: id } });
    await created.getByRole('tab', { name: 'Python' }).click();
    await created.getByLabel('Python verification code').getByText('EQUIPOISE_WEBHOOK_SECRET').first().waitFor();

    await created.getByRole('button', { name: 'Open webhook page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Backend' }).waitFor();
    expect(page.url()).toBe(ui.url(`/webhooks/${id}`));

    // A test event: the receiver gets it, and the page shows what it answered.
    const before = receiver.requests.length;
    await page.getByRole('button', { name: 'Send test event' }).click();
    await receiver.waitFor(before + 1);
    expect(JSON.parse(receiver.requests[before]!.body)).toMatchObject({ type: 'webhook.test', data: { webhook_id: id } });
    const result = page.locator('.test-result');
    await result.getByText('Delivered').waitFor();
    await result.getByText('HTTP 200').waitFor();
    expect(await result.getByLabel('Response excerpt', { exact: true }).textContent()).toBe('ok');
    // The delivery log has the attempt.
    const log = page.getByRole('table', { name: 'Delivery attempts, newest first' });
    await log.getByRole('row').filter({ hasText: 'webhook.test' }).getByText('Delivered').waitFor();

    // The schema of each received type, collapsible and copyable.
    await page.locator('summary').filter({ hasText: 'webhook.test' }).click();
    const schema = JSON.parse((await page.getByLabel('webhook.test JSON schema', { exact: true }).textContent()) ?? '{}');
    expect(schema.properties.type.const).toBe('webhook.test');
    await ui.screenshot('webhook');

    // Secrets are masked until revealed, and hidden again on leaving the page.
    expect(await page.getByText(secrets.signing_secret).count()).toBe(0);
    await page.getByRole('button', { name: 'Reveal signing secret' }).click();
    await page.getByText(secrets.signing_secret).waitFor();
    expect(await page.getByText(secrets.auth_token, { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Hide signing secret' }).click();
    await page.getByRole('button', { name: 'Reveal signing secret' }).waitFor();
    expect(await page.getByText(secrets.signing_secret).count()).toBe(0);
    await page.getByRole('button', { name: 'Reveal legacy token' }).click();
    await page.getByText(secrets.auth_token, { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('link', { name: 'Backend' }).click();
    await page.getByRole('button', { name: 'Reveal legacy token' }).waitFor();
    expect(await page.getByText(secrets.auth_token, { exact: true }).count()).toBe(0);

    // The list shows the last delivery.
    await page.getByRole('link', { name: 'Webhooks' }).first().click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Backend' }) });
    await row.getByText('Enabled').waitFor();
    await row.getByText('Delivered · HTTP 200').waitFor();
    expect(expectedHttpErrors(ui.problems, [422])).toEqual([]);
  });

  it('adds a webhook, sends a test event and rotates the secret with the keyboard alone', async () => {
    const { page } = ui;
    await page.goto(ui.url('/webhooks'));
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await tabTo(page, 'Add webhook');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add webhook' });
    await dialog.getByRole('checkbox', { name: 'webhook.test' }).waitFor();
    // Focus starts in the name field.
    await page.keyboard.type('Keyboard backend');
    await page.keyboard.press('Tab');
    await page.keyboard.type(receiver.url);
    await tabTo(page, 'webhook.test');
    await page.keyboard.press('Space');
    await expect.poll(() => dialog.getByRole('checkbox', { name: 'webhook.test' }).isChecked()).toBe(true);
    await tabTo(page, 'Add webhook');
    await page.keyboard.press('Enter');
    const created = page.getByRole('dialog', { name: 'Webhook created' });
    await created.getByText('“Keyboard backend” is ready').waitFor();
    await tabTo(page, 'Copy signing secret');
    await page.keyboard.press('Enter');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^whsec_/);
    await tabTo(page, 'Open webhook page');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard backend' }).waitFor();

    const before = receiver.requests.length;
    await tabTo(page, 'Send test event');
    await page.keyboard.press('Enter');
    await receiver.waitFor(before + 1);
    await page.locator('.test-result').getByText('HTTP 200').waitFor();

    // Escape closes a confirmation and leaves focus on the button that opened it.
    await tabTo(page, 'Disable', { back: true });
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Disable this webhook?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Disable this webhook?' }).waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Disable');

    // Rotate the signing secret with a 1-hour overlap.
    await tabTo(page, 'Rotate signing secret…');
    await page.keyboard.press('Enter');
    const rotate = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await rotate.waitFor();
    await tabTo(page, 'Keep the old secret signing for');
    await page.keyboard.press('ArrowUp');
    expect(await rotate.getByLabel('Keep the old secret signing for').inputValue()).toBe('1');
    await tabTo(page, 'Rotate secret');
    await page.keyboard.press('Enter');
    await rotate.waitFor({ state: 'hidden' });
    const id = page.url().split('/').pop()!;
    const now = await revealed(id);
    expect(now.signing_secret).not.toBe(copied);
    await page.getByText(now.signing_secret).waitFor();
    await page.getByText(/The previous secret also signs until/).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('explains a failing receiver, and disables, enables, replays, edits and deletes', async () => {
    const { page } = ui;
    const o = await orgId();
    const hook = await ui.api<{ id: string }>('POST', `/v1/m/organizations/${o}/webhooks`, { name: 'Flaky receiver', url: receiver.url, event_types: ['webhook.test'] });
    // The first attempt and its retry 5 s later fail; the next retry is minutes away, so it stays pending.
    receiver.respondWith(500, 500);
    await page.goto(ui.url(`/webhooks/${hook.id}`));
    await page.getByRole('heading', { level: 1, name: 'Flaky receiver' }).waitFor();
    await page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();

    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.locator('.test-result');
    await result.getByText('Failed', { exact: true }).waitFor();
    await result.getByText("The receiver answered HTTP 500. Only a 2xx answer counts as delivered; check the receiver's log.").waitFor();
    await result.getByText(/Equipoise tries again at/).waitFor();
    expect(await result.getByLabel('Response excerpt', { exact: true }).textContent()).toBe('failure 500');

    // Replaying a message that is still being retried is refused, and the dialog says why.
    const row = page.getByRole('table', { name: 'Delivery attempts, newest first' }).getByRole('row').filter({ hasText: 'webhook.test' }).first();
    await row.getByRole('button', { name: /^Replay/ }).click();
    const replay = page.getByRole('dialog', { name: 'Replay this message?' });
    await replay.getByText(/same webhook-id/).waitFor();
    await replay.getByRole('button', { name: 'Replay message' }).click();
    await replay.getByText('This message is still being delivered to this webhook.').waitFor();
    await replay.getByRole('button', { name: 'Cancel' }).click();

    // The row's details: the exact body that was signed and sent.
    await row.getByRole('button', { name: /^Details/ }).click();
    const details = page.getByRole('dialog', { name: 'Delivery details' });
    const body = JSON.parse((await details.getByLabel('message body', { exact: true }).textContent()) ?? '{}');
    expect(body).toMatchObject({ type: 'webhook.test', organization_id: o, data: { webhook_id: hook.id } });
    await details.getByText('Pending').waitFor();
    await page.keyboard.press('Escape');

    // Disable (confirmed), then enable.
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('dialog', { name: 'Disable this webhook?' }).getByRole('button', { name: 'Disable webhook' }).click();
    await page.getByText('This webhook is disabled').waitFor();
    await page.getByText(/because a member disabled it/).waitFor();
    expect((await ui.api<{ enabled: boolean }>('GET', `/v1/m/organizations/${o}/webhooks/${hook.id}`)).enabled).toBe(false);
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByRole('button', { name: 'Disable', exact: true }).waitFor();
    await page.getByText('Webhook enabled. Replay failed deliveries to send what it missed.').waitFor();

    // Replay failed: nothing has failed for good yet, and the toast says so.
    await page.getByRole('button', { name: 'Replay failed…' }).click();
    const replayFailed = page.getByRole('dialog', { name: 'Replay failed deliveries?' });
    await replayFailed.getByLabel('Failed deliveries from').selectOption('custom');
    await replayFailed.getByRole('button', { name: 'Replay failed deliveries' }).click();
    await replayFailed.getByText('Choose a date and time.').waitFor();
    await replayFailed.getByLabel('Since').fill('2020-01-01T00:00');
    await replayFailed.getByRole('button', { name: 'Replay failed deliveries' }).click();
    await page.getByText('No failed deliveries in that period').waitFor();

    // Edit: the browser's check and the server's, each next to the URL field.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit webhook' });
    await edit.getByLabel('URL').fill('not a url');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText('Enter a full http:// or https:// URL').waitFor();
    await edit.getByLabel('URL').fill('https://no-such-host.invalid/x');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText(/^The host cannot be used/).waitFor();
    await edit.getByRole('checkbox', { name: 'webhook.test' }).uncheck();
    await edit.getByRole('checkbox', { name: 'experiment.created' }).uncheck();
    await edit.getByLabel('URL').fill(receiver.url);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText('Choose at least one event type.').waitFor();
    await edit.getByRole('checkbox', { name: 'experiment.abandoned' }).check();
    await edit.getByLabel('Name').fill('Flaky receiver (fixed)');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flaky receiver (fixed)' }).waitFor();
    const saved = await ui.api<{ name: string; event_types: string[] }>('GET', `/v1/m/organizations/${o}/webhooks/${hook.id}`);
    expect(saved).toMatchObject({ name: 'Flaky receiver (fixed)', event_types: ['experiment.abandoned'] });

    // The list, with a healthy and a failing webhook.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    const flaky = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Flaky receiver (fixed)' }) });
    await flaky.getByText('Failed · HTTP 500').waitFor();
    await page.locator('.toast').first().waitFor({ state: 'detached' });
    await ui.screenshot('webhooks');

    // Delete, confirmed.
    await flaky.getByRole('link', { name: 'Flaky receiver (fixed)' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete this webhook?' }).getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('Webhook “Flaky receiver (fixed)” deleted').waitFor();
    expect(await page.getByRole('link', { name: 'Flaky receiver (fixed)' }).count()).toBe(0);
    await page.goto(ui.url(`/webhooks/${hook.id}`));
    await page.getByRole('heading', { level: 1, name: 'Webhook not found' }).waitFor();
    expect(expectedHttpErrors(ui.problems, [404, 409, 422])).toEqual([]);
  });
});
