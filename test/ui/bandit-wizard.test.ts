/**
 * The experiment wizard for bandits, in Chromium against `equipoise serve` on the embedded default: a
 * multi-armed bandit on the "API only" datasource with the mouse, a contextual bandit with two contexts with
 * the keyboard alone, a bandit bound to a column of the DuckDB demo table (by its table, and by its
 * participant type), and a prior the wizard refuses inline. Each design is checked through the admin API
 * against exactly what was entered.
 */
import { beforeAll, expect, it } from 'vitest';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi, type UiHarness } from './support.ts';

interface BanditConfig {
  experiment_id: string;
  datasource_id: string;
  state: string;
  webhooks: string[];
  design_spec: Record<string, unknown> & {
    arms: Array<Record<string, unknown>>;
    contexts: Array<{ context_id: string; context_name: string; context_description: string; value_type: string }> | null;
  };
}

async function stored(ui: UiHarness, datasourceId: string, experimentId: string): Promise<BanditConfig> {
  return (await ui.api<{ config: BanditConfig }>('GET', `/v1/m/datasources/${datasourceId}/experiments/${experimentId}`)).config;
}

/** The experiment id of the page the browser is on (`/datasources/{ds}/experiments/{id}`). */
function experimentIdOf(url: string): string {
  return decodeURIComponent(/\/experiments\/([^/?#]+)/.exec(new URL(url).pathname)![1]!);
}

const armOf = (a: Record<string, unknown>) => ({
  arm_name: a['arm_name'],
  arm_description: a['arm_description'],
  arm_weight: a['arm_weight'],
  alpha_init: a['alpha_init'],
  beta_init: a['beta_init'],
  mu_init: a['mu_init'],
  sigma_init: a['sigma_init'],
});

describeUi('bandit wizard', () => {
  const ui = useUi();
  const ids = {} as { organizationId: string; apiOnly: string; demo: string };

  beforeAll(async () => {
    const orgs = await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations');
    ids.organizationId = orgs.items[0]!.id;
    const ds = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${ids.organizationId}/datasources`);
    ids.apiOnly = ds.items.find((d) => d.driver === 'none')!.id;
    ids.demo = ds.items.find((d) => d.driver === 'duckdb')!.id;
  });

  it('designs and commits a multi-armed bandit on the API-only datasource with the mouse', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Reply wording');
    await page.getByLabel('Hypothesis / description').fill('A shorter reminder gets more replies.');
    await next.click();

    await page.getByRole('heading', { name: '2. Type' }).waitFor();
    await page.getByText('A/B test or bandit?').click();
    await page.getByRole('radio', { name: 'Multi-armed bandit' }).check();
    await ui.screenshot('wizard-bandit-type');
    await next.click();

    // The step list follows the kind: no filters, strata or power for a bandit.
    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    const steps = page.getByRole('navigation', { name: 'Wizard steps' });
    expect((await steps.getByRole('listitem').allTextContents()).map((t) => t.trim())).toEqual(['Basics (done)', 'Type (done)', 'Datasource', 'Outcomes', 'Arms and priors', 'Review and commit']);
    await expect.poll(() => page.getByRole('radio', { name: /^API only/ }).isChecked()).toBe(true);
    await next.click();

    await page.getByRole('heading', { name: '4. Outcomes' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Yes or no' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: /Count a missing outcome after a while/ }).check();
    await page.getByRole('textbox', { name: /Wait \(hours\)/ }).fill('48');
    await page.getByText('Participants who never report an outcome count as a failure (0) once 48 hours have passed since they got their arm.').waitFor();
    await ui.screenshot('wizard-bandit-outcomes');
    await next.click();

    await page.getByRole('heading', { name: '5. Arms and priors' }).waitFor();
    await page.getByLabel('Name of arm 1').fill('Short');
    await page.getByLabel('Description of arm 1').fill('One line');
    await page.getByLabel('Name of arm 2').fill('Long');
    await page.getByRole('button', { name: 'Add arm' }).click();
    await page.getByLabel('Name of arm 3').fill('Voice note');
    await page.getByLabel('Prior successes α of arm 1').fill('3');
    await page.getByLabel('Prior failures β of arm 1').fill('7');
    await page.getByLabel('Prior successes α of arm 3').fill('2.5');
    await page.getByText('Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.').waitFor();
    await ui.screenshot('wizard-bandit-arms');
    await page.getByRole('button', { name: 'Create experiment' }).click();

    // A bandit is created as a draft like an A/B test; the review reads it back from the server.
    const review = page.getByRole('heading', { name: 'Review and commit “Reply wording”' });
    await review.waitFor({ timeout: 30_000 });
    await page.getByRole('cell', { name: /Beta\(α 3, β 7\)/ }).waitFor();
    await page.getByText('Participants who never report an outcome count as a failure (0) once 48 hours have passed since they got their arm.').waitFor();
    await ui.screenshot('wizard-bandit-review');
    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reply wording' }).waitFor();

    const config = await stored(ui, ids.apiOnly, experimentIdOf(page.url()));
    expect(config.state).toBe('committed');
    expect(config.datasource_id).toBe(ids.apiOnly);
    expect(config.design_spec).toMatchObject({
      experiment_type: 'mab_online',
      experiment_name: 'Reply wording',
      description: 'A shorter reminder gets more replies.',
      prior_type: 'beta',
      reward_type: 'binary',
      enable_autofail: true,
      autofail_window: 48,
      autofail_outcome_value: 0,
      contexts: null,
    });
    expect(config.design_spec.arms.map(armOf)).toEqual([
      { arm_name: 'Short', arm_description: 'One line', arm_weight: null, alpha_init: 3, beta_init: 7, mu_init: null, sigma_init: null },
      { arm_name: 'Long', arm_description: '', arm_weight: null, alpha_init: 1, beta_init: 1, mu_init: null, sigma_init: null },
      { arm_name: 'Voice note', arm_description: '', arm_weight: null, alpha_init: 2.5, beta_init: 1, mu_init: null, sigma_init: null },
    ]);
    expect(ui.problems).toEqual([]);
  });

  it('designs and commits a contextual bandit with two contexts with the keyboard alone', async () => {
    const { page } = ui;
    const kb = page.keyboard;
    const next = page.getByRole('button', { name: 'Next' });
    await page.goto(ui.url('/experiments/new'));
    await page.getByRole('heading', { name: '1. Basics' }).waitFor();

    await tabTo(page, page.getByRole('textbox', { name: 'Name', exact: true }));
    await kb.type('Course suggestion');
    await tabTo(page, next);
    await kb.press('Enter');

    // One radio group for every kind: Tab reaches it, arrows choose within it.
    await page.getByRole('heading', { name: '2. Type' }).waitFor();
    await tabTo(page, page.getByRole('radio', { name: 'Preassigned' }));
    const contextual = page.getByRole('radio', { name: 'Contextual bandit' });
    for (let i = 0; i < 6 && !(await contextual.isChecked()); i++) await kb.press('ArrowDown');
    expect(await hasFocus(contextual)).toBe(true);
    await tabTo(page, next);
    await kb.press('Enter');

    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    await expect.poll(() => page.getByRole('radio', { name: /^API only/ }).isChecked()).toBe(true);
    await tabTo(page, next);
    await kb.press('Enter');

    await page.getByRole('heading', { name: '4. Contexts' }).waitFor();
    await tabTo(page, page.getByRole('textbox', { name: 'Name of context 1' }));
    await kb.type('returning');
    await tabTo(page, page.getByRole('textbox', { name: 'Description of context 1' }));
    await kb.type('Came back within 30 days');
    await tabTo(page, page.getByRole('button', { name: 'Add context' }));
    await kb.press('Enter');
    const second = page.getByRole('textbox', { name: 'Name of context 2' });
    await expect.poll(() => hasFocus(second)).toBe(true);
    await kb.type('age');
    const secondType = page.getByRole('group', { name: 'Value of context 2' });
    await tabTo(page, secondType.getByRole('radio', { name: /Yes or no/ }));
    await kb.press('ArrowDown');
    expect(await secondType.getByRole('radio', { name: /A number/ }).isChecked()).toBe(true);
    await ui.screenshot('wizard-bandit-contexts');
    await tabTo(page, next);
    await kb.press('Enter');

    await page.getByRole('heading', { name: '5. Outcomes' }).waitFor();
    await tabTo(page, page.getByRole('radio', { name: 'Yes or no' }));
    await kb.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'A number' }).isChecked()).toBe(true);
    await tabTo(page, next);
    await kb.press('Enter');

    await page.getByRole('heading', { name: '6. Arms and priors' }).waitFor();
    await tabTo(page, page.getByRole('radio', { name: 'Priors: μ and σ per arm' }));
    await kb.press('ArrowDown');
    const chance1 = page.getByRole('textbox', { name: 'Chance arm 1 is best (%)' });
    await tabTo(page, chance1);
    await kb.press('ControlOrMeta+A');
    await kb.type('40');
    await tabTo(page, page.getByRole('textbox', { name: 'Chance arm 2 is best (%)' }));
    await kb.press('ControlOrMeta+A');
    await kb.type('60');
    await page.getByText('The chances add up to 100%.').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Create experiment' }));
    await kb.press('Enter');

    const review = page.getByRole('heading', { name: 'Review and commit “Course suggestion”' });
    await review.waitFor({ timeout: 30_000 });
    await expect.poll(() => hasFocus(review)).toBe(true);
    await ui.screenshot('wizard-bandit-cmab-review');
    await tabTo(page, page.getByRole('button', { name: 'Commit experiment' }));
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Course suggestion' }).waitFor();

    const config = await stored(ui, ids.apiOnly, experimentIdOf(page.url()));
    expect(config.state).toBe('committed');
    expect(config.design_spec).toMatchObject({ experiment_type: 'cmab_online', prior_type: 'normal', reward_type: 'real-valued', enable_autofail: false });
    expect(config.design_spec.contexts!.map(({ context_name, context_description, value_type }) => ({ context_name, context_description, value_type }))).toEqual([
      { context_name: 'returning', context_description: 'Came back within 30 days', value_type: 'binary' },
      { context_name: 'age', context_description: '', value_type: 'real-valued' },
    ]);
    expect(config.design_spec.contexts!.every((c) => /^ctx_/.test(c.context_id))).toBe(true);
    const arms = config.design_spec.arms.map(armOf);
    expect(arms.map((a) => [a.arm_name, a.arm_weight, a.sigma_init])).toEqual([
      ['Control', 40, 1],
      ['Treatment', 60, 1],
    ]);
    // The server derived the priors from the chances: the arm thought likelier to win starts higher.
    expect(arms[1]!.mu_init as number).toBeGreaterThan(arms[0]!.mu_init as number);
    expect(ui.problems).toEqual([]);
  });

  it('designs and commits a bandit whose outcome is a number column of the demo warehouse', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Study time nudge');
    await next.click();
    await page.getByRole('radio', { name: 'Bandit with warehouse outcomes' }).check();
    await next.click();

    // Only warehouses are offered, the only one proposed with its participant type; the table way keeps the
    // type's table and id and offers every yes/no or number column.
    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    expect(await page.getByRole('radio', { name: /^API only/ }).count()).toBe(0);
    await expect.poll(() => page.getByRole('radio', { name: /Demo warehouse \(DuckDB\)/ }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('combobox', { name: 'Participant type' }).inputValue(), { timeout: 30_000 }).toBe('Demo participants');
    await page.getByRole('radio', { name: /A table and its unique id column/ }).check();
    await expect.poll(() => page.getByRole('combobox', { name: 'Table' }).inputValue(), { timeout: 30_000 }).toBe('participants');
    await expect.poll(() => page.getByRole('combobox', { name: 'Unique id column' }).inputValue(), { timeout: 30_000 }).toBe('participant_id');
    const outcome = page.getByRole('combobox', { name: 'Outcome column' });
    // Text columns cannot be outcomes; number columns the type does not mark as metrics can.
    expect(await outcome.locator('option').allTextContents()).not.toContain('country (text)');
    expect(await outcome.locator('option').allTextContents()).toContain('income (number)');
    await outcome.selectOption('weekly_minutes');
    await page.getByText('A number column: each outcome is a number, and higher is better.').waitFor();
    await ui.screenshot('wizard-bandit-dwh-source');
    await next.click();

    // The column fixed the type of outcome.
    await page.getByRole('heading', { name: '4. Outcomes' }).waitFor();
    expect(await page.getByRole('radio', { name: 'A number' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'A number' }).isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /Count a missing outcome after a while/ }).check();
    await page.getByRole('textbox', { name: /Wait \(hours\)/ }).fill('72');
    await next.click();

    await page.getByRole('heading', { name: '5. Arms and priors' }).waitFor();
    await page.getByLabel('Expected value μ of arm 1').fill('30');
    await page.getByLabel('Uncertainty σ of arm 1').fill('10');
    await page.getByLabel('Expected value μ of arm 2').fill('35.5');
    await page.getByLabel('Uncertainty σ of arm 2').fill('10');
    await page.getByText('Expects an average outcome of 35.5, probably between 15.5 and 55.5.').waitFor();
    await page.getByRole('button', { name: 'Create experiment' }).click();

    await page.getByRole('heading', { name: 'Review and commit “Study time nudge”' }).waitFor({ timeout: 30_000 });
    await page.getByText(/table\s*participants, identified by\s*participant_id/).waitFor();
    await page.getByText(/it stands for the warehouse column\s*weekly_minutes/).waitFor();
    await ui.screenshot('wizard-bandit-dwh-review');
    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Study time nudge' }).waitFor();

    const config = await stored(ui, ids.demo, experimentIdOf(page.url()));
    expect(config.state).toBe('committed');
    expect(config.design_spec).toMatchObject({
      experiment_type: 'mab_online_dwh',
      table_name: 'participants',
      primary_key: 'participant_id',
      target_field_name: 'weekly_minutes',
      prior_type: 'normal',
      reward_type: 'real-valued',
      enable_autofail: true,
      autofail_window: 72,
      autofail_outcome_value: 0,
    });
    expect(config.design_spec.arms.map(armOf)).toEqual([
      { arm_name: 'Control', arm_description: '', arm_weight: null, alpha_init: null, beta_init: null, mu_init: 30, sigma_init: 10 },
      { arm_name: 'Treatment', arm_description: '', arm_weight: null, alpha_init: null, beta_init: null, mu_init: 35.5, sigma_init: 10 },
    ]);
    expect(ui.problems).toEqual([]);
  });

  it('designs and commits a warehouse bandit on the demo datasource’s participant type', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Completion nudge');
    await next.click();
    await page.getByRole('radio', { name: 'Bandit with warehouse outcomes' }).check();
    await next.click();

    // The datasource's only participant type is proposed and chosen; it names the table and the id.
    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    await expect.poll(() => page.getByRole('radio', { name: /A participant type/ }).isChecked(), { timeout: 30_000 }).toBe(true);
    const type = page.getByRole('combobox', { name: 'Participant type' });
    await expect.poll(() => type.inputValue(), { timeout: 30_000 }).toBe('Demo participants');
    await page.getByText('Table participants, identified by participant_id.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Table' }).count()).toBe(0);
    // Only the fields the type marks as metrics are offered as outcomes.
    const outcome = page.getByRole('combobox', { name: 'Outcome column' });
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.locator('option').allTextContents()).toEqual(['Choose a column…', 'completed_course (boolean)', 'sessions_last_30d (integer)', 'weekly_minutes (number)']);
    await outcome.selectOption('completed_course');
    await page.getByText('Outcome: completed the course. A yes/no column: each outcome is a success or a failure.').waitFor();
    await ui.screenshot('wizard-bandit-dwh-type');

    // A reload keeps the choice.
    await page.reload();
    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Outcome column' }).inputValue(), { timeout: 30_000 }).toBe('completed_course');
    expect(await page.getByRole('radio', { name: /A participant type/ }).isChecked()).toBe(true);
    await next.click();

    await page.getByRole('heading', { name: '4. Outcomes' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Yes or no' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Yes or no' }).isDisabled()).toBe(true);
    await next.click();

    await page.getByRole('heading', { name: '5. Arms and priors' }).waitFor();
    await page.getByLabel('Name of arm 1').fill('Weekly reminder');
    await page.getByLabel('Name of arm 2').fill('Daily reminder');
    await page.getByLabel('Prior successes α of arm 2').fill('2');
    await page.getByRole('button', { name: 'Create experiment' }).click();

    await page.getByRole('heading', { name: 'Review and commit “Completion nudge”' }).waitFor({ timeout: 30_000 });
    await page.getByText(/table\s*participants, identified by\s*participant_id/).waitFor();
    await page.getByText(/it stands for the warehouse column\s*completed_course/).waitFor();
    await page.getByRole('button', { name: 'Commit experiment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Completion nudge' }).waitFor();

    // The server keeps no participant type: the design names the type's table, id and the chosen column.
    const config = await stored(ui, ids.demo, experimentIdOf(page.url()));
    const d = config.design_spec;
    expect(config.state).toBe('committed');
    expect(config.datasource_id).toBe(ids.demo);
    expect(d['experiment_type']).toBe('mab_online_dwh');
    expect(d['experiment_name']).toBe('Completion nudge');
    expect(d['table_name']).toBe('participants');
    expect(d['primary_key']).toBe('participant_id');
    expect(d['target_field_name']).toBe('completed_course');
    expect(d['prior_type']).toBe('beta');
    expect(d['reward_type']).toBe('binary');
    expect(d['enable_autofail']).toBe(false);
    expect(d).not.toHaveProperty('participant_type');
    expect(d.arms.map(armOf)).toEqual([
      { arm_name: 'Weekly reminder', arm_description: '', arm_weight: null, alpha_init: 1, beta_init: 1, mu_init: null, sigma_init: null },
      { arm_name: 'Daily reminder', arm_description: '', arm_weight: null, alpha_init: 2, beta_init: 1, mu_init: null, sigma_init: null },
    ]);
    expect(ui.problems).toEqual([]);
  });

  it('refuses a prior inline, and reopens an abandoned draft’s design for changes', async () => {
    const { page } = ui;
    await page.goto(ui.url('/experiments/new'));
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Donation ask');
    await next.click();
    await page.getByRole('radio', { name: 'Multi-armed bandit' }).check();
    await next.click();
    await page.getByRole('heading', { name: '3. Datasource' }).waitFor();
    await expect.poll(() => next.isEnabled()).toBe(true);
    await next.click();
    await page.getByRole('radio', { name: 'A number' }).check();
    await next.click();

    await page.getByRole('heading', { name: '5. Arms and priors' }).waitFor();
    const sigma = page.getByLabel('Uncertainty σ of arm 2');
    await sigma.fill('0');
    await sigma.blur();
    const error = page.getByText('σ of arm 2 must be a number above 0.', { exact: true }).first();
    await error.waitFor();
    expect(await sigma.getAttribute('aria-invalid')).toBe('true');
    const create = page.getByRole('button', { name: 'Create experiment' });
    expect(await create.isDisabled()).toBe(true);
    await page.getByText('To continue: σ of arm 2 must be a number above 0.').waitFor();
    await ui.screenshot('wizard-bandit-validation');
    await sigma.fill('2');
    await expect.poll(() => create.isEnabled()).toBe(true);
    expect(await page.locator('.field-error').count()).toBe(0);
    await create.click();

    // "Change design" abandons the draft and brings its design back, priors included.
    await page.getByRole('heading', { name: 'Review and commit “Donation ask”' }).waitFor({ timeout: 30_000 });
    const draftId = await page.evaluate((org) => {
      const raw = JSON.parse(localStorage.getItem(`equipoise.experiment-wizard.${org}`) ?? '{}') as { experimentId?: string };
      return raw.experimentId ?? '';
    }, ids.organizationId);
    expect(draftId).not.toBe('');
    await page.getByRole('button', { name: 'Change design' }).click();
    await page.getByRole('dialog', { name: 'Change the design?' }).getByRole('button', { name: 'Abandon draft and edit' }).click();
    await page.getByRole('heading', { name: '1. Basics' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Donation ask');
    await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: /^Arms and priors/ }).click();
    expect(await page.getByLabel('Uncertainty σ of arm 2').inputValue()).toBe('2');
    expect((await stored(ui, ids.apiOnly, draftId)).state).toBe('abandoned');
    expect(ui.problems).toEqual([]);
  });
});
