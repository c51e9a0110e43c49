/**
 * API keys on the datasource page, in Chromium against `equipoise serve`, with the keyboard alone: create a
 * key (scopes checked inline), copy it, run the copied curl and TypeScript snippets against the server,
 * see its last use, rotate it, and revoke it. The key is shown once: after closing, no page shows it again.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { onlineDesign } from '../support/designs.ts';
import { REPO_ROOT } from '../support/processes.ts';
import { tabTo } from './keyboard.ts';
import { describeUi, SCREENSHOTS, useUi } from './support.ts';

const run = promisify(execFile);

describeUi('datasource API keys UI', () => {
  const ui = useUi();
  let datasourceId = '';
  let experimentId = '';

  beforeAll(async () => {
    const orgs = await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations');
    const list = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${orgs.items[0]!.id}/datasources`);
    datasourceId = list.items.find((d) => d.driver === 'duckdb')!.id;
    const created = await ui.api<{ experiment_id: string }>('POST', `/v1/m/datasources/${datasourceId}/experiments`, {
      design_spec: onlineDesign({ experiment_name: 'Snippet check', start_date: '2020-01-01T00:00:00Z' }),
    });
    experimentId = created.experiment_id;
    await ui.api('POST', `/v1/m/datasources/${datasourceId}/experiments/${experimentId}/commit`);
  });

  const clipboard = () => ui.page.evaluate(() => navigator.clipboard.readText());

  it('creates, copies, uses, rotates and revokes a key with the keyboard alone', async () => {
    const { page } = ui;
    await page.goto(ui.url(`/datasources/${datasourceId}`));
    await page.getByRole('heading', { level: 1, name: 'Demo warehouse (DuckDB)' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    await tabTo(page, 'Create API key');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API key for Demo warehouse (DuckDB)' });
    await dialog.waitFor();
    await page.keyboard.type('checkout service');
    // Both scopes off: the problem is shown inline and nothing is created.
    await tabTo(page, 'Read');
    await page.keyboard.press('Space');
    await tabTo(page, 'Assign');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await dialog.getByText('Choose at least one scope.').waitFor();
    await page.keyboard.press('Space');
    await tabTo(page, 'Read', { backwards: true });
    await page.keyboard.press('Space');
    await tabTo(page, 'Create key');
    await page.keyboard.press('Enter');

    const created = page.getByRole('dialog', { name: 'API key created' });
    await created.getByText('Copy the key now: you will not see it again').waitFor();
    const key = (await created.locator('.copy-value code').first().textContent()) ?? '';
    expect(key).toMatch(/^xat_/);
    // The viewport only: a full-page shot cuts the modal's backdrop off below the fold.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'api-key-created.png') });
    await tabTo(page, 'Copy API key');
    await page.keyboard.press('Enter');
    await expect.poll(clipboard).toBe(key);
    await tabTo(page, 'Copy datasource ID');
    await page.keyboard.press('Enter');
    await expect.poll(clipboard).toBe(datasourceId);

    // The curl snippet, copied as shown, runs against the server with the real key and ids.
    await tabTo(page, 'Copy curl snippet');
    await page.keyboard.press('Enter');
    await expect.poll(clipboard).toContain(key);
    const curl = (await clipboard()).replaceAll('EXPERIMENT_ID', experimentId).replaceAll('PARTICIPANT_ID', 'p000042');
    const curlOut = await run('sh', ['-c', curl], { cwd: os.tmpdir() });
    expect(curlOut.stdout).toContain(`"experiment_id":"${experimentId}"`);
    expect(curlOut.stdout).toMatch(/"participant_id":"p000042","assignment":\{[^}]*"arm_name":"(a|b)"/);
    fs.rmSync(path.join(os.tmpdir(), 'assignments.csv'), { force: true });

    // The tabs follow the arrow keys; the TypeScript snippet runs too.
    await tabTo(page, 'curl', { backwards: true, role: 'tab' });
    await page.keyboard.press('ArrowRight');
    await tabTo(page, 'Copy TypeScript snippet');
    await page.keyboard.press('Enter');
    await expect.poll(clipboard).toContain('X-API-Key');
    const file = path.join(os.tmpdir(), `equipoise-snippet-${process.pid}.mts`);
    fs.writeFileSync(file, (await clipboard()).replaceAll('PARTICIPANT_ID', 'p000042'));
    try {
      const tsOut = await run(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT });
      expect(tsOut.stdout.trim()).toMatch(/^(a|b)$/);
    } finally {
      fs.rmSync(file, { force: true });
    }

    // Closed with Escape, the key is gone for good; the list shows its name, scopes and use.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const row = page.getByRole('row', { name: /checkout service/ });
    await row.waitFor();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await row.getByText('just now').waitFor();
    expect(await row.getByText('assign').count()).toBe(1);
    expect(await row.getByText('read').count()).toBe(1);

    // Rotate: a new key, the old one kept for the chosen overlap.
    await tabTo(page, 'Rotate API key checkout service');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Rotate API key “checkout service”' }).waitFor();
    await tabTo(page, 'Rotate key');
    await page.keyboard.press('Enter');
    const rotated = page.getByRole('dialog', { name: 'New key created' });
    await rotated.getByText(/The old key keeps working until/).waitFor();
    const newKey = (await rotated.locator('.copy-value code').first().textContent()) ?? '';
    expect(newKey).toMatch(/^xat_/);
    expect(newKey).not.toBe(key);
    await tabTo(page, 'Done');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('row', { name: /checkout service/ }).count()).toBe(2);

    // Revoke the new key: it stops working at once.
    const keys = await ui.api<{ items: { id: string; expires_at: string | null }[] }>('GET', `/v1/m/datasources/${datasourceId}/apikeys`);
    const fresh = keys.items.find((k) => k.expires_at === null)!;
    const revokeButtons = page.getByRole('button', { name: 'Revoke API key checkout service' });
    expect(await revokeButtons.count()).toBe(2);
    await revokeButtons.nth(1).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Revoke API key “checkout service”?' });
    await confirm.waitFor();
    await tabTo(page, 'Revoke key');
    await page.keyboard.press('Enter');
    await page.getByText('API key “checkout service” revoked').waitFor();
    await expect.poll(() => page.getByRole('row', { name: /checkout service/ }).count()).toBe(1);
    const after = await ui.api<{ items: { id: string }[] }>('GET', `/v1/m/datasources/${datasourceId}/apikeys`);
    expect(after.items.map((k) => k.id)).not.toContain(fresh.id);
    const refused = await fetch(ui.url('/v1/experiments'), { headers: { 'X-API-Key': newKey, 'Datasource-ID': datasourceId } });
    expect(refused.status).toBe(403);
    expect(ui.problems).toEqual([]);
  });

  it('shows an expiry date problem inline, and creates a read-only key whose snippets leave out assignment', async () => {
    const { page } = ui;
    await page.goto(ui.url(`/datasources/${datasourceId}`));
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: /Create API key for/ });
    await dialog.getByLabel('Name').fill('reporting');
    await dialog.getByRole('checkbox', { name: 'Assign' }).uncheck();
    await dialog.getByRole('radio', { name: 'On a date' }).check();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Choose the last day the key works.').waitFor();
    await dialog.getByLabel('Last day the key works').fill('2099-12-31');
    await dialog.getByLabel('Rate limit (requests per second)').fill('0');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('A whole number from 1 to 100,000, or blank for the server default.').waitFor();
    await dialog.getByLabel('Rate limit (requests per second)').fill('500');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('dialog', { name: 'API key created' });
    await created.getByText('Copy the key now: you will not see it again').waitFor();
    const curl = await created.getByLabel('curl snippet', { exact: true }).textContent();
    expect(curl).toContain('/assignments/csv');
    expect(curl).not.toContain('PARTICIPANT_ID');
    await created.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /reporting/ });
    await row.getByText('500 requests/s').waitFor();
    const stored = await ui.api<{ items: { name: string; scopes: string[]; expires_at: string | null; rate_limit_per_second: number | null }[] }>('GET', `/v1/m/datasources/${datasourceId}/apikeys`);
    const reporting = stored.items.find((k) => k.name === 'reporting')!;
    expect(reporting.scopes).toEqual(['read']);
    expect(reporting.rate_limit_per_second).toBe(500);
    expect(reporting.expires_at?.startsWith('2099-12-31') || reporting.expires_at?.startsWith('2100-01-01')).toBe(true);
    expect(ui.problems).toEqual([]);
  });
});
