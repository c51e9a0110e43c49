/**
 * The experiment page's arm edit, data deletion and experiment deletion, against a stand-in server that
 * keeps the experiment's state: problems next to the fields (the form's own and the server's 422), what each
 * request carried, what the page refetched afterwards, and no request for a deleted experiment.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, ORG, renderScreen, type Sent } from '../../webhooks/test-support.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { ExperimentPage } from './ExperimentPage.tsx';

afterEach(() => vi.unstubAllGlobals());

const DS = 'ds_1';
const EXP = 'exp_1';
const path = `/datasources/${DS}/experiments/${EXP}`;
const route = '/datasources/:datasourceId/experiments/:experimentId';
const expUrl = `/v1/m/datasources/${DS}/experiments/${EXP}`;
const snapshotsUrl = `/v1/m/organizations/${ORG}/datasources/${DS}/experiments/${EXP}/snapshots`;

function configOf(state: ExperimentConfig['state']): ExperimentConfig {
  return {
    experiment_id: EXP,
    datasource_id: DS,
    state,
    stopped_assignments_at: null,
    stopped_assignments_reason: null,
    design_spec: {
      experiment_type: 'freq_online',
      experiment_name: 'Banner',
      description: '',
      design_url: null,
      start_date: '2026-01-01T00:00:00Z',
      end_date: '2099-01-01T00:00:00Z',
      arms: [
        { arm_id: 'arm_a', arm_name: 'control', arm_description: 'as today' },
        { arm_id: 'arm_b', arm_name: 'banner', arm_description: '' },
      ],
      metrics: [{ field_name: 'clicked' }],
    },
    power_analyses: null,
    assign_summary: {
      balance_check: null,
      sample_size: 1234,
      arm_sizes: [
        { arm: { arm_id: 'arm_a', arm_name: 'control' }, size: 600 },
        { arm: { arm_id: 'arm_b', arm_name: 'banner' }, size: 634 },
      ],
    },
    webhooks: [],
    decision: '',
    impact: '',
  } as ExperimentConfig;
}

const snapshot = (id: string) => ({ id, experiment_id: EXP, status: 'success', details: null, created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z', data: null });

/** A server that applies arm patches and deletions to its copy of the experiment; `armAnswer` can refuse a patch. */
function server(initial: ExperimentConfig, options: { armAnswer?: (body: unknown) => Response | undefined } = {}) {
  let config = initial;
  let snapshots = [snapshot('sn_1'), snapshot('sn_2')];
  const answer = (req: Sent): Response | undefined => {
    if (req.method === 'GET' && req.url === expUrl) return json({ config, experiment_schema: null });
    if (req.method === 'PATCH' && req.url.startsWith(`${expUrl}/arms/`)) {
      const refused = options.armAnswer?.(req.body);
      if (refused) return refused;
      const id = decodeURIComponent(req.url.slice(`${expUrl}/arms/`.length));
      const body = req.body as { name?: string; description?: string };
      const arms = config.design_spec.arms.map((a) => (a.arm_id === id ? { ...a, arm_name: body.name ?? a.arm_name, arm_description: body.description ?? a.arm_description } : a));
      config = { ...config, design_spec: { ...config.design_spec, arms } };
      return new Response(null, { status: 204 });
    }
    if (req.method === 'DELETE' && req.url === `${expUrl}/data`) {
      const body = req.body as { assignments: boolean; snapshots: boolean };
      if (body.assignments) config = { ...config, assign_summary: { ...config.assign_summary, sample_size: 0, arm_sizes: [] } };
      if (body.snapshots) snapshots = [];
      return new Response(null, { status: 204 });
    }
    if (req.method === 'DELETE' && req.url === expUrl) return new Response(null, { status: 204 });
    if (req.url.startsWith(`${snapshotsUrl}?`)) return json({ items: snapshots, latest_failure: null, next_page_token: '' });
    if (req.method === 'GET' && req.url.startsWith(`${snapshotsUrl}/`)) {
      const one = snapshots.find((x) => x.id === req.url.slice(snapshotsUrl.length + 1));
      return one ? json({ snapshot: one }) : json({ detail: 'Snapshot not found.' }, 404);
    }
    if (req.url.startsWith(`${expUrl}/analyze`)) return json({ detail: 'not in this test' }, 503);
    if (req.url === `${expUrl}/sample-calls`) return json({ calls: [] });
    if (req.url.endsWith('/webhooks') || req.url.endsWith('/datasources') || req.url.endsWith('/apikeys')) return json({ items: [] });
    return undefined;
  };
  return answer;
}

