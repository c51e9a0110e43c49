/**
 * The experiments list and the address: filters are read from it on arrival and on Back, written to it on
 * every change, and turned into the admin API query; a new filter starts again at page 1; an empty match
 * is told apart from an organization without experiments.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, ORG, renderScreen, type Sent } from '../../webhooks/test-support.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { ExperimentsListPage } from '../ExperimentsListPage.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

const LIST = `/v1/m/organizations/${ORG}/experiments`;
const DATASOURCES = { items: [{ id: 'ds_wh', name: 'Demo warehouse', driver: 'duckdb' }, { id: 'ds_api', name: 'API only', driver: 'none' }] };

function experiment(id: string, name: string, over: Partial<ExperimentConfig> = {}, design: Record<string, unknown> = {}): ExperimentConfig {
  return {
    experiment_id: id,
    datasource_id: 'ds_wh',
    state: 'committed',
    stopped_assignments_at: null,
    stopped_assignments_reason: null,
    design_spec: { experiment_type: 'freq_online', experiment_name: name, description: '', start_date: '2026-01-01T00:00:00Z', end_date: '2099-01-01T00:00:00Z', arms: [], ...design },
    power_analyses: null,
    assign_summary: { balance_check: null, sample_size: 0, arm_sizes: [] },
    webhooks: [],
    decision: '',
    impact: '',
    ...over,
  };
}

const online = experiment('exp_1', 'Weekly reminder');
// As the API answers for a bandit: no metrics, strata or table; its size is the draws so far.
const bandit = experiment('exp_2', 'Offer bandit', { datasource_id: 'ds_api', state: 'assigned', assign_summary: { balance_check: null, sample_size: 12, arm_sizes: [] } }, { experiment_type: 'mab_online' });

/** The stand-in server: datasources, and the list answered by `list` from the request's query. */
function serve(list: (query: URLSearchParams) => unknown) {
  return (req: Sent) => {
    if (req.url.startsWith(`/v1/m/organizations/${ORG}/datasources`)) return json(DATASOURCES);
    if (req.url.startsWith(LIST)) return json(list(new URL(req.url, 'http://x').searchParams));
    return undefined;
  };
}
/** The count line under the table (the toasts are a status region too, so not found by role). */
const countText = () => document.querySelector('.list-count')?.textContent;
const listRequests = (sent: Sent[]) => sent.filter((r) => r.url.startsWith(LIST)).map((r) => new URL(r.url, 'http://x').searchParams);

