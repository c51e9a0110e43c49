/**
 * The results section against a stand-in server answering with a real analysis (the demo fixture) and
 * variants of it: sentences, the forest plot's rows and tones, the numbers table, warnings explained,
 * the baseline choice reaching the request, warehouse errors with what to do, and the snapshot history
 * (chart points, open "as of", take one now and follow it, delete after confirming).
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, renderScreen, type Sent } from '../../../webhooks/test-support.tsx';
import type { ExperimentConfig } from '../../api-types.ts';
import type { FreqAnalysis, Snapshot } from './analysis-types.ts';
import { DEMO_ANALYSIS } from './analysis-fixture.ts';
import { ResultsSection } from './ResultsSection.tsx';

afterEach(() => vi.unstubAllGlobals());

const DS = 'ds_demo';
const EXP = DEMO_ANALYSIS.experiment_id;
const ARMS = DEMO_ANALYSIS.metric_analyses[0]!.arm_analyses.map((a) => ({ arm_id: a.arm_id, arm_name: a.arm_name }));

const CONFIG = {
  experiment_id: EXP,
  datasource_id: DS,
  state: 'committed',
  stopped_assignments_at: null,
  stopped_assignments_reason: 'preassigned',
  design_spec: {
    experiment_type: 'freq_preassigned',
    experiment_name: 'Course reminders',
    start_date: '2026-01-01T00:00:00Z',
    end_date: '2099-01-01T00:00:00Z',
    arms: ARMS,
    table_name: 'participants',
    primary_key: 'participant_id',
    strata: [{ field_name: 'channel' }],
    covariates: [{ field_name: 'sessions_last_30d' }],
    metrics: [{ field_name: 'weekly_minutes' }, { field_name: 'completed_course', metric_pct_change: 0.1 }],
    alpha: 0.05,
  },
  power_analyses: null,
  assign_summary: { balance_check: null, sample_size: 600, arm_sizes: [] },
  webhooks: [],
  decision: '',
  impact: '',
} as ExperimentConfig;

const path = `/datasources/${DS}/experiments/${EXP}`;
const route = '/datasources/:datasourceId/experiments/:experimentId';
const analyzeUrl = `/v1/m/datasources/${DS}/experiments/${EXP}/analyze`;
const snapshotsUrl = `/v1/m/organizations/o_test/datasources/${DS}/experiments/${EXP}/snapshots`;

/** The demo analysis where Reminder SMS clearly beats Control on weekly_minutes and Phone call is clearly worse. */
function withClearEffects(a: FreqAnalysis): FreqAnalysis {
  const [m0, ...rest] = a.metric_analyses;
  const base = m0!.arm_analyses[0]!.mean!;
  const arms = m0!.arm_analyses.map((arm, j) =>
    j === 1
      ? { ...arm, estimate: 6.2, ci_lower: 1.4, ci_upper: 11.0, p_value: 0.012, p_value_holm: 0.048, mean: base + 6.2 }
      : j === 2
        ? { ...arm, estimate: -5.9, ci_lower: -10.6, ci_upper: -1.2, p_value: 0.014, p_value_holm: 0.048, mean: base - 5.9 }
        : arm,
  );
  return { ...a, metric_analyses: [{ ...m0!, arm_analyses: arms }, ...rest] };
}

function snapshot(id: string, at: string, data: FreqAnalysis | null, status: Snapshot['status'] = 'success'): Snapshot {
  return { id, experiment_id: EXP, status, details: status === 'failed' ? { message: 'WarehouseError: could not open the DuckDB file' } : null, created_at: at, updated_at: at, data };
}

function server(over: { analysis?: () => Response; snapshots?: Snapshot[]; one?: (id: string) => Response | undefined; post?: () => Response } = {}) {
  return (req: Sent) => {
    if (req.url.startsWith(analyzeUrl)) return over.analysis?.() ?? json(DEMO_ANALYSIS);
    if (req.method === 'GET' && req.url.startsWith(`${snapshotsUrl}?`)) return json({ items: over.snapshots ?? [], latest_failure: null, next_page_token: '' });
    if (req.method === 'POST' && req.url === snapshotsUrl) return over.post?.() ?? json({ id: 'sn_new' });
    if (req.method === 'DELETE' && req.url.startsWith(`${snapshotsUrl}/`)) return new Response(null, { status: 204 });
    if (req.method === 'GET' && req.url.startsWith(`${snapshotsUrl}/`)) return over.one?.(req.url.slice(snapshotsUrl.length + 1));
    return undefined;
  };
}

