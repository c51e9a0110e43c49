/**
 * The experiment list and an experiment's page, in Chromium against `equipoise serve` on the embedded
 * default, with experiments made through the admin API: statuses in the list, the assignments CSV (its rows
 * checked against the server's), stop and resume of an online experiment, editing the registry with
 * problems shown inline, committing a draft from its page, the integration guide, renaming an arm,
 * deleting an experiment's data (counts checked through the API) and deleting the experiment by keyboard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createExperiment, demoDesign, demoIds, isoDay, type DemoIds } from './experiments-helpers.ts';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, SCREENSHOTS, useUi } from './support.ts';

interface Config {
  state: string;
  stopped_assignments_reason: string | null;
  decision: string;
  impact: string;
  design_spec: { experiment_name: string; end_date: string; design_url: string | null };
  assign_summary: { sample_size: number };
}

describeUi('experiment list and page', () => {
  const ui = useUi();
  const made = {} as { ids: DemoIds; preassigned: string; online: string; draft: string };

  beforeAll(async () => {
    // useUi's beforeAll (server + browser) runs first: hooks run in registration order.
    made.ids = await demoIds(ui);
    const ds = made.ids.datasourceId;
    made.preassigned = await createExperiment(ui, ds, demoDesign({ experiment_name: 'Preassigned reminder', desired_n: 500 }), { commit: true });
    made.online = await createExperiment(
      ui,
      ds,
      demoDesign({ experiment_type: 'freq_online', experiment_name: 'Online banner', strata: [], desired_n: null, start_date: `${isoDay(-3)}T00:00:00Z` }),
      { commit: true },
    );
    made.draft = await createExperiment(ui, ds, demoDesign({ experiment_name: 'Draft to commit', start_date: `${isoDay(20)}T00:00:00Z`, end_date: `${isoDay(50)}T23:59:59Z`, desired_n: 300 }));
  });

  const pageOf = (exp: string) => ui.url(`/datasources/${made.ids.datasourceId}/experiments/${exp}`);
  const config = async (exp: string) => (await ui.api<{ config: Config }>('GET', `/v1/m/datasources/${made.ids.datasourceId}/experiments/${exp}`)).config;

  it('lists drafts and committed experiments with their status, and links to each', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments'));
    const table = page.getByRole('table', { name: /Experiments of/ });
    await table.waitFor();
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    expect(await row('Draft to commit').getByText('Draft', { exact: true }).count()).toBe(1);
    expect(await row('Online banner').getByText('Running', { exact: true }).count()).toBe(1);
    expect(await row('Online banner').getByText('Online A/B').count()).toBe(1);
    expect(await row('Preassigned reminder').getByRole('cell', { name: '500', exact: true }).count()).toBe(1);
    await page.getByText('3 experiments').waitFor();
    await ui.screenshot('experiments');
    await page.getByRole('link', { name: 'Online banner' }).click();
    await page.waitForURL(pageOf(made.online));
    await page.getByRole('heading', { level: 1, name: 'Online banner' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('downloads the assignments CSV, says how many rows arrived and previews them', async () => {
    const { page } = ui;
    await page.goto(pageOf(made.preassigned));
    await page.getByRole('heading', { level: 1, name: 'Preassigned reminder' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download assignments (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`experiment_${made.preassigned}_assignments.csv`);
    const text = fs.readFileSync(await file.path(), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('participant_id,arm_id,arm_name,created_at,country');
    expect(lines).toHaveLength(501);
    // The same rows the admin API serves.
    const res = await fetch(ui.url(`/v1/m/datasources/${made.ids.datasourceId}/experiments/${made.preassigned}/assignments/csv`), { headers: { Authorization: `Bearer ${ui.server.token}` } });
    expect(text).toBe(await res.text());
    const arms = new Set(lines.slice(1).map((l) => l.split(',')[2]));
    expect([...arms].sort()).toEqual(['control', 'reminder']);
    const result = page.getByRole('status').filter({ hasText: 'Downloaded 500 rows' });
    await result.waitFor();
    expect(await result.getByRole('row').count()).toBe(6); // header + 5 preview rows
    expect(await page.getByText('Balanced', { exact: true }).or(page.getByText('Not balanced', { exact: true })).count()).toBe(1);
    expect(ui.problems).toEqual([]);
  });

  it('stops and resumes an online experiment after confirming, and says why it stopped', async () => {
    const { page } = ui;
    await page.goto(pageOf(made.online));
    await page.getByRole('heading', { level: 1, name: 'Online banner' }).waitFor();
    expect(await page.getByText('Balance check').count()).toBe(0);
    await page.getByRole('button', { name: 'Stop assignments' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop new assignments?' });
    await dialog.getByText(/already assigned keep their arm/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await config(made.online)).stopped_assignments_reason).toBeNull();

    await page.getByRole('button', { name: 'Stop assignments' }).click();
    await dialog.getByRole('button', { name: 'Stop assignments' }).click();
    await page.getByText('Assignments stopped. Existing assignments are still returned.').waitFor();
    await page.getByRole('heading', { name: /^Stopped by hand on/ }).or(page.getByText(/^Stopped by hand on/)).first().waitFor();
    expect((await config(made.online)).stopped_assignments_reason).toBe('manual');
    expect(await page.getByRole('button', { name: 'Stop assignments' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Resume assignments' }).click();
    await page.getByRole('dialog', { name: 'Resume assignments?' }).getByRole('button', { name: 'Resume assignments' }).click();
    await page.getByText('Assignments resumed.').waitFor();
    await page.getByRole('button', { name: 'Stop assignments' }).waitFor();
    expect((await config(made.online)).stopped_assignments_reason).toBeNull();
    // A preassigned experiment has no stop: everyone was assigned at creation.
    await page.goto(pageOf(made.preassigned));
    await page.getByRole('heading', { level: 1, name: 'Preassigned reminder' }).waitFor();
    expect(await page.getByRole('button', { name: 'Stop assignments' }).count()).toBe(0);
    expect(ui.problems).toEqual([]);
  });

  it('edits the registry with problems next to the fields', async () => {
    const { page } = ui;
    await page.goto(pageOf(made.online));
    await page.getByRole('button', { name: 'Edit registry' }).click();
    const form = page.getByRole('form', { name: 'Edit registry' });
    await form.getByRole('textbox', { name: 'Design document URL' }).fill('docs.example.org/banner');
    await form.getByLabel('End date (UTC)').fill(isoDay(-10));
    await form.getByRole('button', { name: 'Save registry' }).click();
    await form.getByRole('alert').filter({ hasText: 'The design document URL must start with http:// or https://.' }).waitFor();
    await form.getByRole('alert').filter({ hasText: 'The end date must not be before the start date.' }).waitFor();
    expect(await form.getByLabel('End date (UTC)').getAttribute('aria-invalid')).toBe('true');
    expect((await config(made.online)).design_spec.design_url).toBeNull();

    await form.getByRole('textbox', { name: 'Design document URL' }).fill('https://docs.example.org/banner');
    await form.getByLabel('End date (UTC)').fill(isoDay(90));
    await form.getByRole('textbox', { name: 'Decision' }).fill('Keep the banner for new learners.');
    await form.getByRole('combobox', { name: 'Impact' }).selectOption('medium');
    await form.getByRole('button', { name: 'Save registry' }).click();
    await page.getByText('Registry saved.').waitFor();
    await form.waitFor({ state: 'detached' });
    const registry = page.getByRole('region', { name: 'Registry' });
    await registry.getByText('Keep the banner for new learners.').waitFor();
    await registry.getByRole('link', { name: 'https://docs.example.org/banner' }).waitFor();
    const saved = await config(made.online);
    expect(saved).toMatchObject({ decision: 'Keep the banner for new learners.', impact: 'medium' });
    expect(saved.design_spec.design_url).toBe('https://docs.example.org/banner');
    expect(saved.design_spec.end_date).toBe(new Date(`${isoDay(90)}T23:59:59Z`).toISOString());
    expect(ui.problems).toEqual([]);
  });

  it('commits a draft from its page, and the integration guide has the real ids and the datasource’s keys', async () => {
    const { page } = ui;
    await page.goto(pageOf(made.draft));
    await page.getByRole('heading', { name: 'This is a draft' }).or(page.getByText('This is a draft')).first().waitFor();
    expect(await page.getByRole('button', { name: 'Edit registry' }).count()).toBe(0);
    const guide = page.getByRole('region', { name: 'Integration guide' });
    await guide.getByText('This datasource has no API key yet').waitFor();
    expect(await guide.getByRole('link', { name: 'Create an API key on the datasource page' }).getAttribute('href')).toBe(`/datasources/${made.ids.datasourceId}#api-keys-title`);

    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByRole('dialog', { name: 'Commit “Draft to commit”?' }).getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByText('“Draft to commit” is committed and live for your backend.').waitFor();
    await page.getByText('Upcoming', { exact: true }).first().waitFor();
    expect((await config(made.draft)).state).toBe('committed');

    await ui.api('POST', `/v1/m/datasources/${made.ids.datasourceId}/apikeys`, { name: 'backend' });
    await page.reload();
    await guide.getByText(/The datasource has 1 active API key \(backend\)/).waitFor();
    const curl = guide.getByLabel('curl command: Get assignment', { exact: true });
    expect(await curl.textContent()).toContain(`${ui.url('')}/v1/experiments/${made.draft}/assignments/\${PARTICIPANT_ID}`);
    await guide.getByRole('button', { name: 'Copy curl command: Get assignment' }).click();
    await page.getByText('curl command: Get assignment copied to the clipboard').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await curl.textContent());
    await guide.getByRole('button', { name: 'Copy experiment id' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(made.draft);
    expect(ui.problems).toEqual([]);
  });

  it('renames an arm, then deletes the assignments and snapshots after saying how many go', async () => {
    const { page } = ui;
    const ds = made.ids.datasourceId;
    const exp = await createExperiment(ui, ds, demoDesign({ experiment_name: 'Data to clear', desired_n: 300 }), { commit: true });
    const snapshotsPath = `/v1/m/organizations/${made.ids.organizationId}/datasources/${ds}/experiments/${exp}/snapshots`;
    const snapshotCount = async () => (await ui.api<{ items: { status: string }[] }>('GET', snapshotsPath)).items.length;
    await ui.api('POST', snapshotsPath);
    await expect.poll(async () => (await ui.api<{ items: { status: string }[] }>('GET', snapshotsPath)).items.map((s) => s.status), { timeout: 30_000 }).toEqual(['success']);
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(pageOf(exp));
    await page.getByRole('heading', { level: 1, name: 'Data to clear' }).waitFor();
    const arms = page.getByRole('table', { name: 'Arms of Data to clear' });
    await arms.getByRole('button', { name: 'Edit arm control' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit arm “control”' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('Reminder');
    await dialog.getByRole('button', { name: 'Save arm' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Another arm is already called “reminder”.' }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('');
    await name.fill('No reminder');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('The course as it is today');
    // A dialog is fixed to the viewport, so these screenshots are of the viewport, not the whole page.
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'experiment-arm-edit.png') });
    await dialog.getByRole('button', { name: 'Save arm' }).click();
    await page.getByText('Arm “No reminder” saved.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await arms.getByRole('button', { name: 'Edit arm No reminder' }).waitFor();
    await arms.getByText('The course as it is today').waitFor();
    const renamed = (await ui.api<{ config: { design_spec: { arms: { arm_name: string; arm_description: string }[] } } }>('GET', `/v1/m/datasources/${ds}/experiments/${exp}`)).config.design_spec.arms[0];
    expect(renamed).toMatchObject({ arm_name: 'No reminder', arm_description: 'The course as it is today' });
    // The guide's example answer names the first arm, as the server now does.
    const guide = page.getByRole('region', { name: 'Integration guide' });
    await guide.getByText('Example answer').first().click();
    await guide.getByText(/"arm_name": "No reminder"/).first().waitFor();

    expect((await config(exp)).assign_summary.sample_size).toBe(300);
    expect(await snapshotCount()).toBe(1);
    const zone = page.getByRole('region', { name: 'Delete data or the experiment' });
    await zone.getByRole('button', { name: 'Delete data…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete data' });
    await del.getByRole('checkbox', { name: 'Assignments (300)' }).check();
    await del.getByRole('checkbox', { name: 'Snapshots (1)' }).check();
    await del.getByText('This deletes the 300 assignments made when the experiment was created.').waitFor();
    await del.getByText(/^The public API then answers as if nobody had been assigned/).waitFor();
    await del.getByText('It also deletes the 1 snapshot, the history of the results.').waitFor();
    // The modal is drawn where the window is scrolled: at the top, the section at the bottom stays in view.
    await page.evaluate(() => window.scrollTo(0, 0));
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'experiment-danger-zone.png') });
    await del.getByRole('button', { name: 'Delete data' }).click();
    await page.getByText('The assignments and snapshots were deleted.').waitFor();
    expect((await config(exp)).assign_summary.sample_size).toBe(0);
    expect(await snapshotCount()).toBe(0);
    // The page follows without a reload: counts, results and the snapshot history.
    await expect.poll(async () => arms.getByRole('row', { name: /^Total/ }).textContent()).toMatch(/Total\s*0—$/);
    await page.getByText('No participants yet').waitFor();
    await page.getByRole('region', { name: 'Snapshot history' }).getByText(/No snapshots yet/).waitFor();
    expect(failed).toEqual([]);
    expect(ui.problems).toEqual([]);
  });

  it('deletes an experiment with the keyboard alone, after “delete” is typed, and lands on the list', async () => {
    const { page } = ui;
    const ds = made.ids.datasourceId;
    const exp = await createExperiment(ui, ds, demoDesign({ experiment_type: 'freq_online', experiment_name: 'Short-lived banner', strata: [], desired_n: null }), { commit: true });
    await page.goto(pageOf(exp));
    await page.getByRole('heading', { level: 1, name: 'Short-lived banner' }).waitFor();
    const opener = page.getByRole('button', { name: 'Delete experiment…' });
    // The last control on the page: Shift+Tab from the top wraps round to it.
    await tabTo(page, opener, { back: true });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete experiment “Short-lived banner”?' });
    const typed = dialog.getByRole('textbox', { name: 'Type delete to confirm' });
    await expect.poll(() => hasFocus(typed)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => hasFocus(opener)).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(() => hasFocus(typed)).toBe(true);
    await page.keyboard.type('delet');
    await page.keyboard.press('Enter');
    expect(await dialog.getByRole('button', { name: 'Delete experiment' }).isDisabled()).toBe(true);
    await page.keyboard.type('e');
    await page.keyboard.press('Enter');
    await page.waitForURL(ui.url('/experiments'));
    await page.getByText('Experiment “Short-lived banner” deleted').waitFor();
    const table = page.getByRole('table', { name: /Experiments of/ });
    await table.getByRole('link', { name: 'Preassigned reminder' }).waitFor();
    expect(await table.getByRole('link', { name: 'Short-lived banner' }).count()).toBe(0);
    const res = await fetch(ui.url(`/v1/m/datasources/${ds}/experiments/${exp}`), { headers: { Authorization: `Bearer ${ui.server.token}` } });
    expect(res.status).toBe(404);
    expect(ui.problems).toEqual([]);
  });

  it('an unknown experiment says so', async () => {
    await ui.page.goto(ui.url(`/datasources/${made.ids.datasourceId}/experiments/exp_doesnotexist`));
    await ui.page.getByRole('heading', { level: 1, name: 'Experiment not found' }).waitFor();
    expect(ui.problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
  });
});
