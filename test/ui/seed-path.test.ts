/**
 * The seed's whole human path in the browser, once with the mouse and once with the keyboard alone, against
 * `equipoise serve` on the embedded default: add a PostgreSQL datasource and a participant type, add a
 * webhook (a real receiver in this process), create an API key and copy it (then use it), design and
 * commit a preassigned experiment, download its CSV and check the rows, and see `experiment.created` and
 * `webhook.sent` in Recent events. The warehouse is a schema of its own on the local PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_URL } from '../support/databases.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi, type UiHarness } from './support.ts';

const url = new URL(POSTGRES_URL);
const PG = { host: url.hostname, port: String(url.port || 5432), user: decodeURIComponent(url.username), dbname: url.pathname.slice(1) };
const ROWS = 4000;

interface ExperimentCreatedBody {
  readonly experiment_id: string;
  readonly datasource_id: string;
}

/** What both runs check once the experiment is committed: the CSV rows, the API key, the webhook and the events. */
async function checkOutcome(ui: UiHarness, receiver: WebhookReceiver, key: string, csvPath: string, openEvents: () => Promise<void>): Promise<void> {
  const { page } = ui;
  const experimentId = new URL(page.url()).pathname.split('/').pop()!;
  const datasourceId = new URL(page.url()).pathname.split('/')[2]!;

  // The CSV holds every assignment, with the stratum, and agrees with the public API read with the copied key.
  const lines = fs.readFileSync(csvPath, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('participant_id,arm_id,arm_name,created_at,region');
  const res = await fetch(ui.url(`/v1/experiments/${experimentId}/assignments`), { headers: { 'X-API-Key': key } });
  expect(res.status).toBe(200);
  const assignments = ((await res.json()) as { assignments: { participant_id: string; arm_name: string }[] }).assignments;
  expect(lines.length - 1).toBe(assignments.length);
  expect(assignments.length).toBeGreaterThan(500);
  const fromCsv = new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l.split(',')[2]!]));
  for (const a of assignments) expect(fromCsv.get(a.participant_id)).toBe(a.arm_name);
  expect(new Set(lines.slice(1).map((l) => l.split(',')[4]))).toEqual(new Set(['north', 'south', 'east']));
  const listed = await fetch(ui.url('/v1/experiments'), { headers: { 'X-API-Key': key, 'Datasource-ID': datasourceId } });
  expect(((await listed.json()) as { items: { experiment_id: string }[] }).items.map((e) => e.experiment_id)).toContain(experimentId);

  // The receiver got the notification for this experiment.
  await expect
    .poll(() => receiver.requests.some((r) => (JSON.parse(r.body) as Partial<ExperimentCreatedBody>).experiment_id === experimentId), { timeout: 30_000 })
    .toBe(true);

  // Recent events shows both.
  await openEvents();
  await page.getByRole('heading', { level: 1, name: 'Recent events' }).waitFor();
  await page.getByText(`Created experiment ${experimentId}`).first().waitFor({ timeout: 30_000 });
  await expect.poll(async () => page.getByText(new RegExp(`Sent POST to ${receiver.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(success\\)`)).count(), { timeout: 30_000 }).toBeGreaterThan(0);
}

async function pressUntilFocused(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target, { max: 120 });
  expect(await hasFocus(target)).toBe(true);
}

