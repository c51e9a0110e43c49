/**
 * An experiment's results in Chromium against `equipoise serve` on the embedded default (PGlite + the
 * DuckDB demo), with experiments made through the admin API: the numbers and sentences on the page equal
 * the analyze API's (formatted by the page's own wording module), two snapshots taken from the page and
 * charted with a point each, an old snapshot opened "as of" its time and one deleted, CSV and JSON
 * downloads equal to the API's, the whole section by keyboard alone, and a real sample-ratio mismatch: an
 * online experiment in hash mode whose "backend" computes arms offline and reports only half of one arm.
 */
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { hashAssignment } from '../../src/domain/hash-assignment.ts';
import type { FreqAnalysis, Snapshot } from '../../web/src/features/experiments/page/results/analysis-types.ts';
import { armSentence, formatEffect, formatP, formatValue, intendedDirection, metricKind } from '../../web/src/features/experiments/page/results/wording.ts';
import { createExperiment, demoDesign, demoIds, type DemoIds } from './experiments-helpers.ts';
import { tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

const ARMS = [
  { arm_name: 'control', arm_description: 'as today' },
  { arm_name: 'reminder', arm_description: 'weekly reminder' },
  { arm_name: 'phone call', arm_description: 'a call from a tutor' },
];

describeUi('experiment results', () => {
  const ui = useUi();
  const made = {} as { ids: DemoIds; trial: string; srm: string; srmCounts: number[] };
  const pageOf = (exp: string) => ui.url(`/datasources/${made.ids.datasourceId}/experiments/${exp}`);
  const base = (exp: string) => `/v1/m/datasources/${made.ids.datasourceId}/experiments/${exp}`;
  const snapshots = (exp: string) => `/v1/m/organizations/${made.ids.organizationId}/datasources/${made.ids.datasourceId}/experiments/${exp}/snapshots`;
  const adminText = async (p: string) => (await fetch(ui.url(p), { headers: { Authorization: `Bearer ${ui.server.token}` } })).text();
  const withoutTime = ({ created_at: _, ...rest }: FreqAnalysis) => rest;

  beforeAll(async () => {
    made.ids = await demoIds(ui);
    const ds = made.ids.datasourceId;
    made.trial = await createExperiment(
      ui,
      ds,
      demoDesign({
        experiment_name: 'Course reminders',
        arms: ARMS,
        covariates: [{ field_name: 'sessions_last_30d' }],
        metrics: [{ field_name: 'completed_course', metric_pct_change: 0.1 }, { field_name: 'weekly_minutes' }],
        desired_n: 600,
      }),
      { commit: true },
    );

    // The sample-ratio mismatch, made for real: a hash-mode online experiment whose backend computes each
    // participant's arm offline from the published hash parameters (as a GrowthBook SDK does) and asks
    // Equipoise only when the participant reaches the page, which half of the reminder arm never does.
    made.srm = await createExperiment(
      ui,
      ds,
      demoDesign({
        experiment_type: 'freq_online',
        experiment_name: 'Banner with a slow variant',
        arms: ARMS.slice(0, 2),
        strata: [],
        desired_n: null,
        assignment_mode: 'hash',
        metrics: [{ field_name: 'weekly_minutes' }],
      }),
      { commit: true },
    );
    const { config } = await ui.api<{ config: { assignment_hash: { seed: string } } }>('GET', base(made.srm));
    const { key } = await ui.api<{ key: string }>('POST', `/v1/m/datasources/${ds}/apikeys`, { name: 'backend', rate_limit_per_second: 10_000 });
    const ids = Array.from({ length: 480 }, (_, i) => `p${String(i + 1).padStart(6, '0')}`);
    const reaching = ids.filter((id, i) => hashAssignment(config.assignment_hash.seed, id, null, 2).armIndex === 0 || i % 2 === 0);
    made.srmCounts = [0, 0];
    for (let i = 0; i < reaching.length; i += 16) {
      await Promise.all(
        reaching.slice(i, i + 16).map(async (id) => {
          const res = await fetch(ui.url(`/v1/experiments/${made.srm}/assignments/${id}`), { headers: { 'X-API-Key': key } });
          const body = (await res.json()) as { assignment: { arm_name: string } };
          made.srmCounts[body.assignment.arm_name === 'control' ? 0 : 1]!++;
        }),
      );
    }
  });

  /** Waits for the live results of the trial to be on screen. */
  async function openTrial(page: Page): Promise<Locator> {
    await page.goto(pageOf(made.trial));
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('table', { name: 'weekly_minutes by arm' }).waitFor({ timeout: 30_000 });
    return results;
  }

  it('shows each metric’s numbers and sentences exactly as the analyze API computed them', async () => {
    const { page } = ui;
    const results = await openTrial(page);
    const api = await ui.api<FreqAnalysis>('GET', `${base(made.trial)}/analyze`);
    expect(api.metric_analyses.map((m) => m.metric_name)).toEqual(['completed_course', 'weekly_minutes']);
    for (const m of api.metric_analyses) {
      const kind = metricKind(m);
      const baseline = m.arm_analyses.find((a) => a.is_baseline)!;
      const table = results.getByRole('table', { name: `${m.metric_name} by arm` });
      for (const a of m.arm_analyses) {
        const cells = await table.getByRole('row', { name: new RegExp(`^${a.arm_name}`) }).getByRole('cell').allTextContents();
        expect(cells.slice(0, 3)).toEqual([String(a.num_observations), String(a.num_missing_values), `${formatValue(a.mean, kind)} (${formatValue(a.mean_ci_lower, kind)} to ${formatValue(a.mean_ci_upper, kind)})`]);
        if (a.is_baseline) continue;
        expect(cells.slice(3)).toEqual([
          `${formatEffect(a.estimate, kind)} (${formatEffect(a.ci_lower, kind)} to ${formatEffect(a.ci_upper, kind)})`,
          formatP(a.p_value, api.alpha),
          formatP(a.p_value_holm, api.alpha),
          formatP(a.p_value_bh, api.alpha),
          `${formatEffect(a.adjusted!.estimate, kind)} (${formatEffect(a.adjusted!.ci_lower, kind)} to ${formatEffect(a.adjusted!.ci_upper, kind)})`,
          formatP(a.adjusted!.p_value, api.alpha),
        ]);
        const sentence = armSentence(a, { metricName: m.metric_name, baseline, kind, alpha: api.alpha, direction: intendedDirection(m.metric, null), numTests: api.multiple_testing.num_tests });
        expect(await results.getByText(sentence, { exact: false }).count()).toBe(1);
      }
      // The forest plot's numbers: the baseline at 0, each arm and its covariate-adjusted difference.
      const figure = results.getByRole('figure', { name: `Difference in ${m.metric_name} from control` });
      await figure.getByText('Show the numbers').click();
      const plotted = await figure.getByRole('table').getByRole('row').allTextContents();
      expect(plotted).toEqual([
        'Difference95% CI',
        `control (baseline)${formatEffect(0, kind)}—`,
        ...m.arm_analyses
          .filter((a) => !a.is_baseline)
          .flatMap((a) => [
            `${a.arm_name}${formatEffect(a.estimate, kind)}${formatEffect(a.ci_lower, kind)} to ${formatEffect(a.ci_upper, kind)}`,
            `${a.arm_name}, adjusted${formatEffect(a.adjusted!.estimate, kind)}${formatEffect(a.adjusted!.ci_lower, kind)} to ${formatEffect(a.adjusted!.ci_upper, kind)}`,
          ]),
      ]);
    }
    await results.getByText(/Arm sizes match the 33\.3\/33\.3\/33\.3 split you planned \(control 200, reminder 200, phone call 200 participants/).waitFor();
    expect(await results.getByRole('alert').count()).toBe(0);
    await ui.screenshot('experiment-results');

    // Normal (z) inference, as Evidential computes it: the intervals and p-values follow the API's.
    await results.getByRole('combobox', { name: 'Intervals and p-values from' }).selectOption('z');
    await expect.poll(() => new URL(page.url()).searchParams.get('inference')).toBe('z');
    const z = await ui.api<FreqAnalysis>('GET', `${base(made.trial)}/analyze?inference=z`);
    expect(z.inference).toBe('z');
    const m = z.metric_analyses.find((x) => x.metric_name === 'weekly_minutes')!;
    const arm = m.arm_analyses.find((a) => !a.is_baseline)!;
    const row = results.getByRole('table', { name: 'weekly_minutes by arm' }).getByRole('row', { name: new RegExp(`^${arm.arm_name}`) });
    const kind = metricKind(m);
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).slice(3, 5)).toEqual([
      `${formatEffect(arm.estimate, kind)} (${formatEffect(arm.ci_lower, kind)} to ${formatEffect(arm.ci_upper, kind)})`,
      formatP(arm.p_value, z.alpha),
    ]);
    await results.getByText(/normal \(z\) distribution/).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('takes two snapshots, charts them, opens the older one as of its time and deletes one', async () => {
    const { page } = ui;
    await openTrial(page);
    const history = page.getByRole('region', { name: 'Snapshot history' });
    await history.getByText(/No snapshots yet/).waitFor();
    for (let i = 1; i <= 2; i++) {
      await history.getByRole('button', { name: 'Take a snapshot now' }).click();
      await expect.poll(() => history.getByRole('button', { name: /^Open the snapshot of / }).count(), { timeout: 30_000 }).toBe(i);
    }
    await history.getByText(/^Snapshot taken at /).waitFor();
    const stored = await ui.api<{ items: Snapshot[] }>('GET', snapshots(made.trial));
    expect(stored.items.map((s) => s.status)).toEqual(['success', 'success']);

    // One chart per metric with a point per snapshot, its numbers those the snapshots stored.
    const chart = history.getByRole('figure', { name: 'weekly_minutes: difference from control at each snapshot' });
    await chart.getByText('Show the numbers').click();
    const rows = await chart.getByRole('table').getByRole('row').allTextContents();
    expect(rows).toHaveLength(3);
    const oldestFirst = [...stored.items].reverse().map((s) => (s.data as FreqAnalysis).metric_analyses.find((m) => m.metric_name === 'weekly_minutes')!);
    oldestFirst.forEach((m, i) => {
      const cells = m.arm_analyses.filter((a) => !a.is_baseline).map((a) => `${formatEffect(a.estimate, 'numeric')} (${formatEffect(a.ci_lower, 'numeric')} to ${formatEffect(a.ci_upper, 'numeric')})`);
      expect(rows[i + 1]!.endsWith(cells.join(''))).toBe(true);
    });
    expect(await history.getByRole('list', { name: 'Legend of weekly_minutes: difference from control at each snapshot' }).textContent()).toBe('reminderphone call');
    await ui.screenshot('experiment-results-history');

    // The older snapshot, as of its time: the same view with the numbers it stored.
    const opens = history.getByRole('button', { name: /^Open the snapshot of / });
    const label = (await opens.nth(1).getAttribute('aria-label'))!;
    await opens.nth(1).click();
    const results = page.getByRole('region', { name: 'Results from a snapshot' });
    await results.getByText(`As of ${label.replace('Open the snapshot of ', '')}`).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Results from a snapshot');
    expect(new URL(page.url()).searchParams.get('snapshot')).toBe(stored.items[1]!.id);
    const older = stored.items[1]!.data as FreqAnalysis;
    const arm = older.metric_analyses[1]!.arm_analyses[1]!;
    const cells = await results.getByRole('table', { name: 'weekly_minutes by arm' }).getByRole('row', { name: /^reminder/ }).getByRole('cell').allTextContents();
    expect(cells[3]).toBe(`${formatEffect(arm.estimate, 'numeric')} (${formatEffect(arm.ci_lower, 'numeric')} to ${formatEffect(arm.ci_upper, 'numeric')})`);
    await ui.screenshot('experiment-results-snapshot');

    // Deleting asks first; the newer one goes, the open one stays.
    const deletes = history.getByRole('button', { name: /^Delete the snapshot of / });
    const newer = (await deletes.first().getAttribute('aria-label'))!.replace('Delete the snapshot of ', '');
    await deletes.first().click();
    const dialog = page.getByRole('dialog', { name: `Delete the snapshot of ${newer}?` });
    await dialog.getByRole('button', { name: 'Delete snapshot' }).click();
    await page.getByText(`The snapshot of ${newer} was deleted.`).waitFor();
    await expect.poll(async () => (await ui.api<{ items: Snapshot[] }>('GET', snapshots(made.trial))).items.map((s) => s.id)).toEqual([stored.items[1]!.id]);
    await expect.poll(() => deletes.count()).toBe(1);
    await page.getByRole('button', { name: 'Back to the live results' }).click();
    await page.getByRole('region', { name: 'Results' }).getByRole('combobox', { name: 'Compare each arm with' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('downloads the live results and a snapshot as CSV and JSON, equal to the API', async () => {
    const { page } = ui;
    const results = await openTrial(page);
    const save = async (scope: Locator, name: string) => {
      const download = page.waitForEvent('download');
      await scope.getByRole('button', { name }).click();
      const file = await download;
      return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
    };
    const csv = await save(results, 'Download CSV');
    expect(csv.name).toBe(`experiment_${made.trial}_results.csv`);
    expect(csv.text).toBe(await adminText(`${base(made.trial)}/results?format=csv`));
    expect(csv.text.split('\n')[0]!.startsWith('metric_name,arm_id,arm_name,is_baseline,estimate')).toBe(true);
    expect(csv.text.trimEnd().split('\n')).toHaveLength(1 + 2 * 3);
    await results.getByText(/^Saved the CSV file \(\d[\d,]* bytes\)/).waitFor();
    const json = await save(results, 'Download JSON');
    expect(json.name).toBe(`experiment_${made.trial}_results.json`);
    expect(withoutTime(JSON.parse(json.text) as FreqAnalysis)).toEqual(withoutTime(await ui.api<FreqAnalysis>('GET', `${base(made.trial)}/analyze`)));

    const { items } = await ui.api<{ items: Snapshot[] }>('GET', snapshots(made.trial));
    const snap = items.find((s) => s.status === 'success')!;
    await page.goto(`${pageOf(made.trial)}?snapshot=${snap.id}`);
    const old = page.getByRole('region', { name: 'Results from a snapshot' });
    await old.getByText(/^As of /).waitFor();
    const snapJson = await save(old, 'Download JSON');
    expect(snapJson.name).toBe(`experiment_${made.trial}_results_${snap.id}.json`);
    expect(JSON.parse(snapJson.text)).toEqual(snap.data);
    const snapCsv = await save(old, 'Download CSV');
    expect(snapCsv.name).toBe(`experiment_${made.trial}_results_${snap.id}.csv`);
    expect(snapCsv.text).toBe(await adminText(`${base(made.trial)}/results?format=csv&snapshot_id=${snap.id}`));
    expect(ui.problems).toEqual([]);
  });

  it('works by keyboard alone: baseline, adjustment, download, a snapshot opened and closed', async () => {
    const { page } = ui;
    const results = await openTrial(page);
    await tabTo(page, 'Compare each arm with');
    await page.keyboard.press('ArrowDown');
    await results.getByText(/^control: no clear difference in completed_course from reminder|^control: completed_course (higher|lower) than reminder/).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('baseline')).toBe((await ui.api<FreqAnalysis>('GET', `${base(made.trial)}/analyze`)).metric_analyses[0]!.arm_analyses[1]!.arm_id);

    await tabTo(page, page.getByRole('radio', { name: 'Covariates', exact: true }));
    for (const name of ['Strata', 'Both', 'Nothing']) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.getByRole('radio', { name, exact: true }).isChecked()).toBe(true);
    }
    // Adjusted for nothing: the adjusted columns go.
    await expect.poll(() => results.getByRole('columnheader', { name: /Adjusted for covariates/ }).count(), { timeout: 30_000 }).toBe(0);

    await tabTo(page, 'Download CSV');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await download;
    const text = fs.readFileSync(await file.path(), 'utf8');
    const baseline = new URL(page.url()).searchParams.get('baseline');
    expect(text).toBe(await adminText(`${base(made.trial)}/results?format=csv&baseline_arm_id=${baseline}&adjust=none`));

    await tabTo(page, 'Take a snapshot now');
    await page.keyboard.press('Enter');
    const history = page.getByRole('region', { name: 'Snapshot history' });
    await history.getByRole('button', { name: 'Open its results' }).waitFor({ timeout: 30_000 });
    await tabTo(page, 'Open its results');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Results from a snapshot');
    await page.getByRole('region', { name: 'Results from a snapshot' }).getByText(/^As of /).waitFor();
    await tabTo(page, 'Back to the live results');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Results');
    // The live view comes back with the choices made before (they live in the address).
    expect(await page.getByRole('radio', { name: 'Nothing', exact: true }).isChecked()).toBe(true);
    expect(ui.problems).toEqual([]);
  });

  it('explains a real sample-ratio mismatch in plain words, with what to check', async () => {
    const { page } = ui;
    const [control, reminder] = made.srmCounts;
    expect(control! / reminder!).toBeGreaterThan(1.6);
    await page.goto(pageOf(made.srm));
    const results = page.getByRole('region', { name: 'Results' });
    const alert = results.getByRole('alert').filter({ hasText: 'The arms are not the sizes you planned' });
    await alert.waitFor({ timeout: 30_000 });
    const api = await ui.api<FreqAnalysis>('GET', `${base(made.srm)}/analyze`);
    expect(api.sample_ratio_mismatch).toMatchObject({ observed: [control, reminder], mismatch: true });
    expect(api.warnings.map((w) => w.warning)).toEqual(['sample_ratio_mismatch']);
    await alert.getByText(`Arm sizes (control ${control}, reminder ${reminder} participants) differ from the 50/50 split you planned more than chance would explain (p < 0.001).`, { exact: false }).waitFor();
    await alert.getByText(/records the arm it gets/).waitFor();
    expect(await results.getByText(/^Arm sizes match/).count()).toBe(0);
    await ui.screenshot('experiment-results-srm');
    expect(ui.problems).toEqual([]);
  });
});
