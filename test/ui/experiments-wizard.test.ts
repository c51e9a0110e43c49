/**
 * The experiment wizard with the mouse, in Chromium against `equipoise serve` on the embedded default (the
 * DuckDB demo warehouse: 20,000 participants): designing and committing a preassigned experiment, the
 * design surviving reloads before and after it is created, validation problems shown next to their fields
 * (from the browser and from the server's 422), and changing or abandoning a draft.
 */
import { expect, it } from 'vitest';
import { demoIds, isoDay } from './experiments-helpers.ts';
import { describeUi, useUi } from './support.ts';

interface Config {
  experiment_id: string;
  state: string;
  design_spec: Record<string, unknown> & { arms: { arm_name: string; arm_weight: number | null }[]; filters: unknown[]; strata: unknown[]; metrics: unknown[]; desired_n: number | null };
  assign_summary: { sample_size: number; arm_sizes: { size: number }[]; balance_check: { p_value: number; balance_ok: boolean } | null };
  power_analyses: { analyses: { target_n: number }[] } | null;
  webhooks: string[];
}

describeUi('experiment wizard (mouse)', () => {
  const ui = useUi();

  it('an empty organization is led from the list to the wizard', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments'));
    await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
    await page.getByRole('link', { name: 'Design your first experiment' }).click();
    await page.getByRole('heading', { level: 1, name: 'New experiment' }).waitFor();
    await page.getByRole('heading', { name: '1. Basics' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('designs and commits a preassigned experiment, keeping the design across reloads, and lands on its page', async () => {
    const { page } = ui;
    const ids = await demoIds(ui);
    const webhook = await ui.api<{ id: string }>('POST', `/v1/m/organizations/${ids.organizationId}/webhooks`, { name: 'my backend', url: 'http://127.0.0.1:9/equipoise' });
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });

    // 1. Basics
    await page.getByRole('checkbox', { name: 'my backend' }).check();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('WhatsApp nudge');
    await page.getByLabel('Hypothesis / description').fill('A weekly WhatsApp reminder raises course completion among young learners.');
    await page.getByLabel('Design document URL').fill('https://example.org/designs/whatsapp-nudge');
    await page.getByLabel('Start date (UTC)').fill(isoDay(7));
    await page.getByLabel('End date (UTC)').fill(isoDay(60));
    await ui.screenshot('wizard-basics');
    await next.click();

    // 2. Type: nothing is chosen for the user.
    await page.getByRole('heading', { name: '2. Type' }).waitFor();
    expect(await next.isDisabled()).toBe(true);
    await page.getByText('To continue: Choose the type of experiment: an A/B test or a bandit.', { exact: false }).waitFor();
    await page.getByRole('radio', { name: 'Preassigned' }).check();
    await next.click();

    // 3. Participants: the only warehouse and its only participant type are chosen, visibly.
    await page.getByRole('heading', { name: '3. Participants' }).waitFor();
    await expect.poll(() => page.getByRole('radio', { name: /Demo warehouse \(DuckDB\)/ }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('combobox', { name: 'Participant type' }).inputValue()).toBe('Demo participants');
    await page.getByText(/fields to filter on, 3 possible metrics/).waitFor();
    await next.click();

    // 4. Arms: rename, weight 40/60 with the live sum.
    await page.getByRole('heading', { name: '4. Arms' }).waitFor();
    await page.getByLabel('Name of arm 2').fill('Reminder');
    await page.getByLabel('Description of arm 2').fill('A WhatsApp message every Monday');
    await page.getByRole('checkbox', { name: /Split participants unequally/ }).check();
    await page.getByLabel('Weight of arm 1 (%)').fill('40');
    await page.getByText('The weights add up to 90%; add 10% more to reach 100%.', { exact: true }).waitFor();
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel('Weight of arm 2 (%)').fill('60');
    await page.getByText('The weights add up to 100%.', { exact: true }).waitFor();
    await ui.screenshot('wizard-arms');
    await next.click();

    // 5. Filters: age between 18 and 35.
    await page.getByRole('heading', { name: '5. Filters' }).waitFor();
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Field of filter 1').selectOption('age');
    expect(await page.getByLabel('Operator of filter 1').inputValue()).toBe('between');
    await page.getByLabel('Lowest value (filter 1)').fill('18');
    await page.getByLabel('Highest value (filter 1)').fill('35');
    await next.click();

    // 6. Strata
    await page.getByRole('heading', { name: '6. Strata' }).waitFor();
    await page.getByRole('checkbox', { name: 'country' }).check();
    await next.click();

    // 7. Metrics and power
    await page.getByRole('heading', { name: '7. Metrics and power' }).waitFor();
    await page.getByRole('button', { name: 'Add metric' }).click();
    await page.getByLabel('Field of metric 1').selectOption('completed_course');
    await page.getByRole('button', { name: 'Add metric' }).click();
    await page.getByLabel('Field of metric 2').selectOption('weekly_minutes');
    await page.getByLabel('Minimum effect of metric 2 (% change)').fill('2.5');
    await page.getByRole('button', { name: 'Check power' }).click();
    const results = page.getByRole('list', { name: 'Power check results' });
    await results.waitFor();
    const primary = (await results.getByRole('listitem').first().textContent()) ?? '';
    expect(primary).toMatch(/^Primary metric: completed_course: [\d,]+ participants needed, [\d,]+ available/);
    const needed = Number(/completed_course: ([\d,]+) participants needed/.exec(primary)![1]!.replace(/,/g, ''));
    await expect.poll(() => page.getByRole('radio', { name: /Enough for the primary metric/ }).isChecked()).toBe(true);
    await ui.screenshot('wizard-metrics-power');

    // A reload keeps the whole design, the step and the power check.
    await page.reload();
    await page.getByRole('heading', { name: '7. Metrics and power' }).waitFor();
    await expect.poll(() => page.getByLabel('Field of metric 2').inputValue()).toBe('weekly_minutes');
    expect(await page.getByLabel('Minimum effect of metric 2 (% change)').inputValue()).toBe('2.5');
    await results.waitFor();
    await page.getByRole('button', { name: /^Arms/ }).click();
    expect(await page.getByLabel('Weight of arm 1 (%)').inputValue()).toBe('40');
    await page.getByRole('button', { name: /^Metrics and power/ }).click();

    // Create: the server samples and assigns; the summary shows its numbers.
    await page.getByRole('button', { name: 'Create experiment' }).click();
    const summaryHeading = page.getByRole('heading', { name: 'Review and commit “WhatsApp nudge”' });
    await summaryHeading.waitFor({ timeout: 60_000 });
    await page.getByText(`${needed.toLocaleString('en-US')} participants were sampled and assigned.`).waitFor();
    const verdict = page.getByText(/^(Balanced|Not balanced)$/);
    await verdict.waitFor();
    await page.getByText(/committing makes the assignments available through the API and notifies the chosen webhooks/).waitFor();
    expect(await page.getByRole('definition').filter({ hasText: /^my backend$/ }).count()).toBe(1);
    await ui.screenshot('wizard-summary');

    const list = await ui.api<{ items: Config[] }>('GET', `/v1/m/organizations/${ids.organizationId}/experiments`);
    const draft = list.items.find((e) => e.design_spec.experiment_name === 'WhatsApp nudge')!;
    expect(draft.state).toBe('assigned');
    expect(draft.assign_summary.sample_size).toBe(needed);
    expect(draft.design_spec).toMatchObject({
      experiment_type: 'freq_preassigned',
      description: 'A weekly WhatsApp reminder raises course completion among young learners.',
      design_url: 'https://example.org/designs/whatsapp-nudge',
      start_date: new Date(`${isoDay(7)}T00:00:00Z`).toISOString(),
      end_date: new Date(`${isoDay(60)}T23:59:59Z`).toISOString(),
      filters: [{ field_name: 'age', relation: 'between', value: [18, 35] }],
      strata: [{ field_name: 'country' }],
      metrics: [
        { field_name: 'completed_course', metric_pct_change: 0.1 },
        { field_name: 'weekly_minutes', metric_pct_change: 0.025 },
      ],
      desired_n: needed,
    });
    expect(draft.design_spec.arms.map((a) => [a.arm_name, a.arm_weight])).toEqual([
      ['Control', 40],
      ['Reminder', 60],
    ]);
    expect(draft.power_analyses?.analyses[0]?.target_n).toBe(needed);
    expect(draft.webhooks).toEqual([webhook.id]);
    // The arm counts and shares on screen are the server's.
    const sizes = draft.assign_summary.arm_sizes.map((s) => s.size);
    const armsTable = page.getByRole('table').first();
    for (const size of sizes) await armsTable.getByRole('cell', { name: size.toLocaleString('en-US'), exact: true }).first().waitFor();
    expect(await verdict.textContent()).toBe(draft.assign_summary.balance_check!.balance_ok ? 'Balanced' : 'Not balanced');

    // After creation the server's draft is the draft: a reload shows the same summary.
    await page.reload();
    await summaryHeading.waitFor();
    expect(await page.getByRole('button', { name: /^Basics/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.waitForURL(ui.url(`/datasources/${ids.datasourceId}/experiments/${draft.experiment_id}`));
    await page.getByRole('heading', { level: 1, name: 'WhatsApp nudge' }).waitFor();
    await page.getByText('Upcoming', { exact: true }).first().waitFor();
    const committed = await ui.api<{ config: Config }>('GET', `/v1/m/datasources/${ids.datasourceId}/experiments/${draft.experiment_id}`);
    expect(committed.config.state).toBe('committed');
    await page.getByRole('heading', { name: 'Integration guide' }).waitFor();
    // The screenshot without the toast over the page.
    await page.getByText('Experiment committed: “WhatsApp nudge” is live for your backend.').waitFor({ state: 'hidden' });
    await ui.screenshot('experiment');

    // The wizard starts afresh afterwards.
    await page.goto(ui.url('/experiments/new'));
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
    expect(ui.problems).toEqual([]);
  });

  it('shows problems next to their fields, from the browser and from the server, and changes or abandons a draft', async () => {
    const { page } = ui;
    const ids = await demoIds(ui);
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });

    // Client-side: Next is disabled with the reason, and each problem sits under its input once visited.
    expect(await next.isDisabled()).toBe(true);
    await page.getByText('To continue: Give the experiment a name.').waitFor();
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('Too old to join');
    await page.getByLabel('Design document URL').fill('example.org/design');
    await page.getByLabel('Start date (UTC)').fill(isoDay(10));
    await page.getByLabel('End date (UTC)').fill(isoDay(5));
    await page.getByLabel('End date (UTC)').blur();
    const urlError = page.getByText('The design document URL must be a web address starting with http:// or https://.', { exact: true });
    await urlError.waitFor();
    expect(await page.getByLabel('Design document URL').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('The end date must not be before the start date.', { exact: true }).waitFor();
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel('Design document URL').fill('');
    await page.getByLabel('End date (UTC)').fill(isoDay(40));
    await next.click();
    await page.getByRole('radio', { name: 'Preassigned' }).check();
    await next.click();
    await page.getByRole('heading', { name: '3. Participants' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Participant type' }).inputValue()).toBe('Demo participants');
    await next.click();
    await next.click();

    // A filter nobody passes is only known to the warehouse: the server's 422 lands on the Filters step.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Field of filter 1').selectOption('age');
    await page.getByLabel('Operator of filter 1').selectOption('at_least');
    await page.getByLabel('Lowest value (filter 1)').fill('95');
    await next.click();
    await next.click();
    await page.getByRole('button', { name: 'Add metric' }).click();
    await page.getByLabel('Field of metric 1').selectOption('completed_course');
    await page.getByRole('radio', { name: 'A number of my choice' }).check();
    await page.getByLabel('Number of participants').fill('1');
    await page.getByLabel('Number of participants').blur();
    await page.getByText('Assign at least one participant per arm (2).', { exact: true }).waitFor();
    await page.getByLabel('Number of participants').fill('200');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByRole('heading', { name: '5. Filters' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'no row passes the filters' }).waitFor();

    // Fixing the filter clears the server's complaint; the draft is created.
    await page.getByLabel('Lowest value (filter 1)').fill('60');
    expect(await page.getByText(/no row passes the filters/).count()).toBe(0);
    await page.getByRole('button', { name: /^Metrics and power/ }).click();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByRole('heading', { name: 'Review and commit “Too old to join”' }).waitFor({ timeout: 60_000 });
    await page.getByText('200 participants were sampled and assigned.').waitFor();
    const list = await ui.api<{ items: Config[] }>('GET', `/v1/m/organizations/${ids.organizationId}/experiments`);
    const firstDraft = list.items.find((e) => e.design_spec.experiment_name === 'Too old to join')!;

    // Change design: the draft is abandoned and its design comes back, to be made online this time.
    await page.getByRole('button', { name: 'Change design' }).click();
    await page.getByRole('dialog', { name: 'Change the design?' }).getByRole('button', { name: 'Abandon draft and edit' }).click();
    await page.getByRole('heading', { name: '1. Basics' }).waitFor();
    expect(await name.inputValue()).toBe('Too old to join');
    const abandoned = await ui.api<{ config: Config }>('GET', `/v1/m/datasources/${ids.datasourceId}/experiments/${firstDraft.experiment_id}`);
    expect(abandoned.config.state).toBe('abandoned');
    await page.getByRole('button', { name: /^Type/ }).click();
    await page.getByRole('radio', { name: 'Online' }).check();
    // Online designs have no strata step.
    expect(await page.getByRole('navigation', { name: 'Wizard steps' }).getByText('Strata').count()).toBe(0);
    await page.getByRole('button', { name: /^Filters/ }).click();
    expect(await page.getByLabel('Lowest value (filter 1)').inputValue()).toBe('60');
    await page.getByRole('button', { name: /^Metrics and power/ }).click();
    await page.getByLabel('Target sample size (optional)').fill('300');
    await page.getByRole('checkbox', { name: 'Stop assigning new participants when the target is reached' }).check();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByRole('heading', { name: 'Review and commit “Too old to join”' }).waitFor();
    await page.getByText(/Committing makes the experiment available to your backend/).waitFor();
    expect(await page.getByRole('heading', { name: 'Balance check' }).count()).toBe(0);

    // Abandon: confirmed in a dialog, then back on the list, where it is no longer shown.
    await page.getByRole('button', { name: 'Abandon draft' }).click();
    await page.getByRole('dialog', { name: 'Abandon this draft?' }).getByRole('button', { name: 'Abandon draft' }).click();
    await page.waitForURL(ui.url('/experiments'));
    await page.getByText('Draft abandoned.').waitFor();
    expect(await page.getByRole('link', { name: 'Too old to join' }).count()).toBe(0);
    const after = await ui.api<{ items: Config[] }>('GET', `/v1/m/organizations/${ids.organizationId}/experiments`);
    expect(after.items.filter((e) => e.design_spec.experiment_name === 'Too old to join')).toEqual([]);
    // The browser logs the server's (expected) 422 for the unreachable filter; nothing else may appear.
    expect(ui.problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
  });
});
