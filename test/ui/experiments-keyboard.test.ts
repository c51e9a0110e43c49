/**
 * The experiment wizard with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape, typing), from the
 * empty list to a committed preassigned experiment and its CSV, in Chromium against `equipoise serve`.
 * Locators only check where focus is and what the page shows; every action is a key press.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

describeUi('experiment wizard (keyboard only)', () => {
  const ui = useUi();

  it('designs, commits and downloads a preassigned experiment without the mouse', async () => {
    const { page } = ui;
    const kb = page.keyboard;
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();

    await tabTo(page, page.getByRole('link', { name: 'Design your first experiment' }));
    await kb.press('Enter');
    await page.getByRole('heading', { name: '1. Basics' }).waitFor();

    // 1. Basics: Next stays out of the Tab order until the step is valid.
    await tabTo(page, page.getByRole('textbox', { name: 'Name', exact: true }));
    await kb.type('Keyboard nudge');
    await tabTo(page, page.getByRole('textbox', { name: 'Hypothesis / description' }));
    await kb.type('Reminders sent on Mondays raise completion.');
    await tabTo(page, next);
    await kb.press('Enter');

    // 2. Type: focus lands on the step's heading; Tab reaches the first radio, Space picks it.
    const typeHeading = page.getByRole('heading', { name: '2. Type' });
    await typeHeading.waitFor();
    expect(await hasFocus(typeHeading)).toBe(true);
    await tabTo(page, page.getByRole('radio', { name: 'Preassigned' }));
    await kb.press('Space');
    await tabTo(page, next);
    await kb.press('Enter');

    // 3. Participants: chosen for us (one warehouse, one participant type) once the fields are loaded.
    await page.getByRole('heading', { name: '3. Participants' }).waitFor();
    await expect.poll(() => next.isEnabled(), { timeout: 30_000 }).toBe(true);
    await tabTo(page, next);
    await kb.press('Enter');

    // 4. Arms: rename the treatment.
    await page.getByRole('heading', { name: '4. Arms' }).waitFor();
    await tabTo(page, page.getByRole('textbox', { name: 'Name of arm 2' }));
    await kb.press('ControlOrMeta+A');
    await kb.type('Monday reminder');
    await tabTo(page, next);
    await kb.press('Enter');

    // 5. Filters: "Add filter" puts focus on the new filter's field; typing picks an option.
    await page.getByRole('heading', { name: '5. Filters' }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Add filter' }));
    await kb.press('Enter');
    const field = page.getByRole('combobox', { name: 'Field of filter 1' });
    expect(await hasFocus(field)).toBe(true);
    await kb.type('age');
    await expect.poll(() => field.inputValue()).toBe('age');
    await tabTo(page, page.getByRole('spinbutton', { name: 'Lowest value (filter 1)' }));
    await kb.type('18');
    await tabTo(page, page.getByRole('spinbutton', { name: 'Highest value (filter 1)' }));
    await kb.type('35');
    await tabTo(page, next);
    await kb.press('Enter');

    // 6. Strata
    await page.getByRole('heading', { name: '6. Strata' }).waitFor();
    await tabTo(page, page.getByRole('checkbox', { name: 'country' }));
    await kb.press('Space');
    await tabTo(page, next);
    await kb.press('Enter');

    // 7. Metrics and power
    await page.getByRole('heading', { name: '7. Metrics and power' }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Add metric' }));
    await kb.press('Enter');
    const metric = page.getByRole('combobox', { name: 'Field of metric 1' });
    expect(await hasFocus(metric)).toBe(true);
    await kb.type('completed');
    await expect.poll(() => metric.inputValue()).toBe('completed_course');
    await tabTo(page, page.getByRole('button', { name: 'Check power' }));
    await kb.press('Enter');
    await page.getByRole('list', { name: 'Power check results' }).waitFor();
    // Shift+Tab goes back up the page as well.
    await tabTo(page, page.getByRole('textbox', { name: 'Minimum effect of metric 1 (% change)' }), { back: true });
    const create = page.getByRole('button', { name: 'Create experiment' });
    await tabTo(page, create);
    await kb.press('Enter');

    // Summary: focus moves to its heading. A dialog opened with Enter closes with Escape.
    const summary = page.getByRole('heading', { name: 'Review and commit “Keyboard nudge”' });
    await summary.waitFor({ timeout: 60_000 });
    await expect.poll(() => hasFocus(summary)).toBe(true);
    const abandon = page.getByRole('button', { name: 'Abandon draft' });
    await tabTo(page, abandon);
    await kb.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Abandon this draft?' });
    await dialog.waitFor();
    await kb.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await hasFocus(abandon)).toBe(true);
    await tabTo(page, page.getByRole('button', { name: 'Commit experiment' }));
    await kb.press('Enter');

    // The new experiment's page; its CSV downloads from the keyboard too.
    await page.getByRole('heading', { level: 1, name: 'Keyboard nudge' }).waitFor();
    const expected = Number(((await page.getByText(/rows expected/).textContent()) ?? '').match(/([\d,]+) rows expected/)![1]!.replace(/,/g, ''));
    expect(expected).toBeGreaterThan(0);
    await tabTo(page, page.getByRole('button', { name: 'Download assignments (CSV)' }));
    const download = page.waitForEvent('download');
    await kb.press('Enter');
    const file = await (await download).path();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('participant_id,arm_id,arm_name,created_at,country');
    expect(lines).toHaveLength(expected + 1);
    await page.getByText(`Downloaded ${expected.toLocaleString('en-US')} rows`).waitFor();

    // The registry: Enter opens the form with focus in it, Escape cancels, Enter on Save saves.
    const edit = page.getByRole('button', { name: 'Edit registry' });
    await tabTo(page, edit);
    await kb.press('Enter');
    const nameInput = page.getByRole('form', { name: 'Edit registry' }).getByRole('textbox', { name: 'Name', exact: true });
    await expect.poll(() => hasFocus(nameInput)).toBe(true);
    await kb.press('Escape');
    await expect.poll(() => hasFocus(edit)).toBe(true);
    await kb.press('Enter');
    await tabTo(page, page.getByRole('textbox', { name: 'Decision' }));
    await kb.type('Send the reminder to every learner.');
    await tabTo(page, page.getByRole('button', { name: 'Save registry' }));
    await kb.press('Enter');
    await page.getByText('Registry saved.').waitFor();
    await expect.poll(() => hasFocus(edit)).toBe(true);
    await page.getByRole('region', { name: 'Registry' }).getByText('Send the reminder to every learner.').waitFor();
    expect(ui.problems).toEqual([]);
  });
});
