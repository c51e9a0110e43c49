import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, ORG, renderScreen, type Sent } from '../../../webhooks/test-support.tsx';
import type { ExperimentConfig, StoredBanditDesign } from '../../api-types.ts';
import { BanditSection } from './BanditSection.tsx';
import type { BanditHistory, BanditSnapshot } from './bandit-types.ts';
import { cmabSampleCalls } from './cmab-sample-calls.ts';
import { CmabPrediction } from './CmabPrediction.tsx';
import { historyFixture as h, snapshotAnalysisFixture as older, T0 } from './history-fixture.ts';
import { posteriorSeries, snapshotSeries, trafficSeries } from './history-series.ts';
import { bucketWords, chance, contextWords, durationWords, priorToPosterior, recentTraffic, rewardFormatter, summarySentences } from './posterior-words.ts';
import { PosteriorView } from './PosteriorView.tsx';
import { snapshotArms } from './snapshot-arms.ts';
import { TrafficOverTime } from './TrafficOverTime.tsx';

afterEach(() => vi.unstubAllGlobals());

const design = { experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary', contexts: null, arms: [] } as unknown as StoredBanditDesign;
const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const withQueries = (ui: ReactNode) => <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{ui}</QueryClientProvider>;

describe('the summary in words', () => {
  it('names the leader, how sure it is, where recent traffic went and what it rests on', () => {
    expect(summarySentences(h)).toEqual([
      'sms currently looks best: there is a 91% chance it has the highest success rate.',
      `85% of recent traffic (20 participants since ${clock(T0 + 120_000)}) went to it; a new participant now gets it with a 91% chance.`,
      'That is likely but not settled: the other arms still get some participants so the bandit can keep checking.',
      'Based on 18 outcomes from 40 participants.',
    ]);
  });

  it('says the posteriors are still the priors before any outcome, and what to do before any draw', () => {
    const drawnOnly: BanditHistory = { ...h, arms: h.arms.map((a) => ({ ...a, n_outcomes: 0 })) };
    expect(summarySentences(drawnOnly)[0]).toBe('40 participants drawn, but no outcomes yet: the posteriors are still the priors, so every arm is drawn by its starting belief alone.');
    const nothing: BanditHistory = { ...h, buckets: [], arms: h.arms.map((a) => ({ ...a, n_outcomes: 0, n_draws: 0 })) };
    expect(summarySentences(nothing)).toHaveLength(1);
    expect(summarySentences(nothing)[0]).toMatch(/^No participant has been drawn yet/);
  });

  it('speaks of the average participant for a contextual bandit, and of strong evidence past 95%', () => {
    const cmab: BanditHistory = { ...h, experiment_type: 'cmab_online', reward_type: 'real-valued', arms: h.arms.map((a) => (a.arm_id === 'arm_b' ? { ...a, prob_best: 0.97 } : a)) };
    const words = summarySentences(cmab);
    expect(words[0]).toBe('sms currently looks best for the average participant so far: there is a 97% chance it has the highest average outcome.');
    expect(words[2]).toBe('That is strong evidence, so the bandit now sends most participants to it.');
  });

  it('sums recent traffic back over quiet periods until enough participants are counted', () => {
    const recent = recentTraffic(h, 30);
    expect(recent?.draws).toBe(40);
    expect(recent?.since).toBe(new Date(T0).toISOString());
    expect(recent?.shareByArm.get('arm_b')).toBe(25 / 40);
    expect(recentTraffic({ buckets: [] })).toBeNull();
  });

  it('writes chances, rewards, posteriors, periods and context values for people', () => {
    expect([chance(0.001), chance(0.999), chance(0), chance(1), chance(0.625), chance(null)]).toEqual(['< 1%', '> 99%', '0%', '100%', '63%', '—']);
    expect(rewardFormatter('binary')(0.75)).toBe('75.0%');
    expect(rewardFormatter('real-valued')(12.3456)).toBe('12.3');
    expect(rewardFormatter('real-valued')(12345.6)).toBe('12,346');
    expect(priorToPosterior(h.arms[1]!, 'beta')).toBe('Beta(1, 1) → Beta(9, 3)');
    const normal = { ...h.arms[0]!, mu_init: 0, sigma_init: 1, mu: [0.5], covariance: [[0.04]] };
    expect(priorToPosterior(normal, 'normal')).toBe('Normal(0, 1²) → Normal(0.5, 0.2²)');
    expect(priorToPosterior({ ...normal, mu: [0.5, -0.25], covariance: [[0.04, 0], [0, 0.09]] }, 'normal')).toBe('Normal(0, 1²) per context → means (0.5, -0.25), SDs (0.2, 0.3)');
    expect([bucketWords(5), bucketWords(3600), durationWords(60), durationWords(7200), durationWords(null)]).toEqual(['5-second', '1-hour', '1 minute', '2 hours', '']);
    expect(contextWords({ contexts: [{ context_id: 'b', context_name: 'age', value_type: 'real-valued' }, { context_id: 'a', context_name: 'returning', value_type: 'binary' }] }, [1, 1.16667])).toBe(
      'age = 1.167, returning = 1',
    );
  });
});

describe('history → chart series', () => {
  it('traffic: one series per arm, each bucket’s share at its start, periods without participants left out', () => {
    const series = trafficSeries(h);
    expect(series.map((s) => s.label)).toEqual(['letter', 'sms', 'call']);
    expect(series[1]?.points).toEqual([
      { t: T0, y: 0.4 },
      { t: T0 + 120_000, y: 0.85 },
    ]);
  });

  it('expected reward: from the prior at the first start, then the posterior and its interval at each end', () => {
    const sms = posteriorSeries(h)[1]!;
    expect(sms.points[0]).toEqual({ t: T0, y: 0.5, lower: 0.025, upper: 0.975 });
    expect(sms.points.slice(1).map((p) => [p.t, p.y, p.lower, p.upper])).toEqual([
      [T0 + 60_000, 0.8, 0.4, 0.99],
      [T0 + 120_000, 0.8, 0.4, 0.99],
      [T0 + 180_000, 0.75, 0.4822, 0.9398],
    ]);
    expect(posteriorSeries({ ...h, buckets: [] })[0]?.points).toEqual([]);
  });

  it('snapshots: finished bandit analyses only, oldest first', () => {
    const snap = (id: string, at: number, status: BanditSnapshot['status'], mean: number | null): BanditSnapshot => ({
      id,
      status,
      details: null,
      created_at: new Date(at).toISOString(),
      updated_at: new Date(at).toISOString(),
      data:
        mean === null
          ? null
          : {
              type: 'bandit',
              experiment_id: 'exp_1',
              n_outcomes: 3,
              fraction_automatically_failed: 0,
              created_at: new Date(at).toISOString(),
              contexts: null,
              arm_analyses: [{ arm_id: 'arm_b', arm_name: 'sms', post_pred_mean: mean, post_pred_ci_lower: mean - 0.1, post_pred_ci_upper: mean + 0.1 } as never],
            },
    });
    const series = snapshotSeries([snap('s3', T0 + 2000, 'success', 0.7), snap('s2', T0 + 1000, 'running', null), snap('s1', T0, 'success', 0.6)], h.arms);
    expect(series[1]?.points).toEqual([
      { t: T0, y: 0.6, lower: 0.5, upper: 0.7 },
      { t: T0 + 2000, y: 0.7, lower: expect.closeTo(0.6, 12), upper: 0.7999999999999999 },
    ]);
    expect(series[0]?.points.map((p) => p.y)).toEqual([null, null]);
  });
});

describe('the bandit on the page', () => {
  it('shows every arm’s numbers, highlights the leader and plots the credible intervals', () => {
    const { container } = render(<PosteriorView view={h} design={design} />);
    const table = screen.getByRole('table', { name: 'The arms now' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['letterBeta(1, 1) → Beta(2, 5)', '10', '5', '20.0%', '28.6%', '4.3% to 64.1%', '2%', '2%'],
      ['sms leadingBeta(1, 1) → Beta(9, 3)', '25', '10', '80.0%', '75.0%', '48.2% to 94.0%', '91%', '91%'],
      ['callBeta(1, 1) → Beta(2, 3)', '5', '3', '33.3%', '40.0%', '6.8% to 80.6%', '7%', '7%'],
    ]);
    expect(screen.getByRole('img', { name: 'Expected success rate by arm' })).toBeTruthy();
    expect(container.querySelector('.chart-tone-better .chart-label')?.textContent).toBe('sms');
    expect(screen.getByText(/The leading arm, sms, is drawn in green/)).toBeTruthy();
  });

  it('draws traffic shares and expected rewards over time, and says when there is no traffic', () => {
    const { unmount } = render(withQueries(<TrafficOverTime ds="ds_1" exp="exp_1" live={false} auto={{ history: h, fetchMs: 5 }} />));
    const shares = screen.getByRole('table', { name: 'Share of new participants by arm' });
    expect(within(shares).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent))).toEqual([
      ['40%', '40%', '20%'],
      ['10%', '85%', '5%'],
    ]);
    expect(screen.getByRole('img', { name: 'Expected success rate by arm over time' })).toBeTruthy();
    expect(screen.getByText(/^3 periods of 1 minute, 40 participants drawn and 18 outcomes reported/)).toBeTruthy();
    unmount();
    render(withQueries(<TrafficOverTime ds="ds_1" exp="exp_1" live={false} auto={{ history: { ...h, buckets: [], bucket_seconds: null }, fetchMs: 5 }} />));
    expect(screen.getByRole('heading', { name: 'No traffic yet' })).toBeTruthy();
  });

  it('asks for every number of a contextual prediction before sending it, next to the field', () => {
    const cmab = {
      ...design,
      experiment_type: 'cmab_online',
      prior_type: 'normal',
      reward_type: 'real-valued',
      contexts: [
        { context_id: 'c1', context_name: 'returning', value_type: 'binary' },
        { context_id: 'c2', context_name: 'age', value_type: 'real-valued' },
      ],
    } as unknown as StoredBanditDesign;
    render(withQueries(<CmabPrediction ds="ds_1" exp="exp_1" design={cmab} />));
    expect((screen.getByRole('combobox', { name: 'returning' }) as HTMLSelectElement).value).toBe('0');
    fireEvent.change(screen.getByRole('textbox', { name: 'age' }), { target: { value: 'old' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show predictions' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter a number for age.');
    expect(screen.getByRole('textbox', { name: 'age' }).getAttribute('aria-invalid')).toBe('true');
    expect(cmabSampleCalls('exp_1', cmab).map((c) => [c.label, c.path, JSON.stringify(c.body)])).toEqual([
      [
        'Get assignment (with context)',
        '/v1/experiments/exp_1/assignments/<participant-id>/assign_cmab',
        '{"context_inputs":[{"context_id":"c1","context_value":1},{"context_id":"c2","context_value":2.5}]}',
      ],
      ['Report outcome', '/v1/experiments/exp_1/assignments/<participant-id>/outcome', '{"outcome":1.5}'],
    ]);
  });
});

describe('a snapshot in the posterior view', () => {
  const takenAt = '2026-06-01T12:01:30Z';
  const when = new Date(takenAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  it('adapts the stored analysis: its beliefs and counts, at 95%, without the numbers only the live history has', () => {
    const view = snapshotArms(older, design, takenAt);
    expect(view).toMatchObject({ experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary', credible_level: 0.95, contexts: null, as_of: takenAt });
    expect(view.buckets).toBeUndefined();
    expect(view.arms[1]).toEqual({
      arm_id: 'arm_b',
      arm_name: 'sms',
      arm_description: '',
      alpha_init: 1,
      beta_init: 1,
      mu_init: null,
      sigma_init: null,
      alpha: 4,
      beta: 1,
      mu: null,
      covariance: null,
      n_draws: 8,
      n_outcomes: 3,
      prior: { mean: 0.5, ci_lower: 0.025, ci_upper: 0.975 },
      posterior: { mean: 0.8, ci_lower: 0.3981, ci_upper: 0.9937 },
    });
    const cmab = snapshotArms({ ...older, contexts: [1, 2.5] }, { ...design, experiment_type: 'cmab_online' }, takenAt);
    expect(cmab.contexts).toEqual([1, 2.5]);
  });

  it('speaks of then: the leader by its belief, no chances or traffic', () => {
    const view = snapshotArms(older, design, takenAt);
    expect(summarySentences(view)).toEqual(['sms looked best: its expected success rate was 80.0% (95% credible interval 39.8% to 99.4%).', 'Based on 8 outcomes from 20 participants.']);
    const empty = { ...view, arms: view.arms.map((a) => ({ ...a, n_draws: 0, n_outcomes: 0 })) };
    expect(summarySentences(empty)).toEqual(['No participant had been drawn when this snapshot was taken.']);
    expect(summarySentences({ ...view, arms: view.arms.map((a) => ({ ...a, n_outcomes: 0 })) })).toEqual(['20 participants drawn, but no outcomes yet: the posteriors were still the priors.']);
  });

  it('leaves out the columns a snapshot has no numbers for', () => {
    render(<PosteriorView view={snapshotArms(older, design, takenAt)} design={design} />);
    const table = screen.getByRole('table', { name: `The arms as of ${when}` });
    expect(within(table).getAllByRole('columnheader').map((c) => c.textContent)).toEqual(['Arm', 'Participants', 'Outcomes', 'Expected success rate', '95% credible interval']);
    expect(within(table).getByRole('row', { name: /^sms/ }).textContent).toBe(['sms leadingBeta(1, 1) → Beta(4, 1)', '8', '3', '80.0%', '39.8% to 99.4%'].join(''));
    expect(screen.getByText(/given the outcomes until then and the starting belief/)).toBeTruthy();
    expect(screen.queryByText(/Chance best/)).toBeNull();
  });
});

describe('the bandit section with a snapshot open', () => {
  const DS = 'ds_1';
  const EXP = 'exp_1';
  const ARMS = h.arms.map((a) => ({ arm_id: a.arm_id, arm_name: a.arm_name, alpha_init: 1, beta_init: 1 }));
  const stored = { ...design, experiment_name: 'Reminder channel bandit', arms: ARMS } as unknown as StoredBanditDesign;
  const config = {
    experiment_id: EXP,
    datasource_id: DS,
    state: 'committed',
    design_spec: stored,
    assign_summary: { balance_check: null, sample_size: 40, arm_sizes: [] },
  } as unknown as ExperimentConfig;
  const path = `/datasources/${DS}/experiments/${EXP}`;
  const route = '/datasources/:datasourceId/experiments/:experimentId';
  const snapshotsUrl = `/v1/m/organizations/${ORG}/datasources/${DS}/experiments/${EXP}/snapshots`;
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const snap = (id: string, created: string, status: BanditSnapshot['status'], data: BanditSnapshot['data']): BanditSnapshot => ({
    id,
    status,
    details: status === 'failed' ? { message: 'The worker stopped: database restarted.' } : null,
    created_at: created,
    updated_at: created,
    data,
  });
  const list = [snap('sn_new', at(3), 'success', { ...older, n_outcomes: 18 }), snap('sn_fail', at(2), 'failed', null), snap('sn_old', at(1), 'success', older), snap('sn_run', at(4), 'running', null)];
  const server = (req: Sent) => {
    if (req.url.startsWith(`/v1/m/datasources/${DS}/experiments/${EXP}/bandit_history?`)) return json(h);
    if (req.url.startsWith(`${snapshotsUrl}?`)) return json({ items: list, latest_failure: null, next_page_token: '' });
    const one = list.find((s) => req.url === `${snapshotsUrl}/${s.id}`);
    if (req.url.startsWith(`${snapshotsUrl}/`)) return one ? json({ snapshot: one }) : json({ detail: 'Snapshot not found.' }, 404);
    return undefined;
  };
  const armRows = (name: string) =>
    within(screen.getByRole('table', { name }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));

  it('opens a snapshot from the list as of its time, with its own download and no live controls, then goes back', async () => {
    const { user, router } = renderScreen(<BanditSection config={config} design={stored} />, server, { path, route });
    await screen.findByRole('table', { name: 'The arms now' });
    expect(screen.queryByRole('button', { name: `Open the snapshot of ${when(at(2))}` })).toBeNull();
    await user.click(await screen.findByRole('button', { name: `Open the snapshot of ${when(at(1))}` }));

    await screen.findByText(`As of ${when(at(1))}`);
    expect(router.state.location.search).toBe('?snapshot=sn_old');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('How the arms were doing'));
    expect(armRows(`The arms as of ${when(at(1))}`)).toEqual([
      ['8', '4', '33.3%', '4.3% to 77.7%'],
      ['8', '3', '80.0%', '39.8% to 99.4%'],
      ['4', '1', '33.3%', '1.3% to 84.2%'],
    ]);
    expect(screen.getByText('sms looked best: its expected success rate was 80.0% (95% credible interval 39.8% to 99.4%).')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /live updates$/ })).toBeNull();
    expect(screen.getByText(/^Download this snapshot: CSV has one row per arm/)).toBeTruthy();
    const row = within(screen.getByRole('table', { name: /^Snapshots, newest first/ })).getByRole('row', { name: new RegExp(`^${when(at(1))}`) });
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(within(row).getByRole('button', { name: `Open the snapshot of ${when(at(1))}` })).toHaveProperty('disabled', true);

    await user.click(screen.getByRole('button', { name: 'Back to the live numbers' }));
    await screen.findByRole('table', { name: 'The arms now' });
    expect(router.state.location.search).toBe('');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('How the arms are doing'));
    expect(screen.getByRole('button', { name: 'Pause live updates' })).toBeTruthy();
  });

  it('says when the snapshot in the address failed, is still being computed or does not exist, without moving focus', async () => {
    const failed = renderScreen(<BanditSection config={config} design={stored} />, server, { path: `${path}?snapshot=sn_fail`, route });
    await screen.findByText('This snapshot has no numbers');
    expect(screen.getByText('The worker stopped: database restarted.', { selector: '.callout p' })).toBeTruthy();
    expect(document.activeElement).toBe(document.body);
    failed.unmount();

    const running = renderScreen(<BanditSection config={config} design={stored} />, server, { path: `${path}?snapshot=sn_run`, route });
    await screen.findByText(/^This snapshot is still being computed/);
    running.unmount();

    const { user, router } = renderScreen(<BanditSection config={config} design={stored} />, server, { path: `${path}?snapshot=sn_gone`, route });
    await screen.findByText('This snapshot no longer exists');
    await user.click(screen.getByRole('button', { name: 'Back to the live numbers' }));
    await screen.findByRole('table', { name: 'The arms now' });
    expect(router.state.location.search).toBe('');
  });
});
