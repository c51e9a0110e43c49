/**
 * The shell: signing in with the printed login URL, the navigation reaching every screen, signing out and in
 * again with a password, and unknown addresses. Chromium against `equipoise serve`.
 */
import { expect, it } from 'vitest';
import { describeUi, useUi } from './support.ts';

describeUi('web UI shell', () => {
  const ui = useUi();

  it('the printed login URL signs the admin in, and the navigation reaches every main screen', async () => {
    const { page } = ui;
    await expect.poll(() => page.url()).toBe(ui.url('/experiments'));
    expect(await page.getByText('Demo organization').or(page.getByRole('combobox', { name: 'Organization' })).count()).toBeGreaterThan(0);
    for (const [link, heading] of [
      ['Datasources', 'Datasources'],
      ['Webhooks', 'Webhooks'],
      ['Recent events', 'Recent events'],
      ['Experiments', 'Experiments'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    }
    expect(ui.problems).toEqual([]);
  });

  it('reloading a deep link keeps the screen (the server answers client routes with the app)', async () => {
    await ui.page.goto(ui.url('/webhooks'));
    await ui.page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await ui.page.reload();
    await ui.page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    const api404 = await fetch(ui.url('/v1/a/no-such-route'));
    expect(api404.status).toBe(404);
    expect(await api404.json()).toEqual({ detail: 'Not Found' });
  });

  it("each screen's code loads on first visit, without warnings, from a deep link or the navigation", async () => {
    const { page } = ui;
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
    });
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (/\/assets\/.+\.js$/.test(r.url())) chunks.push(new URL(r.url()).pathname);
    });
    await page.goto(ui.url('/events'));
    await page.getByRole('heading', { level: 1, name: 'Recent events' }).waitFor();
    expect(chunks.some((c) => c.includes('/EventsPage-'))).toBe(true);
    expect(chunks.some((c) => c.includes('/WebhooksPage-'))).toBe(false);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(chunks.some((c) => c.includes('/WebhooksPage-'))).toBe(true);
    // The bar shown while a screen loads is gone once it has.
    expect(await page.getByRole('progressbar', { name: 'Opening the next screen' }).count()).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('an unknown address says so inside the shell', async () => {
    await ui.page.goto(ui.url('/no/such/screen'));
    await ui.page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  it('signing out returns to the sign-in form, and a wrong password is explained', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('nobody@example.org');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is not right').waitFor();
    await ui.screenshot('login');
  });
});
