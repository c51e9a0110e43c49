/**
 * The experiments list at scale, in Chromium against `equipoise serve` on the embedded default: 25
 * experiments of every type and state made through the admin API (bandits on the "API only" datasource),
 * then paging forward and back, search and filters mirrored in the address (kept on reload and on Back),
 * filtering and opening an experiment with the keyboard alone, and the empty-match state.
 */
import { beforeAll, expect, it } from 'vitest';
import { cmabDesign, dwhDesign, mabDesign } from '../bandits/support.ts';
import { createExperiment, demoDesign, demoIds, isoDay, type DemoIds } from './experiments-helpers.ts';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

describeUi('experiments list: search, filters, paging', () => {
  const ui = useUi();
  const made = new Map<string, string>();
  let ids: DemoIds;
  let apiOnly: string;

  beforeAll(async () => {
    ids = await demoIds(ui);
    const ds = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${ids.organizationId}/datasources`);
    apiOnly = ds.items.find((d) => d.driver === 'none')!.id;
    const dates = { start_date: `${isoDay(-2)}T00:00:00Z`, end_date: `${isoDay(60)}T23:59:59Z` };
    const online = (name: string, description = 'One group of the autumn course.') =>
      demoDesign({ experiment_type: 'freq_online', experiment_name: name, description, strata: [], desired_n: null, ...dates });
    // Oldest first; the list shows newest first. [name, datasource, design, what happens after creation]
    const plan: [string, string, Record<string, unknown>, ('commit' | 'abandon')?][] = [
      ['Attendance reminder SMS', ids.datasourceId, demoDesign({ experiment_name: 'Attendance reminder SMS', desired_n: 200, ...dates }), 'commit'],
      ['Budget pilot', ids.datasourceId, demoDesign({ experiment_name: 'Budget pilot', desired_n: 100, ...dates })],
      ['Homework nudge', ids.datasourceId, online('Homework nudge', 'A weekly reminder by email.')],
      ['Reminder tone test', ids.datasourceId, online('Reminder tone test'), 'abandon'],
      ['Offer bandit', apiOnly, mabDesign({ experiment_name: 'Offer bandit', description: 'Which offer gets clicked.', ...dates }), 'commit'],
      ['Contextual offer', apiOnly, cmabDesign({ experiment_name: 'Contextual offer', ...dates })],
      ['Completion bandit', ids.datasourceId, dwhDesign({ experiment_name: 'Completion bandit', ...dates }), 'commit'],
    ];
    for (let i = 1; i <= 18; i++) {
      const name = `Cohort ${String(i).padStart(2, '0')}`;
      plan.push([name, ids.datasourceId, online(name), i % 3 === 0 ? undefined : 'commit']);
    }
    for (const [name, datasourceId, design, then] of plan) {
      const id = await createExperiment(ui, datasourceId, design, { commit: then === 'commit' });
      if (then === 'abandon') await ui.api('POST', `/v1/m/datasources/${datasourceId}/experiments/${id}/abandon`);
      made.set(name, id);
    }
  });

  const table = () => ui.page.getByRole('table', { name: /Experiments of/ });
  const rowNames = async () => table().locator('tbody th[scope="row"] > a').allTextContents();
  const countLine = () => ui.page.locator('.list-count');
  const search = () => ui.page.getByRole('searchbox', { name: 'Search' });

  it('pages through drafts and committed experiments, newest first, with drafts marked and bandits shown', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments'));
    await table().waitFor();
    await expect.poll(rowNames).toHaveLength(20);
    const first = await rowNames();
    expect(first.slice(0, 3)).toEqual(['Cohort 18', 'Cohort 17', 'Cohort 16']);
    expect(await countLine().textContent()).toBe('24 experiments, drafts and committed; abandoned drafts are not listed. Showing 1–20.');

    const row = (name: string) => table().getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    expect(await row('Cohort 18').getByText('Draft', { exact: true }).count()).toBe(1);
    expect(await row('Cohort 18').getByRole('link', { name: 'Review and commit Cohort 18' }).getAttribute('href')).toBe(`/datasources/${ids.datasourceId}/experiments/${made.get('Cohort 18')}`);
    expect(await row('Cohort 17').getByText('Running', { exact: true }).count()).toBe(1);
    expect(await row('Cohort 17').getByRole('link', { name: /Review and commit/ }).count()).toBe(0);
    await ui.screenshot('experiments-list');

    // Bandits: their type, their datasource by name, and draws (none yet) as the size.
    expect(await row('Contextual offer').getByRole('cell', { name: 'Contextual bandit', exact: true }).count()).toBe(1);
    expect(await row('Contextual offer').getByRole('cell', { name: 'API only', exact: true }).count()).toBe(1);
    expect(await row('Completion bandit').getByRole('cell', { name: 'Bandit (warehouse)', exact: true }).count()).toBe(1);
    expect(await row('Completion bandit').getByRole('cell', { name: 'Demo warehouse (DuckDB)', exact: true }).count()).toBe(1);

    await page.getByRole('navigation', { name: 'Experiments pages' }).getByRole('button', { name: 'Next →' }).click();
    await expect.poll(rowNames).toEqual(['Offer bandit', 'Homework nudge', 'Budget pilot', 'Attendance reminder SMS']);
    await expect.poll(() => countLine().textContent()).toBe('24 experiments, drafts and committed; abandoned drafts are not listed. Showing 21–24.');
    expect(new Set([...first, ...(await rowNames())]).size).toBe(24);
    expect(await row('Offer bandit').getByRole('cell', { name: 'Bandit', exact: true }).count()).toBe(1);
    expect(await row('Offer bandit').getByRole('cell', { name: '0', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Reminder tone test' }).count()).toBe(0);
    await ui.screenshot('experiments-list-page-2');

    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(rowNames).toEqual(first);
    expect(ui.problems).toEqual([]);
  });

  it('searches and filters, keeps them in the address through a reload and Back, and pages the matches', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments'));
    await table().waitFor();
    await search().fill('reminder');
    await page.waitForURL(ui.url('/experiments?q=reminder'));
    // The name or the description: "Homework nudge" is "A weekly reminder by email"; the abandoned one is hidden.
    await expect.poll(rowNames).toEqual(['Homework nudge', 'Attendance reminder SMS']);
    expect(await countLine().textContent()).toBe('2 experiments match the filters.');

    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Every status, abandoned too' });
    await expect.poll(rowNames).toEqual(['Reminder tone test', 'Homework nudge', 'Attendance reminder SMS']);
    expect(await table().getByRole('row').filter({ hasText: 'Reminder tone test' }).getByText('Abandoned', { exact: true }).count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?q=reminder&status=all');

    await page.reload();
    await expect.poll(rowNames).toEqual(['Reminder tone test', 'Homework nudge', 'Attendance reminder SMS']);
    expect(await search().inputValue()).toBe('reminder');
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('all');

    await search().fill('');
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Drafts and committed' });
    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Any bandit' });
    await page.waitForURL(ui.url('/experiments?type=bandits'));
    await expect.poll(rowNames).toEqual(['Completion bandit', 'Contextual offer', 'Offer bandit']);
    await page.getByRole('combobox', { name: 'Datasource' }).selectOption({ label: 'API only' });
    await expect.poll(rowNames).toEqual(['Contextual offer', 'Offer bandit']);
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Drafts only' });
    await expect.poll(rowNames).toEqual(['Contextual offer']);
    expect(await countLine().textContent()).toBe('1 experiment matches the filters.');
    await ui.screenshot('experiments-list-filtered');

    // Back from an experiment's page returns to the same filtered list.
    await page.getByRole('link', { name: 'Contextual offer', exact: true }).click();
    await page.waitForURL(ui.url(`/datasources/${apiOnly}/experiments/${made.get('Contextual offer')}`));
    await page.goBack();
    await expect.poll(rowNames).toEqual(['Contextual offer']);
    expect(new URL(page.url()).searchParams.get('status')).toBe('drafts');

    // Filtered matches page too, and a new filter starts again at page 1.
    await page.goto(ui.url('/experiments?q=cohort&status=all'));
    await expect.poll(rowNames).toHaveLength(18);
    await page.goto(ui.url('/experiments?q=cohort&status=committed'));
    await expect.poll(rowNames).toHaveLength(12);
    expect(await countLine().textContent()).toBe('12 experiments match the filters.');
    expect(ui.problems).toEqual([]);
  });

  it('filters and opens an experiment with the keyboard alone', async () => {
    const { page } = ui;
    const kb = page.keyboard;
    await page.goto(ui.url('/experiments'));
    await table().waitFor();
    await tabTo(page, search());
    await kb.type('offer');
    await kb.press('Enter');
    await page.waitForURL(ui.url('/experiments?q=offer'));
    await expect.poll(rowNames).toEqual(['Contextual offer', 'Offer bandit']);

    const type = page.getByRole('combobox', { name: 'Type' });
    await tabTo(page, type);
    // A closed select takes typed letters: "c" picks "Contextual bandit".
    await kb.type('Contextual');
    await expect.poll(() => type.inputValue()).toBe('cmab_online');
    await expect.poll(rowNames).toEqual(['Contextual offer']);
    expect(new URL(page.url()).search).toBe('?q=offer&type=cmab_online');

    const link = table().getByRole('link', { name: 'Contextual offer', exact: true });
    await tabTo(page, link);
    expect(await hasFocus(link)).toBe(true);
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Contextual offer' }).waitFor();
    await page.goBack();
    await page.waitForURL(ui.url('/experiments?q=offer&type=cmab_online'));
    await expect.poll(rowNames).toEqual(['Contextual offer']);
    expect(ui.problems).toEqual([]);
  });

  it('says when nothing matches and clears the filters in one step', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments?q=zebra&type=freq_preassigned'));
    await page.getByRole('heading', { name: 'No experiments match' }).waitFor();
    expect(await page.getByText('Nothing with “zebra” in its name or description matches these filters.').count()).toBe(1);
    expect(await table().count()).toBe(0);
    await ui.screenshot('experiments-list-no-match');
    await page.locator('.empty').getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(ui.url('/experiments'));
    await expect.poll(rowNames).toHaveLength(20);
    expect(await search().inputValue()).toBe('');
    expect(ui.problems).toEqual([]);
  });
});
