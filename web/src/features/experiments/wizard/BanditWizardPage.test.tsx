/**
 * The wizard page with a bandit design, in jsdom: "Create experiment" posts the bandit design to the chosen
 * datasource, and a 422 from the server lands next to the field it names, on its step. The admin API is
 * stood in for by a fetch that answers the list reads and refuses the creation like the server does; the
 * real server is exercised by test/ui/bandit-wizard.test.ts.
 */
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveWizard } from './persistence.ts';
import { apply, banditDesign } from './test-fixtures.ts';
import { descriptionOf, renderWizardPage, TEST_ORG as ORG } from './test-harness.tsx';

const posted: Array<{ url: string; body: unknown }> = [];

function answer(url: string, init?: RequestInit): Response {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  if (init?.method === 'POST') {
    posted.push({ url, body: JSON.parse(String(init.body)) });
    return json({ detail: [{ loc: ['body', 'design_spec', 'arms', 1, 'sigma_init'], msg: 'Number must be greater than 0', type: 'too_small' }] }, 422);
  }
  if (url.startsWith('/v1/m/organizations?')) return json({ items: [ORG], next_page_token: '' });
  if (url.includes('/datasources')) return json({ items: [{ id: 'ds_api', name: 'API only', driver: 'none' }] });
  return json({ items: [] });
}

beforeEach(() => {
  posted.length = 0;
  localStorage.clear();
  localStorage.setItem('equipoise.org', ORG.id);
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => answer(String(input), init));
});
afterEach(() => vi.unstubAllGlobals());

describe('WizardPage with a bandit', () => {
  it('posts the bandit design and shows the server’s 422 next to the prior it names', async () => {
    const s = apply([{ type: 'bandit', patch: { rewardType: 'real-valued' } }, { type: 'go', step: 'arms' }], banditDesign('mab_online'));
    saveWizard(localStorage, ORG.id, { phase: 'editing', state: { ...s, reached: 'arms' } });
    const { user } = renderWizardPage();
    await screen.findByRole('heading', { name: '5. Arms and priors' });
    await user.click(screen.getByRole('button', { name: 'Create experiment' }));

    const sigma = await screen.findByRole('textbox', { name: /Uncertainty σ of arm 2/ });
    await vi.waitFor(() => expect(sigma.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(sigma)).toBe('Number must be greater than 0');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.url).toBe('/v1/m/datasources/ds_api/experiments');
    expect(posted[0]!.body).toMatchObject({
      webhooks: [],
      design_spec: {
        experiment_type: 'mab_online',
        prior_type: 'normal',
        reward_type: 'real-valued',
        arms: [
          { arm_name: 'Short', mu_init: 0, sigma_init: 1 },
          { arm_name: 'Long', mu_init: 0, sigma_init: 1 },
        ],
      },
    });
    // Editing the arms makes the server's complaint out of date.
    await user.clear(sigma);
    await user.type(sigma, '3');
    expect(sigma.getAttribute('aria-invalid')).toBeNull();
  });
});