const numbersOf = (tableName: string) =>
  within(screen.getByRole('table', { name: tableName }))
    .getAllByRole('row')
    .map((r) => r.textContent);

describe('ResultsSection', () => {
  it('shows the real analysis: a sentence per arm, the forest plot’s rows and the numbers table', async () => {
    renderScreen(<ResultsSection config={CONFIG} />, server(), { path, route });
    await screen.findByText(/^Reminder SMS: no clear difference in weekly_minutes from Control \(\+1\.18, 95% CI −3\.7 to \+6\.05; p = 0\.64\)/);
    expect(screen.getByText(/^Phone call: no clear difference in completed_course from Control \(\+0\.5 pp, 95% CI −9\.32 pp to \+10\.3 pp; p = 0\.92\)/)).toBeTruthy();
    // The forest plot: the baseline at 0, each arm and its covariate-adjusted estimate, none clearly different.
    expect(screen.getByRole('img', { name: 'Difference in weekly_minutes from Control' })).toBeTruthy();
    expect(numbersOf('Difference in weekly_minutes from Control')).toEqual([
      'Difference95% CI',
      'Control (baseline)0—',
      'Reminder SMS+1.18−3.7 to +6.05',
      'Reminder SMS, adjusted+1.54−2.44 to +5.53',
      'Phone call−1.52−6.38 to +3.35',
      'Phone call, adjusted−1.61−5.67 to +2.46',
    ]);
    const figure = screen.getByRole('figure', { name: 'Difference in weekly_minutes from Control' });
    expect(figure.querySelectorAll('.chart-tone-neutral')).toHaveLength(4);
    // Every number per arm, with raw and multiple-comparison p-values labelled apart from the covariate adjustment.
    const table = screen.getByRole('table', { name: 'completed_course by arm' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Arm',
      'Participants',
      'Share (95% CI)',
      'Difference from Control (95% CI)',
      'p-value',
      'p adjusted for multiple comparisons',
      'Adjusted for covariates',
      'With a value',
      'Missing',
      'Holm',
      'BH',
      'Difference (95% CI)',
      'p-value',
    ]);
    expect(within(table).getByRole('row', { name: /^Reminder SMS/ }).textContent).toBe(
      ['Reminder SMS', '200', '0', '47% (40.1% to 53.9%)', '+0.5 pp (−9.32 pp to +10.3 pp)', '0.92', '1.00', '0.92', '+0.689 pp (−9.05 pp to +10.4 pp)', '0.89'].join(''),
    );
    expect(screen.getByText(/Arm sizes match the 33\.3\/33\.3\/33\.3 split you planned \(Control 200, Reminder SMS 200, Phone call 200 participants; p = 1\.00\)\./)).toBeTruthy();
    expect(screen.getByText(/the arms looked alike on sessions_last_30d, channel/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('colours clear effects by the intended direction and says so in words', async () => {
    renderScreen(<ResultsSection config={CONFIG} />, server({ analysis: () => json(withClearEffects(DEMO_ANALYSIS)) }), { path, route });
    await screen.findByText(/^Reminder SMS: weekly_minutes higher than Control by 6\.2 \(57\.8 vs 51\.6; 95% CI of the difference \+1\.4 to \+11\); unlikely to be chance \(p = 0\.012\)\.$/);
    expect(screen.getByText(/^Phone call: weekly_minutes lower than Control by 5\.9 .*unlikely to be chance \(p = 0\.014\)\.$/)).toBeTruthy();
    const figure = screen.getByRole('figure', { name: 'Difference in weekly_minutes from Control' });
    expect(figure.querySelectorAll('.chart-tone-better')).toHaveLength(1);
    expect(figure.querySelectorAll('.chart-tone-worse')).toHaveLength(1);
  });

  it('explains each warning with what to do, and shows an unknown one as it came', async () => {
    const warned: FreqAnalysis = {
      ...DEMO_ANALYSIS,
      sample_ratio_mismatch: { ...DEMO_ANALYSIS.sample_ratio_mismatch, observed: [290, 160, 150], chi_square: 61, p_value: 5.6e-14, mismatch: true },
      warnings: [
        { warning: 'sample_ratio_mismatch', message: 'Sample ratio mismatch: the participants per arm (290, 160, 150) differ from the design’s weights.' },
        { warning: 'carryover', message: 'Participants took part in an earlier experiment.' },
      ],
    };
    renderScreen(<ResultsSection config={CONFIG} />, server({ analysis: () => json(warned) }), { path, route });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]!.textContent).toMatch(/^The arms are not the sizes you plannedArm sizes \(Control 290, Reminder SMS 160, Phone call 150 participants\) differ from the 33\.3\/33\.3\/33\.3 split you planned more than chance would explain \(p < 0\.001\)\./);
    expect(within(alerts[0]!).getByText(/records the arm it gets/)).toBeTruthy();
    expect(within(alerts[0]!).getByText(/differ from the design’s weights/)).toBeTruthy();
    expect(alerts[1]!.textContent).toBe('Warning: carryoverParticipants took part in an earlier experiment.');
    expect(screen.queryByText(/Arm sizes match/)).toBeNull();
  });

  it('asks again with another baseline, adjustment or inference, keeping the choices in the address', async () => {
    const { user, sent, router } = renderScreen(<ResultsSection config={CONFIG} />, server(), { path, route });
    await screen.findByText(/^Reminder SMS: no clear difference in weekly_minutes/);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Compare each arm with' }), 'Phone call');
    await waitFor(() => expect(sent.map((r) => r.url)).toContain(`${analyzeUrl}?baseline_arm_id=${ARMS[2]!.arm_id}`));
    expect(router.state.location.search).toBe(`?baseline=${ARMS[2]!.arm_id}`);
    await user.click(screen.getByRole('radio', { name: 'Nothing' }));
    await waitFor(() => expect(sent.map((r) => r.url)).toContain(`${analyzeUrl}?baseline_arm_id=${ARMS[2]!.arm_id}&adjust=none`));
    expect(screen.getByRole('radio', { name: 'Both' })).toHaveProperty('disabled', false);

    // Normal (z) inference, as Evidential computes it, and back to the default t.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Intervals and p-values from' }), 'z');
    await waitFor(() => expect(sent.map((r) => r.url)).toContain(`${analyzeUrl}?baseline_arm_id=${ARMS[2]!.arm_id}&adjust=none&inference=z`));
    expect(router.state.location.search).toBe(`?baseline=${ARMS[2]!.arm_id}&adjust=none&inference=z`);
    expect(screen.getByText(/Matches Evidential’s numbers/)).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Intervals and p-values from' }), 't');
    await waitFor(() => expect(router.state.location.search).toBe(`?baseline=${ARMS[2]!.arm_id}&adjust=none`));
  });

  it('says what to do when the warehouse cannot be reached', async () => {
    const down = () => json({ message: 'Could not open the DuckDB file: IO Error: No such file' }, 502);
    renderScreen(<ResultsSection config={CONFIG} />, server({ analysis: down }), { path, route });
    await screen.findByText('The warehouse could not be reached');
    expect(screen.getByText('Could not open the DuckDB file: IO Error: No such file')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'the datasource’s page' }).getAttribute('href')).toBe(`/datasources/${DS}`);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('draws the history with a point per snapshot, and opens one "as of" its time', async () => {
    const older = { ...DEMO_ANALYSIS, created_at: '2026-11-20T10:00:05Z' };
    const newer = withClearEffects({ ...DEMO_ANALYSIS, created_at: '2026-11-21T10:00:05Z' });
    const list = [snapshot('sn_b', '2026-11-21T10:00:00Z', newer), snapshot('sn_f', '2026-11-20T16:00:00Z', null, 'failed'), snapshot('sn_a', '2026-11-20T10:00:00Z', older)];
    const { user, router } = renderScreen(
      <ResultsSection config={CONFIG} />,
      server({ snapshots: list, one: (id) => json({ snapshot: list.find((s) => s.id === id) }) }),
      { path, route },
    );
    const chart = await screen.findByRole('table', { name: 'weekly_minutes: difference from Control at each snapshot' });
    const rows = within(chart).getAllByRole('row');
    expect(rows).toHaveLength(3); // header + the two successful snapshots
    expect(rows[1]!.textContent).toMatch(/\+1\.18 \(−3\.7 to \+6\.05\)−1\.52 \(−6\.38 to \+3\.35\)$/);
    expect(rows[2]!.textContent).toMatch(/\+6\.2 \(\+1\.4 to \+11\)−5\.9 \(−10\.6 to −1\.2\)$/);
    expect(screen.getByText('WarehouseError: could not open the DuckDB file')).toBeTruthy();

    const when = new Date('2026-11-21T10:00:00Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    await user.click(screen.getByRole('button', { name: `Open the snapshot of ${when}` }));
    await screen.findByText(`As of ${when}`);
    expect(router.state.location.search).toBe('?snapshot=sn_b');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Results from a snapshot'));
    expect(screen.getByText(/^Reminder SMS: weekly_minutes higher than Control by 6\.2/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to the live results' }));
    await screen.findByRole('combobox', { name: 'Compare each arm with' });
    expect(router.state.location.search).toBe('');
  });

  it('takes a snapshot now and follows it until the worker is done', async () => {
    let polls = 0;
    const at = '2026-11-22T09:15:30Z';
    const { user, sent } = renderScreen(
      <ResultsSection config={CONFIG} />,
      server({ one: () => json({ snapshot: snapshot('sn_new', at, polls++ < 1 ? null : DEMO_ANALYSIS, polls < 2 ? 'running' : 'success') }) }),
      { path, route },
    );
    await screen.findByText(/No snapshots yet/);
    await user.click(screen.getByRole('button', { name: 'Take a snapshot now' }));
    await screen.findByText('Taking a snapshot…');
    await screen.findByText(`Snapshot taken at ${new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}`, {}, { timeout: 4000 });
    expect(sent.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([snapshotsUrl]);
    expect(sent.filter((r) => r.url === `${snapshotsUrl}/sn_new`).length).toBeGreaterThanOrEqual(2);
  });

  it('deletes a snapshot only after confirming', async () => {
    const list = [snapshot('sn_a', '2026-11-20T10:00:00Z', DEMO_ANALYSIS)];
    const { user, sent } = renderScreen(<ResultsSection config={CONFIG} />, server({ snapshots: list }), { path, route });
    const when = new Date('2026-11-20T10:00:00Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    await user.click(await screen.findByRole('button', { name: `Delete the snapshot of ${when}` }));
    const dialog = screen.getByRole('dialog', { name: `Delete the snapshot of ${when}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(sent.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: `Delete the snapshot of ${when}` }));
    await user.click(within(screen.getByRole('dialog', { name: `Delete the snapshot of ${when}?` })).getByRole('button', { name: 'Delete snapshot' }));
    await waitFor(() => expect(sent.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([`${snapshotsUrl}/sn_a`]));
    await screen.findByText(`The snapshot of ${when} was deleted.`);
  });

  it('says when there can be no results yet, and shows nothing for an abandoned draft', async () => {
    const draft = { ...CONFIG, state: 'assigned' } as ExperimentConfig;
    const { unmount } = renderScreen(<ResultsSection config={draft} />, server(), { path, route });
    await screen.findByText(/Results appear here once the experiment is committed/);
    unmount();
    const upcoming = { ...CONFIG, design_spec: { ...CONFIG.design_spec, start_date: '2098-01-01T00:00:00Z' } } as ExperimentConfig;
    const second = renderScreen(<ResultsSection config={upcoming} />, server(), { path, route });
    await screen.findByText(/^Results appear once the experiment starts on/);
    expect(second.sent.some((r) => r.url.startsWith(analyzeUrl))).toBe(false);
    second.unmount();
    const online = { ...CONFIG, design_spec: { ...CONFIG.design_spec, experiment_type: 'freq_online' }, assign_summary: { ...CONFIG.assign_summary, sample_size: 0 } } as ExperimentConfig;
    const third = renderScreen(<ResultsSection config={online} />, server(), { path, route });
    await screen.findByText('No participants yet');
    third.unmount();
    const abandoned = { ...CONFIG, state: 'abandoned' } as ExperimentConfig;
    const { container } = renderScreen(<ResultsSection config={abandoned} />, server(), { path, route });
    await waitFor(() => expect(container.querySelector('.section')).toBeNull());
  });
});
