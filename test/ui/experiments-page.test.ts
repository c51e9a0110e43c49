/**
 * The experiment list and an experiment's page, in Chromium against `equipoise serve` on the embedded
 * default, with experiments made through the admin API: statuses in the list, the assignments CSV (its rows
 * checked against the server's), stop and resume of an online experiment, editing the registry with
 * problems shown inline, committing a draft from its page, and the integration guide.
 */
import fs from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { createExperiment, demoDesign, demoIds, isoDay, type DemoIds } from './experiments-helpers.ts';
import { describeUi, useUi } from './support.ts';

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

  it('an unknown experiment says so', async () => {
    await ui.page.goto(ui.url(`/datasources/${made.ids.datasourceId}/experiments/exp_doesnotexist`));
    await ui.page.getByRole('heading', { level: 1, name: 'Experiment not found' }).waitFor();
    expect(ui.problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
  });
});