describe('experiment page: arms, data and deletion', () => {
  it('renames an arm in a dialog, with the form’s and the server’s problems next to their fields', async () => {
    let refuse = true;
    const answer = server(configOf('committed'), {
      armAnswer: () => (refuse ? json({ detail: [{ loc: ['body', 'name'], msg: 'Too big: expected string to have <=100 characters', type: 'too_big' }] }, 422) : undefined),
    });
    const { user, sent } = renderScreen(<ExperimentPage />, answer, { path, route });
    const arms = await screen.findByRole('table', { name: 'Arms of Banner' });
    await user.click(within(arms).getByRole('button', { name: 'Edit arm banner' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit arm “banner”' });
    const name = within(dialog).getByRole('textbox', { name: /^Name/ });
    expect(document.activeElement).toBe(name);

    await user.clear(name);
    await user.type(name, 'Control');
    await user.click(within(dialog).getByRole('button', { name: 'Save arm' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('Another arm is already called “control”.');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(sent.filter((r) => r.method === 'PATCH')).toEqual([]);

    await user.clear(name);
    await user.type(name, 'Weekly banner');
    await user.click(within(dialog).getByRole('button', { name: 'Save arm' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Too big: expected string to have <=100 characters');

    refuse = false;
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Shown on every page');
    await user.click(within(dialog).getByRole('button', { name: 'Save arm' }));
    await screen.findByText('Arm “Weekly banner” saved.');
    expect(sent.filter((r) => r.method === 'PATCH').at(-1)).toEqual({ method: 'PATCH', url: `${expUrl}/arms/arm_b`, body: { name: 'Weekly banner', description: 'Shown on every page' } });
    await within(arms).findByRole('button', { name: 'Edit arm Weekly banner' });
    expect(within(arms).getByText('Shown on every page')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('deletes the chosen data after saying what goes, with counts, then refreshes the counts and snapshots', async () => {
    const { user, sent } = renderScreen(<ExperimentPage />, server(configOf('committed')), { path, route });
    const zone = await screen.findByRole('region', { name: 'Delete data or the experiment' });
    await user.click(within(zone).getByRole('button', { name: 'Delete data…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete data' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete data' });
    expect(confirm).toHaveProperty('disabled', true);
    expect(within(dialog).getByText('Choose what to delete.')).toBeTruthy();

    await user.click(within(dialog).getByRole('checkbox', { name: 'Assignments (1,234)' }));
    expect(within(dialog).getByText('This deletes the 1,234 assignments.')).toBeTruthy();
    expect(within(dialog).getByText(/^The public API then answers as if nobody had been assigned/)).toBeTruthy();
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Snapshots (2)' }));
    expect(within(dialog).getByText('It also deletes all 2 snapshots, the history of the results.')).toBeTruthy();

    const before = sent.length;
    await user.click(confirm);
    await screen.findByText('The assignments and snapshots were deleted.');
    expect(sent.filter((r) => r.method === 'DELETE')).toEqual([{ method: 'DELETE', url: `${expUrl}/data`, body: { assignments: true, snapshots: true } }]);
    // The experiment (counts) and the snapshot list were asked for again.
    await waitFor(() => {
      const after = sent.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`);
      expect(after).toContain(`GET ${expUrl}`);
      expect(after).toContain(`GET ${snapshotsUrl}`);
    });
    await within(screen.getByRole('table', { name: 'Arms of Banner' })).findAllByText('0');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('goes back to the live results when the open snapshot is among the deleted, without asking for it again', async () => {
    const { user, sent, router } = renderScreen(<ExperimentPage />, server(configOf('committed')), { path: `${path}?snapshot=sn_1`, route });
    await waitFor(() => expect(sent.map((r) => r.url)).toContain(`${snapshotsUrl}/sn_1`));
    const zone = await screen.findByRole('region', { name: 'Delete data or the experiment' });
    await user.click(within(zone).getByRole('button', { name: 'Delete data…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete data' });
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Snapshots (2)' }));
    expect(within(dialog).getByText('This deletes all 2 snapshots, the history of the results. The assignments and the live results stay.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Delete data' }));
    await screen.findByText('The snapshots were deleted.');
    expect(router.state.location.search).toBe('');
    const deleted = sent.findIndex((r) => r.method === 'DELETE');
    expect(sent[deleted]!.body).toEqual({ assignments: false, snapshots: true });
    await waitFor(() => expect(sent.slice(deleted + 1).map((r) => r.url)).toContain(`${snapshotsUrl}?page_size=400`));
    expect(sent.slice(deleted + 1).filter((r) => r.url.startsWith(`${snapshotsUrl}/`))).toEqual([]);
  });

  it('deletes the experiment once “delete” is typed, then leaves without asking for it again', async () => {
    const { user, sent, router } = renderScreen(<ExperimentPage />, server(configOf('committed')), { path, route });
    const zone = await screen.findByRole('region', { name: 'Delete data or the experiment' });
    await user.click(within(zone).getByRole('button', { name: 'Delete experiment…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete experiment “Banner”?' });
    expect(dialog.textContent).toContain('the design with its 2 arms, and the registry;');
    expect(dialog.textContent).toContain('1,234 assignments;');
    await within(dialog).findByText('2 snapshots of the results.');
    const confirm = within(dialog).getByRole('button', { name: 'Delete experiment' });
    expect(confirm).toHaveProperty('disabled', true);
    await user.type(within(dialog).getByRole('textbox', { name: 'Type delete to confirm' }), 'delete{Enter}');
    await screen.findByText('Experiment “Banner” deleted');
    await waitFor(() => expect(router.state.location.pathname).toBe('/experiments'));
    const deleted = sent.findIndex((r) => r.method === 'DELETE' && r.url === expUrl);
    expect(deleted).toBeGreaterThan(-1);
    expect(sent.slice(deleted + 1).filter((r) => r.url.startsWith(expUrl))).toEqual([]);
  });

  it('offers no arm edit and no data deletion on a draft, only deleting it', async () => {
    renderScreen(<ExperimentPage />, server(configOf('assigned')), { path, route });
    const zone = await screen.findByRole('region', { name: 'Delete data or the experiment' });
    expect(within(zone).queryByRole('button', { name: 'Delete data…' })).toBeNull();
    expect(within(zone).getByRole('button', { name: 'Delete experiment…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Edit arm/ })).toBeNull();
  });
});