describeUi('the seed path in the browser', () => {
  const ui = useUi();
  const schema = `eq_seed_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.learners (learner_id text PRIMARY KEY, region text NOT NULL, age integer, score double precision, completed boolean)`);
    await admin.query(
      `INSERT INTO ${schema}.learners
       SELECT 'learner-' || g, (ARRAY['north','south','east'])[1 + g % 3], 16 + g % 50, (g * 37) % 100, g % 3 = 0
       FROM generate_series(1, ${ROWS}) g`,
    );
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    await receiver?.close();
  });

  it('with the mouse', async () => {
    const { page } = ui;

    // 1. Datasource: test the connection, then save.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasources' }).click();
    await page.getByRole('button', { name: 'Add datasource' }).click();
    const add = page.getByRole('dialog', { name: 'Add datasource' });
    await add.getByLabel('Name').fill('Mouse warehouse');
    await add.getByRole('radio', { name: 'PostgreSQL' }).check();
    await add.getByLabel('Host').fill(PG.host);
    await add.getByLabel('Port').fill(PG.port);
    await add.getByLabel('Database').fill(PG.dbname);
    await add.getByLabel('User').fill(PG.user);
    await add.getByLabel('SSL mode').selectOption('disable');
    await add.getByLabel('Search path').fill(schema);
    await add.getByRole('button', { name: 'Test connection' }).click();
    await add.getByText('Connection works').waitFor();
    await add.getByRole('button', { name: 'Save datasource' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mouse warehouse' }).waitFor();

    // 2. Participant type from the table, with annotations.
    await page.locator('summary').getByText('learners', { exact: true }).click();
    await page.getByRole('link', { name: 'Create a participant type from learners' }).click();
    await page.getByLabel('Participant type name').fill('Learners');
    for (const name of ['Filter: region', 'Strata: region', 'Filter: age', 'Metric: score', 'Metric: completed']) await page.getByRole('checkbox', { name }).check();
    await page.getByRole('button', { name: 'Save participant type' }).click();
    await page.getByRole('heading', { level: 1, name: 'Learners' }).waitFor();

    // 3. API key, copied from the dialog that shows it once.
    await page.getByRole('link', { name: 'Mouse warehouse' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'Create API key for Mouse warehouse' });
    await keyDialog.getByLabel('Name').fill('backend');
    await keyDialog.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('dialog', { name: 'API key created' });
    await created.getByRole('button', { name: 'Copy API key' }).click();
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toMatch(/^\S{20,}$/);
    await created.getByRole('button', { name: 'Done' }).click();

    // 4. Webhook to the receiver.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Add webhook' }).first().click();
    const hook = page.getByRole('dialog', { name: 'Add webhook' });
    await hook.getByLabel('Name').fill('Mouse backend');
    await hook.getByLabel('URL').fill(receiver.url);
    await hook.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('dialog', { name: 'Webhook created' }).getByRole('button', { name: 'Done' }).click();

    // 5. The wizard: preassigned, stratified by region, power-checked, then committed.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: /New experiment|Design your first experiment/ }).first().click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Mouse reminders');
    await page.getByRole('textbox', { name: 'Hypothesis / description' }).fill('A weekly reminder raises completion.');
    await page.getByRole('checkbox', { name: 'Mouse backend' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Preassigned' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: '3. Participants' }).waitFor();
    await page.getByRole('radio', { name: /^Mouse warehouse/ }).check();
    await page.getByRole('combobox', { name: 'Participant type' }).selectOption('Learners');
    await expect.poll(() => page.getByRole('button', { name: 'Next' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox', { name: 'Name of arm 2' }).fill('weekly reminder');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: '5. Filters' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: 'region' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Add metric' }).click();
    await page.getByRole('combobox', { name: 'Field of metric 1' }).selectOption('completed');
    await page.getByRole('textbox', { name: 'Minimum effect of metric 1 (% change)' }).fill('25');
    await page.getByRole('button', { name: 'Check power' }).click();
    await page.getByRole('list', { name: 'Power check results' }).waitFor();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByRole('heading', { name: 'Review and commit “Mouse reminders”' }).waitFor({ timeout: 60_000 });
    await page.getByText(/balanced/i).first().waitFor();
    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mouse reminders' }).waitFor();
    // The page may first draw the draft it had in its cache; "Delete data…" is offered once it shows the
    // committed experiment, whose sections no longer change under the pointer.
    await page.getByRole('button', { name: 'Delete data…' }).waitFor();

    // 6. The CSV.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download assignments (CSV)' }).click();
    const csv = await (await download).path();
    await page.getByText(/Downloaded [\d,]+ rows/).waitFor();

    await checkOutcome(ui, receiver, key, csv, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recent events' }).click());
    expect(ui.problems).toEqual([]);
  });

  it('with the keyboard only', async () => {
    const { page } = ui;
    const kb = page.keyboard;
    const main = page.getByRole('navigation', { name: 'Main' });

    // 1. Datasource.
    await pressUntilFocused(page, main.getByRole('link', { name: 'Datasources' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Datasources' }).waitFor();
    await pressUntilFocused(page, page.getByRole('button', { name: 'Add datasource' }));
    await kb.press('Enter');
    const add = page.getByRole('dialog', { name: 'Add datasource' });
    await add.waitFor();
    await kb.type('Keyboard warehouse'); // the name field has focus
    await pressUntilFocused(page, add.getByRole('radio', { name: 'PostgreSQL' }));
    await kb.press('Space');
    for (const [label, value] of [
      ['Host', PG.host],
      ['Database', PG.dbname],
      ['User', PG.user],
      ['Search path', schema],
    ] as const) {
      await pressUntilFocused(page, add.getByLabel(label));
      await kb.press('ControlOrMeta+A');
      await kb.type(value);
    }
    await pressUntilFocused(page, add.getByLabel('Port'));
    await kb.press('ControlOrMeta+A');
    await kb.type(PG.port);
    await pressUntilFocused(page, add.getByLabel('SSL mode'));
    await kb.type('d');
    await pressUntilFocused(page, add.getByRole('button', { name: 'Test connection' }));
    await kb.press('Enter');
    await add.getByText('Connection works').waitFor();
    await pressUntilFocused(page, add.getByRole('button', { name: 'Save datasource' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard warehouse' }).waitFor();

    // 2. Participant type (once the connection check has drawn the tables, so focus is not on a row it replaces).
    await page.getByText(/Equipoise can read this warehouse/).waitFor();
    const tableSummary = page.locator('summary').filter({ hasText: 'learners' });
    await pressUntilFocused(page, tableSummary);
    await kb.press('Enter');
    await pressUntilFocused(page, page.getByRole('link', { name: 'Create a participant type from learners' }));
    await kb.press('Enter');
    await pressUntilFocused(page, page.getByLabel('Participant type name'));
    await kb.type('Learners');
    for (const name of ['Filter: region', 'Strata: region', 'Metric: completed']) {
      await pressUntilFocused(page, page.getByRole('checkbox', { name }));
      await kb.press('Space');
    }
    await pressUntilFocused(page, page.getByRole('button', { name: 'Save participant type' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Learners' }).waitFor();

    // 3. API key.
    await pressUntilFocused(page, page.getByRole('link', { name: 'Keyboard warehouse' }));
    await kb.press('Enter');
    await pressUntilFocused(page, page.getByRole('button', { name: 'Create API key' }));
    await kb.press('Enter');
    const keyDialog = page.getByRole('dialog', { name: 'Create API key for Keyboard warehouse' });
    await keyDialog.waitFor();
    await pressUntilFocused(page, keyDialog.getByLabel('Name'));
    await kb.type('backend');
    await pressUntilFocused(page, keyDialog.getByRole('button', { name: 'Create key' }));
    await kb.press('Enter');
    const created = page.getByRole('dialog', { name: 'API key created' });
    await created.waitFor();
    await pressUntilFocused(page, created.getByRole('button', { name: 'Copy API key' }));
    await kb.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^\S{20,}$/);
    const key = await page.evaluate(() => navigator.clipboard.readText());
    await pressUntilFocused(page, created.getByRole('button', { name: 'Done' }));
    await kb.press('Enter');
    await created.waitFor({ state: 'hidden' });

    // 4. Webhook.
    await pressUntilFocused(page, main.getByRole('link', { name: 'Webhooks' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await pressUntilFocused(page, page.getByRole('button', { name: 'Add webhook' }).first());
    await kb.press('Enter');
    const hook = page.getByRole('dialog', { name: 'Add webhook' });
    await hook.waitFor();
    await pressUntilFocused(page, hook.getByLabel('Name'));
    await kb.type('Keyboard backend');
    await pressUntilFocused(page, hook.getByLabel('URL'));
    await kb.type(receiver.url);
    await pressUntilFocused(page, hook.getByRole('button', { name: 'Add webhook' }));
    await kb.press('Enter');
    const hookCreated = page.getByRole('dialog', { name: 'Webhook created' });
    await pressUntilFocused(page, hookCreated.getByRole('button', { name: 'Done' }));
    await kb.press('Enter');
    await hookCreated.waitFor({ state: 'hidden' });

    // 5. The wizard.
    await pressUntilFocused(page, main.getByRole('link', { name: 'Experiments' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    await pressUntilFocused(page, page.getByRole('link', { name: /New experiment|Design your first experiment/ }).first());
    await kb.press('Enter');
    const next = page.getByRole('button', { name: 'Next' });
    await pressUntilFocused(page, page.getByRole('textbox', { name: 'Name', exact: true }));
    await kb.type('Keyboard reminders');
    await pressUntilFocused(page, page.getByRole('checkbox', { name: 'Keyboard backend' }));
    await kb.press('Space');
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '2. Type' }).waitFor();
    await pressUntilFocused(page, page.getByRole('radio', { name: 'Preassigned' }));
    await kb.press('Space');
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '3. Participants' }).waitFor();
    // A radio group is one Tab stop (the first radio while none is chosen); arrows choose within it.
    const ours = page.getByRole('radio', { name: /^Keyboard warehouse/ });
    for (let i = 0; i < 40 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'datasource')); i++) await kb.press('Tab');
    for (let i = 0; i < 5 && !(await ours.isChecked()); i++) await kb.press('ArrowDown');
    expect(await hasFocus(ours)).toBe(true);
    const typeSelect = page.getByRole('combobox', { name: 'Participant type' });
    await pressUntilFocused(page, typeSelect);
    await kb.type('Learners');
    await expect.poll(() => next.isEnabled(), { timeout: 30_000 }).toBe(true);
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '4. Arms' }).waitFor();
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '5. Filters' }).waitFor();
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '6. Strata' }).waitFor();
    await pressUntilFocused(page, page.getByRole('checkbox', { name: 'region' }));
    await kb.press('Space');
    await pressUntilFocused(page, next);
    await kb.press('Enter');
    await page.getByRole('heading', { name: '7. Metrics and power' }).waitFor();
    await pressUntilFocused(page, page.getByRole('button', { name: 'Add metric' }));
    await kb.press('Enter');
    const metric = page.getByRole('combobox', { name: 'Field of metric 1' });
    await expect.poll(() => hasFocus(metric)).toBe(true);
    await kb.type('completed');
    await pressUntilFocused(page, page.getByRole('textbox', { name: 'Minimum effect of metric 1 (% change)' }));
    await kb.press('ControlOrMeta+A');
    await kb.type('25');
    await pressUntilFocused(page, page.getByRole('button', { name: 'Check power' }));
    await kb.press('Enter');
    await page.getByRole('list', { name: 'Power check results' }).waitFor();
    await pressUntilFocused(page, page.getByRole('button', { name: 'Create experiment' }));
    await kb.press('Enter');
    await page.getByRole('heading', { name: 'Review and commit “Keyboard reminders”' }).waitFor({ timeout: 60_000 });
    await pressUntilFocused(page, page.getByRole('button', { name: 'Commit experiment' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard reminders' }).waitFor();

    // 6. The CSV.
    await pressUntilFocused(page, page.getByRole('button', { name: 'Download assignments (CSV)' }));
    const download = page.waitForEvent('download');
    await kb.press('Enter');
    const csv = await (await download).path();
    await page.getByText(/Downloaded [\d,]+ rows/).waitFor();

    await checkOutcome(ui, receiver, key, csv, async () => {
      await pressUntilFocused(page, main.getByRole('link', { name: 'Recent events' }));
      await kb.press('Enter');
    });
    expect(ui.problems).toEqual([]);
  });
});
