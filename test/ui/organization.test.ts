/**
 * Organization settings and the audit log in Chromium against `equipoise serve`: renaming in place with
 * inline validation, copying the id, inviting (the link printed to the server console, as with no SMTP),
 * withdrawing an invite, removing a member, leaving, creating another organization with the keyboard alone,
 * accepting an invite in a fresh browser, and reading, paging, expanding and verifying the audit log.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

/** The browser logs the 4xx answers these tests provoke on purpose; anything else is a problem. */
const unexpected = (problems: string[], statuses: number[]) => problems.filter((p) => !statuses.some((s) => p.includes(`status of ${s}`)));

describeUi('organization settings and audit log', () => {
  const ui = useUi();

  async function demoOrg(): Promise<{ id: string; name: string }> {
    const orgs = await ui.api<{ items: { id: string; name: string }[] }>('GET', '/v1/m/organizations');
    return orgs.items[0]!;
  }

  async function openSettings(page: Page) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization settings' }).waitFor();
  }

  it('renames the organization, copies its id, invites, withdraws an invite and removes a member, with the mouse', async () => {
    const { page } = ui;
    const org = await demoOrg();
    await openSettings(page);

    // Rename in place: a blank name is explained next to the field, a good one is saved everywhere.
    const facts = page.locator('section', { has: page.getByRole('heading', { name: 'Organization', exact: true }) });
    await facts.getByRole('button', { name: 'Rename' }).click();
    await facts.getByLabel('Organization name').fill('   ');
    await facts.getByRole('button', { name: 'Save name' }).click();
    await facts.getByText('Enter a name for the organization.').waitFor();
    expect(await facts.getByLabel('Organization name').getAttribute('aria-invalid')).toBe('true');
    await facts.getByLabel('Organization name').fill('Research lab');
    await facts.getByRole('button', { name: 'Save name' }).click();
    await facts.getByText('Research lab', { exact: true }).waitFor();
    await page.locator('#org-switcher').getByText('Research lab').waitFor();
    expect((await demoOrg()).name).toBe('Research lab');

    await facts.getByRole('button', { name: 'Copy organization ID' }).click();
    await facts.getByRole('button', { name: 'Copy organization ID' }).getByText('Copied ✓').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(org.id);

    // Invite: a bad address is explained inline; a good one is listed and can be withdrawn after a confirmation.
    const invites = page.locator('section', { has: page.getByRole('heading', { name: 'Invites' }) });
    await invites.getByLabel('Email address').fill('not-an-address');
    await invites.getByRole('button', { name: 'Send invite' }).click();
    await invites.getByText('This does not look like an email address').waitFor();
    await invites.getByLabel('Email address').fill('cy@example.org');
    await invites.getByRole('button', { name: 'Send invite' }).click();
    await invites.getByRole('row', { name: /cy@example\.org/ }).waitFor();
    await invites.getByRole('button', { name: 'Withdraw invite for cy@example.org' }).click();
    const withdraw = page.getByRole('dialog', { name: 'Withdraw the invite for cy@example.org?' });
    await withdraw.getByText('Its link stops working at once').waitFor();
    await withdraw.getByRole('button', { name: 'Withdraw invite' }).click();
    await invites.getByRole('row', { name: /cy@example\.org/ }).waitFor({ state: 'detached' });
    // The note about where cy's link went goes with the invite.
    await invites.getByText('Invite for cy@example.org recorded').waitFor({ state: 'detached' });

    // The next one is queued, mailed (printed to the console: no SMTP here) and shown as sent.
    await invites.getByLabel('Email address').fill('bo@example.org');
    await invites.getByRole('button', { name: 'Send invite' }).click();
    await invites.getByText('Invite for bo@example.org recorded').waitFor();
    await invites.getByText(/printed in the server’s console/).waitFor();
    expect(await invites.getByLabel('Email address').inputValue()).toBe('');
    const row = invites.getByRole('row', { name: /bo@example\.org/ });
    await row.getByText('Sent', { exact: true }).waitFor({ timeout: 20_000 });
    const [, link] = await ui.server.process.waitForLine(/Mail to bo@example\.org: [\s\S]*?(http\S+#invite=\S+)/, 20_000);
    expect(link).toContain(`${ui.server.baseUrl}/invite#invite=`);
    await expect.poll(() => page.locator('.toast').count(), { timeout: 10_000 }).toBe(0);
    await ui.screenshot('settings');

    // A member added elsewhere shows with the time they joined; removing them asks first and says what they lose.
    await ui.api('POST', `/v1/m/organizations/${org.id}/members`, { email: 'dee@example.org' });
    await page.reload();
    const members = page.locator('section', { has: page.getByRole('heading', { name: /^Members/ }) });
    await members.getByRole('row', { name: /dee@example\.org/ }).waitFor();
    await members.getByRole('button', { name: 'Leave organization' }).waitFor();
    expect(await members.getByRole('button', { name: /^Remove admin@localhost/ }).count()).toBe(0);
    await members.getByRole('button', { name: 'Remove dee@example.org' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove dee@example.org from Research lab?' });
    await confirm.getByText('They lose access').waitFor();
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await members.getByRole('row', { name: /dee@example\.org/ }).waitFor({ state: 'detached' });
    // Alone again: leaving is not offered, and the screen says why.
    await members.getByText('You are the only member; invite someone before you can leave.').waitFor();
    expect(unexpected(ui.problems, [])).toEqual([]);
  });

  it('creates another organization and leaves it again with the keyboard alone', async () => {
    const { page } = ui;
    await page.goto(ui.url('/settings'));
    await page.getByRole('heading', { level: 1, name: 'Organization settings' }).waitFor();

    await tabTo(page, 'New organization');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create an organization' });
    await dialog.waitFor();
    // The name field has focus; an empty name is refused next to it.
    await page.keyboard.press('Enter');
    await dialog.getByText('Enter a name for the organization.').waitFor();
    await page.keyboard.type('Field team');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('combobox', { name: 'Organization' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Organization' }).locator('option:checked').textContent()).toBe('Field team');
    const facts = page.locator('section', { has: page.getByRole('heading', { name: 'Organization', exact: true }) });
    await facts.getByText('Field team', { exact: true }).waitFor();

    // Invite someone by keyboard, then leave: the confirmation is reached and confirmed without a mouse.
    await tabTo(page, 'Email address');
    await page.keyboard.type('ed@example.org');
    await page.keyboard.press('Enter');
    await page.getByText('Invite for ed@example.org recorded').waitFor();
    const fieldTeam = (await ui.api<{ items: { id: string; name: string }[] }>('GET', '/v1/m/organizations')).items.find((o) => o.name === 'Field team')!;
    await ui.api('POST', `/v1/m/organizations/${fieldTeam.id}/members`, { email: 'flo@example.org' });
    await page.reload();
    await page.getByRole('row', { name: /flo@example\.org/ }).waitFor();
    await tabTo(page, 'Leave organization');
    await page.keyboard.press('Enter');
    const leave = page.getByRole('dialog', { name: 'Leave Field team?' });
    await leave.getByText('Only one of its members can add you back.').waitFor();
    // Escape backs out; focus returns to where it was.
    await page.keyboard.press('Escape');
    await leave.waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await leave.waitFor();
    // The dialog's own button, not the page's button of the same name: wait until focus has moved into the
    // dialog (it opens a moment after it becomes visible), then tab to that exact element.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await tabTo(page, leave.getByRole('button', { name: 'Leave organization' }));
    await page.keyboard.press('Enter');
    await page.getByText('You left Field team').waitFor();
    const mine = await ui.api<{ items: { name: string }[] }>('GET', '/v1/m/organizations');
    expect(mine.items.map((o) => o.name)).toEqual(['Research lab']);
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    expect(unexpected(ui.problems, [])).toEqual([]);
  });

  it('accepts an invite in a fresh browser: a short password is explained, then the member is signed in', async () => {
    const org = await demoOrg();
    await ui.api('POST', `/v1/m/organizations/${org.id}/invites`, { email: 'gil@example.org' });
    const [, link] = await ui.server.process.waitForLine(/Mail to gil@example\.org: [\s\S]*?(http\S+#invite=\S+)/, 20_000);
    const context = await ui.browser.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.goto(link!);
      await page.getByRole('heading', { name: 'Accept your invite' }).waitFor();
      // The secret leaves the address bar at once.
      await expect.poll(() => page.url()).toBe(ui.url('/invite'));
      await page.getByLabel('Choose a password (optional)').fill('short');
      await page.getByRole('button', { name: 'Accept invite' }).click();
      await page.getByText('Use at least 10 characters, or leave it empty.').waitFor();
      await page.getByLabel('Choose a password (optional)').fill('a long enough password');
      await page.getByRole('button', { name: 'Accept invite' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.getByText('gil@example.org').waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
      // The link works once.
      await page.goto(link!);
      await page.getByRole('button', { name: 'Accept invite' }).click();
      await page.getByText('This invite link no longer works').waitFor();
      expect(unexpected(problems, [401])).toEqual([]);
    } finally {
      await context.close();
    }
    const login = await fetch(ui.url('/v1/a/login'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'gil@example.org', password: 'a long enough password' }) });
    expect(login.status).toBe(200);
  });

  it('shows the audit log with actors and actions, expands an entry from the keyboard, pages, and verifies the chain', async () => {
    const { page } = ui;
    const org = await demoOrg();
    await ui.api('POST', `/v1/m/organizations/${org.id}/invites`, { email: 'hal@example.org' });

    await page.goto(ui.url('/settings'));
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const check = page.locator('section', { has: page.getByRole('heading', { name: 'Integrity check' }) });
    await check.getByText('The log is intact').waitFor();
    const verification = await ui.api<{ entries: number }>('GET', `/v1/m/organizations/${org.id}/audit/verification`);
    await check.getByText(`all ${verification.entries.toLocaleString('en-US')} entries`, { exact: false }).waitFor();

    const entries = page.locator('section', { has: page.getByRole('heading', { name: 'Entries' }) });
    const newest = entries.getByRole('row').nth(1);
    expect(await newest.getByRole('rowheader').textContent()).toContain('Invited someone');
    expect(await newest.textContent()).toContain('admin@localhost (you)');
    expect(await newest.textContent()).toMatch(/Invite\s*hal@example\.org/);

    // Details open and close from the keyboard, with aria-expanded telling screen readers.
    await tabTo(page, /^Details of “Invited someone”/);
    const controls = await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'));
    const button = page.locator(`button[aria-controls="${controls}"]`);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const panel = page.locator(`[id="${controls}"]`);
    await panel.getByText('"email": "hal@example.org"').waitFor();
    await panel.getByText('Previous seal').waitFor();
    await ui.screenshot('audit-log');
    await page.keyboard.press('Space');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isHidden()).toBe(true);

    // Enough entries for more pages (25 a page), then page with the cursor: Next shows older entries.
    for (let i = 1; i <= 26; i++) await ui.api('PATCH', `/v1/m/organizations/${org.id}`, { name: `Research lab ${i}` });
    await ui.api('PATCH', `/v1/m/organizations/${org.id}`, { name: 'Research lab' });
    await page.reload();
    await entries.getByRole('rowheader').first().waitFor();
    expect(await entries.getByRole('row').nth(1).textContent()).toMatch(/Renamed the organization[\s\S]*Research lab/);
    // Paging with the cursor: Next shows older entries, Previous comes back.
    const pager = entries.getByRole('navigation', { name: 'Audit log pages' });
    await pager.getByText('Page 1').waitFor();
    const firstOnPage1 = await entries.getByRole('row').nth(1).textContent();
    await pager.getByRole('button', { name: 'Next →' }).click();
    await pager.getByText('Page 2').waitFor();
    await expect.poll(() => entries.getByRole('row').nth(1).textContent()).not.toBe(firstOnPage1);
    // The oldest entry is on the last page: the first rename, made by the first test.
    let apiPages = 0;
    for (let token = ''; ; ) {
      const pageOf = await ui.api<{ next_page_token: string }>('GET', `/v1/m/organizations/${org.id}/audit?page_size=25${token ? `&page_token=${token}` : ''}`);
      apiPages++;
      if (!pageOf.next_page_token) break;
      token = pageOf.next_page_token;
    }
    // The previous page's rows stay on screen (aria-busy, Next disabled) until the next one arrives: each
    // page is judged once its table has settled.
    const table = entries.locator('table.audit-table');
    const settled = () => expect.poll(() => table.getAttribute('aria-busy')).toBeNull();
    await settled();
    while (await pager.getByRole('button', { name: 'Next →' }).isEnabled()) {
      const n = Number((await pager.getByText(/^Page \d+$/).textContent())!.replace('Page ', ''));
      await pager.getByRole('button', { name: 'Next →' }).click();
      await pager.getByText(`Page ${n + 1}`).waitFor();
      await settled();
    }
    await pager.getByText(`Page ${apiPages}`).waitFor();
    const rows = entries.locator('tbody > tr:not(.audit-details-row)');
    expect(await rows.last().textContent()).toMatch(/Renamed the organization[\s\S]*Research lab/);
    await pager.getByRole('button', { name: '← Previous' }).click();
    await pager.getByText(`Page ${apiPages - 1}`).waitFor();
    expect(unexpected(ui.problems, [])).toEqual([]);
  });
});
