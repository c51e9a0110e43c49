/**
 * Instance administration in Chromium against `equipoise serve`: the users list (search, paging), adding a
 * user with inline validation, their page (organizations added and removed), granting and revoking the
 * administrator privilege with confirmation (and the last administrator kept), deleting with a typed
 * confirmation, all organizations of the instance (search, paging, joining one), the same main task with
 * the keyboard alone, and the "not allowed" screen for everyone else.
 */
import { expect, it } from 'vitest';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

/** The browser logs the 4xx answers these tests provoke on purpose; anything else is a problem. */
const unexpected = (problems: string[], statuses: number[]) => problems.filter((p) => !statuses.some((s) => p.includes(`status of ${s}`)));

describeUi('instance administration', () => {
  const ui = useUi();

  it('adds a user, puts them in an organization, makes them an administrator and deletes them, with the mouse', async () => {
    const { page } = ui;
    const ids: string[] = [];
    for (const email of ['ana@example.org', 'bob@example.org', 'cat@lab.example.net']) ids.push((await ui.api<{ id: string }>('POST', '/v1/m/users', { email })).id);
    const demo = (await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations')).items[0]!;
    await ui.api('PUT', `/v1/m/organizations/${demo.id}/members/${ids[0]}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const me = page.getByRole('row', { name: /admin@localhost/ });
    await me.getByText('You', { exact: true }).waitFor();
    await me.getByText('Instance admin').waitFor();
    expect(await me.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await ui.screenshot('admin-users');

    // Search narrows the list as you type (debounced).
    await page.getByLabel('Search by email').fill('lab.example');
    await page.getByRole('row', { name: /ana@example\.org/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('link', { name: 'cat@lab.example.net' }).count()).toBe(1);
    await page.getByLabel('Search by email').fill('nobody-here');
    await page.getByRole('heading', { name: 'No user’s email contains “nobody-here”' }).waitFor();
    await page.getByLabel('Search by email').fill('');
    await page.getByRole('row', { name: /ana@example\.org/ }).waitFor();

    // Add a user: a bad address is explained next to the field; a good one opens their page.
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel(/Email address/).fill('dan@');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByText('This does not look like an email address').waitFor();
    await dialog.getByLabel(/Email address/).fill('dan@example.org');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('heading', { level: 1, name: 'dan@example.org' }).waitFor();
    await page.getByText('Not a member of any organization yet').waitFor();

    // Into an organization, and out again.
    await page.getByLabel('Add to organization').selectOption({ label: 'Demo organization' });
    await page.getByRole('button', { name: 'Add to organization' }).click();
    const membership = page.getByRole('row', { name: /Demo organization/ });
    await membership.waitFor();
    await membership.getByRole('button', { name: 'Remove from Demo organization' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove dan@example.org from Demo organization?' });
    await remove.getByRole('button', { name: 'Remove from organization' }).click();
    await membership.waitFor({ state: 'detached' });
    await page.getByLabel('Add to organization').selectOption({ label: 'Demo organization' });
    await page.getByRole('button', { name: 'Add to organization' }).click();
    await membership.waitFor();

    // Grant the privilege after a confirmation that says what it means.
    await page.getByRole('button', { name: 'Make administrator' }).click();
    const grant = page.getByRole('dialog', { name: 'Make dan@example.org an instance administrator?' });
    await grant.getByText(/manage every user of this installation/).waitFor();
    await grant.getByRole('button', { name: 'Make administrator' }).click();
    await page.getByRole('button', { name: 'Revoke administrator' }).waitFor();
    expect((await ui.api<{ is_privileged: boolean }>('GET', `/v1/m/users/${page.url().split('/').pop()}`)).is_privileged).toBe(true);

    // Back on the list: revoke from the row, then delete with a typed confirmation.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Revoke admin from dan@example.org' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke instance administration from dan@example.org?' });
    await revoke.getByRole('button', { name: 'Revoke administrator' }).click();
    await page.getByRole('button', { name: 'Make admin: dan@example.org' }).waitFor();
    await page.getByRole('button', { name: 'Delete dan@example.org' }).click();
    const del = page.getByRole('dialog', { name: 'Delete dan@example.org?' });
    await del.getByText('membership in 1 organization').waitFor();
    expect(await del.getByRole('button', { name: 'Delete user' }).isDisabled()).toBe(true);
    await del.getByLabel(/Type delete to confirm/).fill('delete');
    await del.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('row', { name: /dan@example\.org/ }).waitFor({ state: 'detached' });
    const users = await ui.api<{ items: { email: string }[] }>('GET', '/v1/m/users?email_contains=dan');
    expect(users.items).toEqual([]);
    expect(unexpected(ui.problems, [])).toEqual([]);
  });

  it('keeps the last administrator: revoking your own privilege is refused with the reason, in the dialog', async () => {
    const { page } = ui;
    await page.goto(ui.url('/admin/users'));
    await page.getByRole('button', { name: 'Revoke admin from admin@localhost' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke instance administration from admin@localhost?' });
    await dialog.getByText('This is you:').waitFor();
    await dialog.getByRole('button', { name: 'Revoke administrator' }).click();
    await dialog.getByText('At least one privileged user must remain.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await ui.api<{ is_privileged: boolean }>('GET', '/v1/m/caller-identity')).is_privileged).toBe(true);
    expect(unexpected(ui.problems, [403])).toEqual([]);
  });

  it('adds a user and makes them an administrator with the keyboard alone', async () => {
    const { page } = ui;
    await page.goto(ui.url('/admin/users'));
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await tabTo(page, 'Add user');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.waitFor();
    // The cursor is in the field: Enter on an empty field explains, typing and Enter adds.
    await page.keyboard.press('Enter');
    await dialog.getByText('Enter an email address.').waitFor();
    await page.keyboard.type('eve@example.org');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'eve@example.org' }).waitFor();

    // Pick an organization with the arrow keys and add them.
    await tabTo(page, 'Add to organization');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'Add to organization');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await page.getByRole('row', { name: /Demo organization/ }).waitFor();

    // Escape backs out of a confirmation; Tab and Enter confirm it.
    await tabTo(page, 'Make administrator', { back: true });
    await page.keyboard.press('Enter');
    const grant = page.getByRole('dialog', { name: 'Make eve@example.org an instance administrator?' });
    await grant.waitFor();
    await page.keyboard.press('Escape');
    await grant.waitFor({ state: 'hidden' });
    // Closing gives focus back to the button that opened the dialog (a moment after the dialog hides).
    await expect.poll(() => hasFocus(page.getByRole('button', { name: 'Make administrator' }))).toBe(true);
    await page.keyboard.press('Enter');
    await grant.waitFor();
    await tabTo(page, 'Make administrator');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Revoke administrator' }).waitFor();
    const users = await ui.api<{ items: { email: string; is_privileged: boolean; organizations: { name: string }[] }[] }>('GET', '/v1/m/users?email_contains=eve');
    expect(users.items).toEqual([expect.objectContaining({ email: 'eve@example.org', is_privileged: true, organizations: [expect.objectContaining({ name: 'Demo organization' })] })]);
    expect(unexpected(ui.problems, [])).toEqual([]);
  });

  it('lists every organization with search and paging, and lets an administrator join one', async () => {
    const { page } = ui;
    // 26 more organizations the admin is not in: created by another user.
    await ui.api('POST', '/v1/m/users', { email: 'owner@example.org' });
    const created: string[] = [];
    for (let i = 1; i <= 26; i++) {
      const { id } = await ui.api<{ id: string }>('POST', '/v1/m/organizations', { name: `Branch ${String(i).padStart(2, '0')}` });
      await ui.api('POST', `/v1/m/organizations/${id}/members`, { email: 'owner@example.org' });
      await ui.api('POST', `/v1/m/organizations/${id}/leave`);
      created.push(id);
    }
    await page.goto(ui.url('/admin/users'));
    await page.getByRole('navigation', { name: 'Instance administration' }).getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    const pager = page.getByRole('navigation', { name: 'Organizations pages' });
    await page.getByRole('row', { name: /Branch 01/ }).waitFor();
    await pager.getByRole('button', { name: 'Next →' }).click();
    await pager.getByText('Page 2').waitFor();
    await page.getByRole('row', { name: /Demo organization/ }).waitFor();
    await pager.getByRole('button', { name: '← Previous' }).click();
    await page.getByRole('row', { name: /Branch 01/ }).waitFor();

    await page.getByLabel('Search by name').fill('branch 26');
    await page.getByRole('row', { name: /Branch 01/ }).waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Branch 26/ });
    await row.getByRole('button', { name: 'Copy ID of Branch 26' }).waitFor();
    await row.getByRole('button', { name: 'Join Branch 26' }).click();
    await row.getByText('Member', { exact: true }).waitFor();
    const mine = await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations');
    expect(mine.items.map((o) => o.id)).toContain(created[25]);
    // The switcher now offers it, and the organization being worked in stays the current one.
    const switcher = page.getByRole('combobox', { name: 'Organization' });
    await switcher.locator('option', { hasText: 'Branch 26' }).waitFor({ state: 'attached' });
    expect(await switcher.locator('option:checked').textContent()).toBe('Demo organization');
    expect(await page.getByLabel('Search by name').inputValue()).toBe('branch 26');
    expect(unexpected(ui.problems, [])).toEqual([]);
  });

  it('tells someone who is not an administrator that the screen is not for them', async () => {
    const orgs = await ui.api<{ items: { id: string; name: string }[] }>('GET', '/v1/m/organizations');
    const demo = orgs.items.find((o) => o.name === 'Demo organization')!;
    await ui.api('POST', `/v1/m/organizations/${demo.id}/invites`, { email: 'member@example.org' });
    const [, token] = await ui.server.process.waitForLine(/Mail to member@example\.org: [\s\S]*?#invite=(\S+)/, 20_000);
    const accepted = await fetch(ui.url('/v1/a/invites/accept'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    const { session_token } = (await accepted.json()) as { session_token: string };
    const context = await ui.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(ui.url(`/#token=${session_token}`));
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Settings' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
      for (const path of ['/admin/users', '/admin/organizations']) {
        await page.goto(ui.url(path));
        await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
        await page.getByText('Only instance administrators can open this screen').waitFor();
      }
      await page.getByRole('link', { name: 'Go to your organization’s settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Organization settings' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