describe('ExperimentsListPage', () => {
  it('reads the filters from the address into the controls and the API query', async () => {
    const { sent } = renderScreen(<ExperimentsListPage />, serve(() => ({ items: [bandit], next_page_token: '', total: 1 })), {
      path: '/experiments?q=offer&status=drafts&type=bandits&ds=ds_api',
      route: '/experiments',
    });
    await screen.findByRole('link', { name: 'Offer bandit' });
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('offer');
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('drafts');
    expect((screen.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).value).toBe('bandits');
    expect((screen.getByRole('combobox', { name: 'Datasource' }) as HTMLSelectElement).value).toBe('ds_api');
    const q = listRequests(sent)[0]!;
    expect(q.getAll('state')).toEqual(['assigned']);
    expect(q.getAll('experiment_type')).toEqual(['mab_online', 'mab_online_dwh', 'cmab_online']);
    expect([q.get('search'), q.get('datasource_id'), q.get('page_size')]).toEqual(['offer', 'ds_api', '20']);
    expect(countText()).toBe('1 experiment matches the filters.');

    // The bandit row: type, datasource by name, draws as its size, and the draft's way forward.
    const row = screen.getByRole('row', { name: /Offer bandit/ });
    expect(within(row).getByText('Bandit')).toBeTruthy();
    expect(within(row).getByText('API only')).toBeTruthy();
    expect(within(row).getByRole('cell', { name: '12' })).toBeTruthy();
    expect(within(row).getByText('Draft')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Review and commit Offer bandit' }).getAttribute('href')).toBe('/datasources/ds_api/experiments/exp_2');
  });

  it('writes each change to the address, starts again at page 1, and debounces the search (Enter sends at once)', async () => {
    const { user, sent, router } = renderScreen(
      <ExperimentsListPage />,
      serve((q) => (q.get('page_token') ? { items: [bandit], next_page_token: '', total: 21 } : { items: [online], next_page_token: 'tok2', total: 21 })),
      { path: '/experiments', route: '/experiments' },
    );
    await screen.findByRole('link', { name: 'Weekly reminder' });
    expect(countText()).toMatch(/^21 experiments, drafts and committed; abandoned drafts are not listed/);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByText('Page 2');
    expect(listRequests(sent).at(-1)!.get('page_token')).toBe('tok2');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'freq_online');
    await screen.findByText('Page 1');
    expect(router.state.location.search).toBe('?type=freq_online');
    const afterType = listRequests(sent).at(-1)!;
    expect([afterType.get('page_token'), afterType.getAll('experiment_type')]).toEqual([null, ['freq_online']]);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'all');
    expect(router.state.location.search).toBe('?status=all&type=freq_online');
    expect(listRequests(sent).at(-1)!.getAll('state')).toEqual(['assigned', 'committed', 'abandoned']);

    const before = listRequests(sent).length;
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'remind');
    // One request for the whole word, not one per key.
    await vi.waitFor(() => expect(listRequests(sent).slice(before).map((q) => q.get('search'))).toEqual(['remind']));
    expect(router.state.location.search).toBe('?q=remind&status=all&type=freq_online');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'er{Enter}');
    // Well inside the debounce: only Enter can have sent it this soon.
    await vi.waitFor(() => expect(listRequests(sent).at(-1)!.get('search')).toBe('reminder'), { timeout: 150 });
  });

  it('follows the address when it changes from outside (Back, a link)', async () => {
    const { router } = renderScreen(<ExperimentsListPage />, serve(() => ({ items: [online], next_page_token: '', total: 1 })), {
      path: '/experiments?type=freq_online',
      route: '/experiments',
    });
    await screen.findByRole('link', { name: 'Weekly reminder' });
    await router.navigate('/experiments?status=abandoned&q=old');
    await vi.waitFor(() => expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('abandoned'));
    expect((screen.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).value).toBe('');
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('old');
    await router.navigate(-1);
    await vi.waitFor(() => expect((screen.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).value).toBe('freq_online'));
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('current');
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('');
  });

  it('tells "no experiments match" (with Clear filters) apart from "no experiments yet"', async () => {
    const { user, router, sent } = renderScreen(
      <ExperimentsListPage />,
      serve((q) => (q.get('search') ? { items: [], next_page_token: '', total: 0 } : { items: [online], next_page_token: '', total: 1 })),
      { path: '/experiments?q=zebra&type=cmab_online', route: '/experiments' },
    );
    await screen.findByRole('heading', { name: 'No experiments match' });
    expect(screen.queryByRole('table')).toBeNull();
    await user.click(within(screen.getByRole('heading', { name: 'No experiments match' }).parentElement!).getByRole('button', { name: 'Clear filters' }));
    await screen.findByRole('link', { name: 'Weekly reminder' });
    expect(router.state.location.search).toBe('');
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('');
    const last = listRequests(sent).at(-1)!;
    expect([last.get('search'), last.getAll('experiment_type')]).toEqual([null, []]);
  });

  it('shows the first-run empty state, without filters, when the organization has no experiments', async () => {
    renderScreen(<ExperimentsListPage />, serve(() => ({ items: [], next_page_token: '', total: 0 })), { path: '/experiments', route: '/experiments' });
    await screen.findByRole('heading', { name: 'No experiments yet' });
    expect(screen.queryByRole('searchbox')).toBeNull();
    expect(screen.getByRole('link', { name: 'Design your first experiment' })).toBeTruthy();
  });

  it('says what failed and offers a retry', async () => {
    let fail = true;
    const { user } = renderScreen(
      <ExperimentsListPage />,
      (req) => {
        if (req.url.startsWith(`/v1/m/organizations/${ORG}/datasources`)) return json(DATASOURCES);
        if (fail) return json({ detail: 'database unavailable' }, 503);
        return json({ items: [online], next_page_token: '', total: 1 });
      },
      { path: '/experiments', route: '/experiments' },
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Could not load the experiments/);
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('link', { name: 'Weekly reminder' });
  });
});
