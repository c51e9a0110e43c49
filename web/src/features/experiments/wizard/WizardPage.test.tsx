/**
 * The wizard page as a whole, in jsdom: Next disabled with its reason, the step list, focus on the new step,
 * and the design surviving a reload (unmount and mount again from localStorage). The admin API is stood in
 * for by a fetch that answers the three list reads these steps make with an organization and empty lists;
 * the real server is exercised by the Chromium tests in test/ui/experiments-*.test.ts.
 */
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadWizard } from './persistence.ts';
import { renderWizardPage, TEST_ORG as ORG } from './test-harness.tsx';

function listAnswer(url: string): unknown {
  if (url.startsWith('/v1/m/organizations?')) return { items: [ORG], next_page_token: '' };
  return { items: [] };
}

beforeEach(() => {
  localStorage.setItem('equipoise.org', ORG.id);
  vi.stubGlobal('fetch', async (input: string) => new Response(JSON.stringify(listAnswer(String(input))), { status: 200, headers: { 'content-type': 'application/json' } }));
});
afterEach(() => vi.unstubAllGlobals());

const next = () => screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement;

describe('WizardPage', () => {
  it('keeps Next disabled with the reason written beside it', async () => {
    const { user } = renderWizardPage();
    await screen.findByRole('heading', { name: '1. Basics' });
    expect(next().disabled).toBe(true);
    const reason = document.getElementById(next().getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('Next is unavailable. To continue: Give the experiment a name.');
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Reminder test');
    expect(next().disabled).toBe(false);
    await user.type(screen.getByRole('textbox', { name: /Design document URL/ }), 'www.example.org');
    await user.tab();
    expect(screen.getByText('The design document URL must be a web address starting with http:// or https://.', { selector: '.field-error' })).toBeTruthy();
    expect(next().disabled).toBe(true);
    expect(screen.getByText(/No webhooks yet/)).toBeTruthy();
  });

  it('moves focus to the new step and lets the step list go back', async () => {
    const { user } = renderWizardPage();
    await user.type(await screen.findByRole('textbox', { name: /^Name/ }), 'Reminder test');
    await user.click(next());
    const heading = screen.getByRole('heading', { name: '2. Type' });
    expect(document.activeElement).toBe(heading);
    expect(next().disabled).toBe(true);
    expect(screen.getByText(/Choose the type of experiment: an A\/B test or a bandit/)).toBeTruthy();
    // Steps after an invalid one cannot be jumped to.
    const steps = screen.getByRole('navigation', { name: 'Wizard steps' });
    expect(steps.querySelectorAll('button')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /Basics/ }));
    expect((screen.getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).value).toBe('Reminder test');
  });

  it('survives a reload: same step, same answers; Start over clears them', async () => {
    const first = renderWizardPage();
    await first.user.type(await screen.findByRole('textbox', { name: /^Name/ }), 'Kept across reloads');
    await first.user.click(next());
    await first.user.click(screen.getByRole('radio', { name: 'Online' }));
    await first.user.click(screen.getByRole('radio', { name: /^By hash/ }));
    expect(loadWizard(localStorage, ORG.id, '2030-01-01')).toMatchObject({ phase: 'editing', state: { step: 'type', kind: 'freq_online', assignmentMode: 'hash' } });
    first.unmount();

    const second = renderWizardPage();
    await screen.findByRole('heading', { name: '2. Type' });
    expect((screen.getByRole('radio', { name: 'Online' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: /^By hash/ }) as HTMLInputElement).checked).toBe(true);
    await second.user.click(screen.getByRole('button', { name: /Basics/ }));
    expect((screen.getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).value).toBe('Kept across reloads');

    await second.user.click(screen.getByRole('button', { name: 'Start over' }));
    await second.user.click(screen.getByRole('button', { name: 'Discard this design' }));
    expect((screen.getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).value).toBe('');
    expect(loadWizard(localStorage, ORG.id, '2030-01-01')).toMatchObject({ phase: 'editing', state: { kind: null } });
  });
});
