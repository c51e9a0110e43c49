/**
 * Recent events in Chromium against `equipoise serve`, with a real webhook receiver in this process: cursor
 * pages, the type filter (kept in the address), success/failure/info badges, details in a dialog with every
 * credential masked, links to the experiment and the webhook, resend (same webhook-id), the Refresh button
 * and the 15-second auto-refresh that keeps open details; once with the mouse and once with the keyboard.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { tabTo } from './keyboard.ts';
import { describeUi, SCREENSHOTS, useUi } from './support.ts';

describeUi('recent events screen', () => {
  const ui = useUi();
  let receiver: WebhookReceiver;
  let org: string;
  let hook: { id: string };
  let secrets: { signing_secret: string; auth_token: string };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => receiver?.close());

  /** The setup runs once, inside the first test (the harness's server exists only from beforeAll on). */
  async function setup(): Promise<void> {
    if (hook) return;
    org = (await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations')).items[0]!.id;
    hook = await ui.api('POST', `/v1/m/organizations/${org}/webhooks`, { name: 'Events receiver', url: receiver.url, event_types: ['webhook.test', 'experiment.created'] });
    secrets = await ui.api('GET', `/v1/m/organizations/${org}/webhooks/${hook.id}/authtoken`);
    // One failing attempt among eleven successes; 22 events (a webhook.test and a webhook.sent each) fill two pages.
    receiver.respondWith(503);
    for (let i = 0; i < 11; i++) await ui.api('POST', `/v1/m/organizations/${org}/webhooks/${hook.id}/test`);
    await receiver.waitFor(11, 20_000);
  }

  async function commitExperiment(name: string): Promise<{ ds: string; id: string }> {
    const dss = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${org}/datasources`);
    const ds = dss.items.find((d) => d.driver === 'duckdb')!.id;
    const exp = await ui.api<{ experiment_id: string }>('POST', `/v1/m/datasources/${ds}/experiments`, {
      design_spec: {
        experiment_type: 'freq_online',
        experiment_name: name,
        start_date: '2026-01-01T00:00:00Z',
        end_date: '2099-01-01T00:00:00Z',
        arms: [{ arm_name: 'control' }, { arm_name: 'nudge' }],
        table_name: 'participants',
        primary_key: 'participant_id',
        metrics: [{ field_name: 'weekly_minutes' }],
      },
      webhooks: [hook.id],
    });
    await ui.api('POST', `/v1/m/datasources/${ds}/experiments/${exp.experiment_id}/commit`);
    return { ds, id: exp.experiment_id };
  }

  it('pages, filters, shows masked details with links, and resends with the mouse', async () => {
    await setup();
    const { page } = ui;
    const exp = await commitExperiment('Events screen experiment');
    // Eleven test deliveries, the retry of the one that got 503, and experiment.created.
    await receiver.waitFor(13, 20_000);

    await page.goto(ui.url('/events'));
    const table = page.getByRole('table', { name: 'Recent events, newest first' });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    // Newest first: the experiment is on top, with an info badge and a link to its page.
    const created = rows.filter({ hasText: `Created experiment ${exp.id}` });
    await created.getByText('Info').waitFor();
    expect(await created.getByRole('link', { name: 'Experiment' }).getAttribute('href')).toBe(`/datasources/${exp.ds}/experiments/${exp.id}`);
    await ui.screenshot('events');

    // Cursor pages forward and back.
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 2').waitFor();
    // Page 1's rows stay on screen (marked aria-busy) until page 2 arrives; judge the rows once it has.
    await expect.poll(() => table.getAttribute('aria-busy')).toBeNull();
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await rows.filter({ hasText: `Created experiment ${exp.id}` }).count()).toBe(0);
    await page.getByRole('button', { name: '← Previous' }).click();
    await rows.filter({ hasText: `Created experiment ${exp.id}` }).waitFor();

    // Filter by type: only deliveries, with a failure among the successes; the filter survives a reload.
    await page.getByLabel('Event type').selectOption('webhook.sent');
    await expect.poll(() => page.url()).toContain('type=webhook.sent');
    await expect.poll(async () => (await table.locator('tbody tr code').allTextContents()).every((t) => t === 'webhook.sent')).toBe(true);
    await page.reload();
    await table.waitFor();
    expect(await page.getByLabel('Event type').inputValue()).toBe('webhook.sent');
    const failed = rows.filter({ has: page.getByText('Failure', { exact: true }) });
    await expect.poll(() => failed.count()).toBe(1);
    await expect.poll(() => rows.filter({ has: page.getByText('Success', { exact: true }) }).count()).toBe(12);

    // Details: keyboard-reachable dialog, credentials masked, the delivery in words, links.
    await failed.getByRole('button', { name: /^Details/ }).click();
    const details = page.getByRole('dialog', { name: 'Event details' });
    await details.getByText('HTTP 503').first().waitFor();
    await details.getByText('The receiver answered HTTP 503.', { exact: false }).waitFor();
    const json = JSON.parse((await details.getByLabel('event JSON', { exact: true }).textContent()) ?? '{}');
    expect(json.request.headers).toMatchObject({ 'Webhook-Token': '***', Authorization: '***', 'webhook-signature': '***' });
    expect(json.request.headers['webhook-id']).toMatch(/^msg_/);
    const shown = (await page.content()) + (await details.getByLabel('event JSON', { exact: true }).textContent());
    expect(shown).not.toContain(secrets.auth_token);
    expect(shown).not.toContain(secrets.signing_secret);
    expect(await details.getByRole('link', { name: 'Open the webhook' }).getAttribute('href')).toBe(`/webhooks/${hook.id}`);
    // A dialog is fixed to the viewport, so this screenshot is of the viewport, not the whole page.
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'event-details.png') });

    // Resend (confirmed, warned about duplicates): the receiver gets the same message id again.
    const messageId = json.message_id as string;
    const before = receiver.requests.length;
    await details.getByRole('button', { name: 'Resend…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Resend this delivery?' });
    await confirm.getByText('The receiver may process it twice').waitFor();
    await confirm.getByRole('button', { name: 'Resend', exact: true }).click();
    await receiver.waitFor(before + 1);
    expect(receiver.requests[before]!.headers['webhook-id']).toBe(messageId);
    await details.locator('footer').getByRole('button', { name: 'Close' }).click();

    // Refresh shows the new attempt without reloading the page.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => rows.filter({ has: page.getByText('Success', { exact: true }) }).count()).toBe(13);

    // The webhook link leads to the webhook's page.
    await rows.first().getByRole('link', { name: 'Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Events receiver' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('filters, opens details, closes them and resends with the keyboard alone', async () => {
    await setup();
    const { page } = ui;
    await page.goto(ui.url('/events'));
    const table = page.getByRole('table', { name: 'Recent events, newest first' });
    await table.waitFor();
    await tabTo(page, 'Event type');
    // Arrow keys walk a focused <select> without opening it (once the catalogue is in); each step filters.
    await page.getByLabel('Event type').locator('option[value="webhook.sent"]').waitFor({ state: 'attached' });
    const options = await page.getByLabel('Event type').locator('option').count();
    for (let i = 0; i < options && (await page.getByLabel('Event type').inputValue()) !== 'webhook.sent'; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Event type').inputValue()).toBe('webhook.sent');
    await expect.poll(async () => (await table.locator('tbody tr code').allTextContents()).every((t) => t === 'webhook.sent')).toBe(true);

    await tabTo(page, /^Details of Sent POST/);
    const opener = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');
    const details = page.getByRole('dialog', { name: 'Event details' });
    await details.getByText('Event ID').waitFor();
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(opener);

    const before = receiver.requests.length;
    await tabTo(page, /^Resend Sent POST/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Resend this delivery?' }).waitFor();
    await tabTo(page, 'Resend');
    await page.keyboard.press('Enter');
    await receiver.waitFor(before + 1);
    await page.getByText('Resent: the new attempt appears here').waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('refreshes itself every 15 seconds, keeping the open details and the chosen filter', async () => {
    await setup();
    const { page } = ui;
    await page.goto(ui.url('/events?type=experiment.created'));
    const table = page.getByRole('table', { name: 'Recent events, newest first' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const count = await rows.count();
    await rows.first().getByRole('button', { name: /^Details/ }).click();
    const details = page.getByRole('dialog', { name: 'Event details' });
    await details.getByText('Event ID').waitFor();

    const exp = await commitExperiment('Appears by itself');
    await table.getByText(`Created experiment ${exp.id}`, { exact: true }).waitFor({ timeout: 25_000 });
    expect(await rows.count()).toBe(count + 1);
    expect(await details.isVisible()).toBe(true);
    expect(await page.getByLabel('Event type').inputValue()).toBe('experiment.created');
    expect(ui.problems).toEqual([]);
  });
});
