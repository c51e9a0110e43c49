/**
 * Every main screen checked by axe-core against WCAG 2.0/2.1 A and AA, in Chromium against `equipoise
 * serve`, each showing real content seeded through the API: a committed preassigned experiment with
 * results and two snapshots, a bandit fed draws and outcomes through the public API, a webhook with a
 * delivery to a real receiver, API keys. Screens of one area are checked in one test and their violations
 * reported together, each with its rule, impact, elements and help (see axe.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { cmabDesign, mabDesign } from '../bandits/support.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { AxeReport } from './axe.ts';
import { createExperiment, demoDesign, demoIds, isoDay, type DemoIds } from './experiments-helpers.ts';
import { describeUi, useUi } from './support.ts';

/** Unfolds every "Show the numbers" and other folded section, so axe checks what they hide too. */
async function unfoldAll(page: Page): Promise<void> {
  await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
}

describeUi('accessibility of every screen (axe-core, WCAG 2.1 AA)', () => {
  const ui = useUi();
  let receiver: WebhookReceiver;
  const made = {} as { ids: DemoIds; apiOnly: string; trial: string; bandit: string; banditSnapshot: string; contextual: string; webhook: string };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    made.ids = await demoIds(ui);
    const org = made.ids.organizationId;
    const dss = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${org}/datasources`);
    made.apiOnly = dss.items.find((d) => d.driver === 'none')!.id;

    made.webhook = (await ui.api<{ id: string }>('POST', `/v1/m/organizations/${org}/webhooks`, { name: 'Backend', url: receiver.url, event_types: ['webhook.test', 'experiment.created'] })).id;
    await ui.api('POST', `/v1/m/organizations/${org}/webhooks/${made.webhook}/test`);
    await receiver.waitFor(1, 20_000);
    await ui.api('POST', `/v1/m/datasources/${made.ids.datasourceId}/apikeys`, { name: 'Reporting backend' });

    made.trial = await createExperiment(
      ui,
      made.ids.datasourceId,
      demoDesign({ experiment_name: 'Course reminders', covariates: [{ field_name: 'sessions_last_30d' }], metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }, { field_name: 'weekly_minutes' }] }),
      { commit: true },
    );
    // Two snapshots, so the history draws its charts with more than one point.
    const snapshots = `/v1/m/organizations/${org}/datasources/${made.ids.datasourceId}/experiments/${made.trial}/snapshots`;
    for (let i = 1; i <= 2; i++) {
      await ui.api('POST', snapshots);
      await vi.waitFor(
        async () => {
          const { items } = await ui.api<{ items: { status: string }[] }>('GET', snapshots);
          if (items.filter((x) => x.status === 'success').length < i) throw new Error(`snapshot ${i} is not taken yet`);
        },
        { timeout: 30_000, interval: 250 },
      );
    }

    const { key } = await ui.api<{ key: string }>('POST', `/v1/m/datasources/${made.apiOnly}/apikeys`, { name: 'Bandit backend', rate_limit_per_second: 10_000 });
    const bandit = await ui.api<{ experiment_id: string }>('POST', `/v1/m/datasources/${made.apiOnly}/experiments`, {
      design_spec: mabDesign({ experiment_name: 'Reminder channel bandit', start_date: `${isoDay(-1)}T00:00:00Z`, end_date: `${isoDay(30)}T23:59:59Z` }),
    });
    made.bandit = bandit.experiment_id;
    await ui.api('POST', `/v1/m/datasources/${made.apiOnly}/experiments/${made.bandit}/commit`);
    for (let i = 0; i < 12; i++) {
      const headers = { 'X-API-Key': key, 'Content-Type': 'application/json' };
      const drawn = await fetch(ui.url(`/v1/experiments/${made.bandit}/assignments/u${i}`), { headers });
      expect(drawn.ok).toBe(true);
      const posted = await fetch(ui.url(`/v1/experiments/${made.bandit}/assignments/u${i}/outcome`), { method: 'POST', headers, body: JSON.stringify({ outcome: i % 3 === 0 ? 1 : 0 }) });
      expect(posted.ok).toBe(true);
    }
    const banditSnapshots = `/v1/m/organizations/${org}/datasources/${made.apiOnly}/experiments/${made.bandit}/snapshots`;
    made.banditSnapshot = (await ui.api<{ id: string }>('POST', banditSnapshots)).id;
    await vi.waitFor(
      async () => {
        const { snapshot } = await ui.api<{ snapshot: { status: string } }>('GET', `${banditSnapshots}/${made.banditSnapshot}`);
        if (snapshot.status !== 'success') throw new Error('the bandit snapshot is not taken yet');
      },
      { timeout: 30_000, interval: 250 },
    );

    // A contextual bandit with a few outcomes, so its prediction form has something to predict from.
    const contextual = await ui.api<{ experiment_id: string; design_spec: { contexts: { context_id: string }[] } }>('POST', `/v1/m/datasources/${made.apiOnly}/experiments`, {
      design_spec: cmabDesign({ experiment_name: 'Contextual course offer', reward_type: 'binary', start_date: `${isoDay(-1)}T00:00:00Z`, end_date: `${isoDay(30)}T23:59:59Z` }),
    });
    made.contextual = contextual.experiment_id;
    await ui.api('POST', `/v1/m/datasources/${made.apiOnly}/experiments/${made.contextual}/commit`);
    const [returning, age] = contextual.design_spec.contexts.map((c) => c.context_id);
    for (const [pid, r, a, y] of [['c1', 1, 2, 1], ['c2', 1, 0.5, 0], ['c3', 0, 1, 1], ['c4', 0, 3, 0]] as const) {
      const headers = { 'X-API-Key': key, 'Content-Type': 'application/json' };
      const body = JSON.stringify({ context_inputs: [{ context_id: returning, context_value: r }, { context_id: age, context_value: a }] });
      expect((await fetch(ui.url(`/v1/experiments/${made.contextual}/assignments/${pid}/assign_cmab`), { method: 'POST', headers, body })).ok).toBe(true);
      expect((await fetch(ui.url(`/v1/experiments/${made.contextual}/assignments/${pid}/outcome`), { method: 'POST', headers, body: JSON.stringify({ outcome: y }) })).ok).toBe(true);
    }
  });
  afterAll(async () => receiver?.close());

  // Both themes: styles.css has its own dark colours, and contrast is checked against what is drawn.
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the sign-in screen`, async () => {
      const context = await ui.browser.newContext({ colorScheme: scheme });
      try {
        const page = await context.newPage();
        await page.goto(ui.url('/'));
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        const report = new AxeReport();
        await report.check(page, 'sign-in');
        await page.getByLabel('Email').fill('nobody@example.org');
        await page.getByLabel('Password').fill('wrong-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Email or password is not right').waitFor();
        await report.check(page, 'sign-in with an error');
        report.expectClean();
      } finally {
        await context.close();
      }
    });

    it(`${scheme}: the experiments list, an A/B experiment with results and snapshots, and a bandit`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      await page.goto(ui.url('/experiments'));
      await page.getByRole('link', { name: 'Course reminders' }).waitFor();
      await report.check(page, 'experiments list');

      await page.goto(ui.url(`/datasources/${made.ids.datasourceId}/experiments/${made.trial}`));
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('table', { name: 'weekly_minutes by arm' }).waitFor({ timeout: 30_000 });
      const history = page.getByRole('region', { name: 'Snapshot history' });
      await history.getByRole('figure', { name: 'weekly_minutes: difference from control at each snapshot' }).waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      await unfoldAll(page);
      await report.check(page, 'A/B experiment page');

      await page.goto(ui.url(`/datasources/${made.apiOnly}/experiments/${made.bandit}`));
      await page.getByRole('heading', { level: 1, name: 'Reminder channel bandit' }).waitFor();
      await page.getByRole('region', { name: 'How the arms are doing' }).getByRole('table', { name: 'The arms now' }).waitFor();
      await unfoldAll(page);
      await report.check(page, 'bandit page');
      report.expectClean();
    });

    it(`${scheme}: the wizard: every step of a preassigned design, and the review`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      const next = page.getByRole('button', { name: 'Next' });
      await page.goto(ui.url('/experiments/new'));
      await page.getByRole('heading', { name: '1. Basics' }).waitFor();
      await report.check(page, 'wizard: basics (empty)');
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Axe-checked design');
      await next.click();
      await page.getByRole('heading', { name: '2. Type' }).waitFor();
      await report.check(page, 'wizard: type');
      await page.getByRole('radio', { name: 'Preassigned' }).check();
      await next.click();
      await page.getByRole('heading', { name: '3. Participants' }).waitFor();
      await page.getByText(/fields to filter on, 3 possible metrics/).waitFor();
      await report.check(page, 'wizard: participants');
      await next.click();
      await page.getByRole('heading', { name: '4. Arms' }).waitFor();
      await page.getByRole('checkbox', { name: /Split participants unequally/ }).check();
      await report.check(page, 'wizard: arms');
      await page.getByRole('checkbox', { name: /Split participants unequally/ }).uncheck();
      await next.click();
      await page.getByRole('heading', { name: '5. Filters' }).waitFor();
      await page.getByRole('button', { name: 'Add filter' }).click();
      await page.getByLabel('Field of filter 1').selectOption('age');
      await report.check(page, 'wizard: filters');
      await page.getByRole('button', { name: /^Remove filter 1/ }).click();
      await next.click();
      await page.getByRole('heading', { name: '6. Strata' }).waitFor();
      await report.check(page, 'wizard: strata');
      await next.click();
      await page.getByRole('heading', { name: '7. Metrics and power' }).waitFor();
      await page.getByRole('button', { name: 'Add metric' }).click();
      await page.getByLabel('Field of metric 1').selectOption('completed_course');
      await page.getByRole('button', { name: 'Check power' }).click();
      await page.getByRole('list', { name: 'Power check results' }).waitFor();
      await report.check(page, 'wizard: metrics and power');
      await page.getByRole('button', { name: 'Create experiment' }).click();
      await page.getByRole('heading', { name: 'Review and commit “Axe-checked design”' }).waitFor({ timeout: 60_000 });
      await page.getByText(/^(Balanced|Not balanced)$/).waitFor();
      await report.check(page, 'wizard: review');
      report.expectClean();
    });

    it(`${scheme}: datasources, a datasource, a participant type, webhooks and a webhook`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      await page.goto(ui.url('/datasources'));
      await page.getByRole('table', { name: /Datasources of/ }).waitFor();
      await report.check(page, 'datasources list');

      await page.goto(ui.url(`/datasources/${made.ids.datasourceId}`));
      await page.getByText('Reporting backend').first().waitFor();
      await report.check(page, 'datasource page');

      await page.getByRole('link', { name: 'Demo participants' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Demo participants' }).waitFor();
      await page.getByRole('table').first().waitFor();
      await report.check(page, 'participant type page');

      await page.goto(ui.url('/webhooks'));
      await page.getByRole('link', { name: 'Backend' }).waitFor();
      await report.check(page, 'webhooks list');

      await page.goto(ui.url(`/webhooks/${made.webhook}`));
      await page.getByRole('table', { name: 'Delivery attempts, newest first' }).getByRole('row').filter({ hasText: 'webhook.test' }).first().waitFor();
      await report.check(page, 'webhook page');
      report.expectClean();
    });

    it(`${scheme}: recent events with the details dialog open`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      await page.goto(ui.url('/events'));
      const rows = page.getByRole('table', { name: 'Recent events, newest first' }).locator('tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      await report.check(page, 'recent events');
      await rows.first().getByRole('button', { name: /^Details/ }).click();
      await page.getByRole('dialog', { name: 'Event details' }).waitFor();
      await report.check(page, 'event details dialog', { include: 'dialog[open]' });
      report.expectClean();
    });

    it(`${scheme}: organization settings with members, the audit log, and the instance users`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      await page.goto(ui.url('/settings'));
      await page.getByRole('heading', { level: 1, name: 'Organization settings' }).waitFor();
      await page.getByRole('heading', { name: /^Members \(/ }).waitFor();
      await report.check(page, 'organization settings');

      await page.goto(ui.url('/settings/audit'));
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await page.locator('section', { has: page.getByRole('heading', { name: 'Entries' }) }).getByRole('table').waitFor();
      await report.check(page, 'audit log');

      await page.goto(ui.url('/admin/users'));
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await page.getByRole('table').first().waitFor();
      await report.check(page, 'instance users');

      await page.getByRole('link', { name: 'admin@localhost' }).click();
      await page.getByRole('heading', { level: 1, name: 'admin@localhost' }).waitFor();
      await report.check(page, 'instance user page');

      await page.goto(ui.url('/admin/organizations'));
      await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
      await page.getByRole('table').first().waitFor();
      await report.check(page, 'instance organizations');

      await page.goto(ui.url('/no/such/screen'));
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await report.check(page, 'page not found');
      report.expectClean();
      expect(ui.problems).toEqual([]);
    });

    it(`${scheme}: the dialogs that add things, with their validation messages and what they create`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      const dialog = 'dialog[open]';

      await page.goto(ui.url('/datasources'));
      await page.getByRole('button', { name: 'Add datasource' }).click();
      const addDatasource = page.getByRole('dialog', { name: 'Add datasource' });
      await addDatasource.getByRole('button', { name: 'Save datasource' }).click();
      await addDatasource.getByRole('alert').first().waitFor();
      await report.check(page, 'add datasource, with errors', { include: dialog });

      await page.goto(ui.url(`/datasources/${made.ids.datasourceId}`));
      await page.getByRole('button', { name: 'Create API key' }).click();
      const createKey = page.getByRole('dialog', { name: /^Create API key for/ });
      await createKey.getByLabel('Name').fill(`Axe ${scheme}`);
      await report.check(page, 'create API key', { include: dialog });
      await createKey.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('dialog', { name: 'API key created' }).getByText('Copy the key now').waitFor();
      await report.check(page, 'API key created', { include: dialog });

      await page.goto(ui.url('/webhooks'));
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const addWebhook = page.getByRole('dialog', { name: 'Add webhook' });
      await addWebhook.getByLabel('Name').fill(`Axe ${scheme}`);
      await addWebhook.getByLabel('URL').fill(receiver.url);
      await report.check(page, 'add webhook', { include: dialog });
      await addWebhook.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByRole('dialog', { name: 'Webhook created' }).getByText(`“Axe ${scheme}” is ready`).waitFor();
      await report.check(page, 'webhook created', { include: dialog });

      await page.goto(ui.url('/admin/users'));
      await page.getByRole('button', { name: 'Add user' }).click();
      const addUser = page.getByRole('dialog', { name: 'Add a user' });
      await addUser.getByLabel(/Email address/).fill('dan@');
      await addUser.getByRole('button', { name: 'Add user' }).click();
      await addUser.getByText('This does not look like an email address').waitFor();
      await report.check(page, 'add a user, with an error', { include: dialog });
      report.expectClean();
    });
    it(`${scheme}: the bandit wizard: a warehouse bandit's datasource, a contextual bandit's contexts, every step of a MAB, and the review`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      const next = page.getByRole('button', { name: 'Next' });
      const steps = page.getByRole('navigation', { name: 'Wizard steps' });
      await page.goto(ui.url('/experiments/new'));
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Axe-checked bandit');
      await next.click();
      await page.getByRole('heading', { name: '2. Type' }).waitFor();
      await page.getByRole('radio', { name: 'Bandit with warehouse outcomes' }).check();
      await report.check(page, 'bandit wizard: type');
      await next.click();

      await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
      await expect.poll(() => page.getByRole('radio', { name: /A participant type/ }).isChecked(), { timeout: 30_000 }).toBe(true);
      await page.getByRole('combobox', { name: 'Outcome column' }).selectOption('completed_course');
      await page.getByText(/^Outcome: completed the course\./).waitFor();
      await report.check(page, 'bandit wizard: warehouse datasource, by participant type');
      await page.getByRole('radio', { name: /A table and its unique id column/ }).check();
      await expect.poll(() => page.getByRole('combobox', { name: 'Unique id column' }).inputValue(), { timeout: 30_000 }).toBe('participant_id');
      await report.check(page, 'bandit wizard: warehouse datasource, by table');

      await steps.getByRole('button', { name: /^Type/ }).click();
      await page.getByRole('radio', { name: 'Contextual bandit' }).check();
      await next.click();
      await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
      await expect.poll(() => page.getByRole('radio', { name: /^API only/ }).isChecked()).toBe(true);
      await report.check(page, 'bandit wizard: API-only datasource');
      await next.click();
      await page.getByRole('heading', { name: '4. Contexts' }).waitFor();
      await page.getByRole('textbox', { name: 'Name of context 1' }).fill('returning');
      await page.getByRole('button', { name: 'Add context' }).click();
      await page.getByRole('textbox', { name: 'Name of context 2' }).fill('age');
      await page.getByRole('group', { name: 'Value of context 2' }).getByRole('radio', { name: /A number/ }).check();
      await report.check(page, 'bandit wizard: contexts');

      await steps.getByRole('button', { name: /^Type/ }).click();
      await page.getByRole('radio', { name: 'Multi-armed bandit' }).check();
      await next.click();
      await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
      await expect.poll(() => next.isEnabled()).toBe(true);
      await next.click();
      await page.getByRole('heading', { name: '4. Outcomes' }).waitFor();
      await page.getByRole('checkbox', { name: /Count a missing outcome after a while/ }).check();
      await page.getByRole('textbox', { name: /Wait \(hours\)/ }).fill('48');
      await report.check(page, 'bandit wizard: outcomes');
      await next.click();
      await page.getByRole('heading', { name: '5. Arms and priors' }).waitFor();
      const alpha = page.getByLabel('Prior successes α of arm 1');
      await alpha.fill('0');
      await alpha.blur();
      await page.getByText(/To continue: α of arm 1 must be a number above 0\./).waitFor();
      await report.check(page, 'bandit wizard: arms and priors, with a problem');
      await alpha.fill('3');
      await page.getByRole('radio', { name: 'How likely each arm is to win' }).check();
      await page.getByText('The chances add up to 100%.').waitFor();
      await report.check(page, 'bandit wizard: arms and chances of winning');
      await page.getByRole('button', { name: 'Create experiment' }).click();
      await page.getByRole('heading', { name: 'Review and commit “Axe-checked bandit”' }).waitFor({ timeout: 30_000 });
      await report.check(page, 'bandit wizard: review');
      report.expectClean();
    });

    it(`${scheme}: a contextual bandit's predictions with a problem, snapshots opened as of their time, and z inference`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      await page.goto(ui.url(`/datasources/${made.apiOnly}/experiments/${made.contextual}`));
      const form = page.getByRole('region', { name: 'Predictions for a participant' }).getByRole('form', { name: 'Context values' });
      await form.getByRole('combobox', { name: 'returning' }).selectOption('1');
      await form.getByRole('textbox', { name: 'age' }).fill('three');
      await form.getByRole('button', { name: 'Show predictions' }).click();
      await form.getByRole('alert').filter({ hasText: 'Enter a number for age.' }).waitFor();
      await report.check(page, 'contextual bandit: prediction form, with a problem');
      await form.getByRole('textbox', { name: 'age' }).fill('3');
      await form.getByRole('button', { name: 'Show predictions' }).click();
      await page.getByRole('table', { name: 'Predictions for returning = yes, age = 3' }).waitFor();
      await unfoldAll(page);
      await report.check(page, 'contextual bandit: predictions');

      await page.goto(ui.url(`/datasources/${made.apiOnly}/experiments/${made.bandit}?snapshot=${made.banditSnapshot}`));
      await page.getByRole('region', { name: 'How the arms were doing' }).getByText(/^As of /).waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      await unfoldAll(page);
      await report.check(page, 'bandit snapshot, as of its time');

      const trial = `/datasources/${made.ids.datasourceId}/experiments/${made.trial}`;
      const { items } = await ui.api<{ items: { id: string; status: string }[] }>('GET', `/v1/m/organizations/${made.ids.organizationId}${trial}/snapshots`);
      await page.goto(ui.url(`${trial}?snapshot=${items.find((x) => x.status === 'success')!.id}`));
      await page.getByRole('region', { name: 'Results from a snapshot' }).getByText(/^As of /).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      await unfoldAll(page);
      await report.check(page, 'A/B snapshot, as of its time');

      await page.goto(ui.url(`${trial}?inference=z`));
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('table', { name: 'weekly_minutes by arm' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => results.getByRole('combobox', { name: 'Intervals and p-values from' }).inputValue()).toBe('z');
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      await unfoldAll(page);
      await report.check(page, 'A/B results with normal (z) inference');
      report.expectClean();
    });

    it(`${scheme}: the experiment page's dialogs: edit arm with a problem, delete data, delete experiment`, async () => {
      const { page } = ui;
      await page.emulateMedia({ colorScheme: scheme });
      const report = new AxeReport();
      const dialog = 'dialog[open]';
      await page.goto(ui.url(`/datasources/${made.ids.datasourceId}/experiments/${made.trial}`));
      await page.getByRole('heading', { level: 1, name: 'Course reminders' }).waitFor();
      const arms = page.getByRole('table', { name: 'Arms of Course reminders' });
      await arms.getByRole('button', { name: 'Edit arm control' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit arm “control”' });
      await edit.getByRole('textbox', { name: 'Name' }).fill('Reminder');
      await edit.getByRole('button', { name: 'Save arm' }).click();
      await edit.getByRole('alert').filter({ hasText: 'Another arm is already called “reminder”.' }).waitFor();
      await report.check(page, 'edit arm, with a problem', { include: dialog });
      await page.keyboard.press('Escape');
      await edit.waitFor({ state: 'hidden' });

      // Each dialog is checked and closed unconfirmed: the experiment stays for the other tests.
      await page.getByRole('button', { name: 'Delete data…' }).click();
      const data = page.getByRole('dialog', { name: 'Delete data' });
      await data.getByRole('checkbox', { name: /^Assignments/ }).check();
      await data.getByRole('checkbox', { name: /^Snapshots/ }).check();
      await data.getByText(/^It also deletes all 2 snapshots/).waitFor();
      await report.check(page, 'delete data', { include: dialog });
      await page.keyboard.press('Escape');
      await data.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'Delete experiment…' }).click();
      const experiment = page.getByRole('dialog', { name: 'Delete experiment “Course reminders”?' });
      await experiment.getByRole('textbox', { name: 'Type delete to confirm' }).fill('del');
      await report.check(page, 'delete experiment', { include: dialog });
      await page.keyboard.press('Escape');
      await experiment.waitFor({ state: 'hidden' });
      report.expectClean();
      expect(ui.problems).toEqual([]);
    });

    it(`${scheme}: accepting an invite, with a short password explained`, async () => {
      const email = `axe-${scheme}@example.org`;
      await ui.api('POST', `/v1/m/organizations/${made.ids.organizationId}/invites`, { email });
      const [, link] = await ui.server.process.waitForLine(new RegExp(`Mail to ${email.replace(/\./g, '\\.')}: [\\s\\S]*?(http\\S+#invite=\\S+)`), 20_000);
      const context = await ui.browser.newContext({ colorScheme: scheme });
      try {
        const page = await context.newPage();
        const report = new AxeReport();
        await page.goto(link!);
        await page.getByRole('heading', { name: 'Accept your invite' }).waitFor();
        await report.check(page, 'invite acceptance');
        await page.getByLabel('Choose a password (optional)').fill('short');
        await page.getByRole('button', { name: 'Accept invite' }).click();
        await page.getByText('Use at least 10 characters, or leave it empty.').waitFor();
        await report.check(page, 'invite acceptance, with a short password');
        report.expectClean();
      } finally {
        await context.close();
      }
    });
  }
});
