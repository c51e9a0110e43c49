/**
 * A bandit's experiment page, in Chromium against `equipoise serve` on the embedded default, with bandits
 * made through the admin API on the "API only" datasource and fed through the PUBLIC API as a backend would:
 * participants drawn and outcomes favouring one arm posted in rounds while the page stays open, and the
 * page's posterior numbers (checked against `GET …/analyze`) and traffic chart moving without a reload; a
 * snapshot taken from the page; an older snapshot opened "as of" its time (its stored numbers, not the
 * live ones, kept across a reload, no live polling) and left by the keyboard; a contextual bandit's
 * prediction form (checked against `analyze_cmab`); and stop, resume, pausing the live view and choosing the
 * period length with the keyboard alone.
 */
import fs from 'node:fs';
import type { Request } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { cmabDesign, mabDesign } from '../bandits/support.ts';
import { isoDay } from './experiments-helpers.ts';
import { hasFocus, tabTo } from './keyboard.ts';
import { describeUi, useUi } from './support.ts';

interface Analysis {
  arm_analyses: { arm_id: string; arm_name: string; n_outcomes: number; n_draws: number; post_pred_mean: number; post_pred_ci_lower: number; post_pred_ci_upper: number }[];
}

interface StoredSnapshot {
  id: string;
  status: 'success' | 'running' | 'failed';
  data: Analysis | null;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const dates = () => ({ start_date: `${isoDay(-1)}T00:00:00Z`, end_date: `${isoDay(30)}T23:59:59Z` });

describeUi('bandit experiment page', () => {
  const ui = useUi();
  const ids = {} as { organizationId: string; ds: string; key: string };

  beforeAll(async () => {
    const orgs = await ui.api<{ items: { id: string }[] }>('GET', '/v1/m/organizations');
    ids.organizationId = orgs.items[0]!.id;
    const ds = await ui.api<{ items: { id: string; driver: string }[] }>('GET', `/v1/m/organizations/${ids.organizationId}/datasources`);
    ids.ds = ds.items.find((d) => d.driver === 'none')!.id;
    ids.key = (await ui.api<{ key: string }>('POST', `/v1/m/datasources/${ids.ds}/apikeys`, { name: 'bandit page test', rate_limit_per_second: 10_000 })).key;
  });

  const expPath = (id: string, suffix = '') => `/v1/m/datasources/${ids.ds}/experiments/${id}${suffix}`;
  const pageOf = (id: string) => ui.url(`/datasources/${ids.ds}/experiments/${id}`);
  async function create(design: Record<string, unknown>): Promise<{ id: string; arms: { arm_id: string; arm_name: string }[]; contexts: { context_id: string }[] }> {
    const made = await ui.api<{ experiment_id: string; design_spec: { arms: { arm_id: string; arm_name: string }[]; contexts: { context_id: string }[] | null } }>(
      'POST',
      `/v1/m/datasources/${ids.ds}/experiments`,
      { design_spec: { ...design, ...dates() } },
    );
    await ui.api('POST', expPath(made.experiment_id, '/commit'));
    return { id: made.experiment_id, arms: made.design_spec.arms, contexts: made.design_spec.contexts ?? [] };
  }
  /** The public API, with the datasource's key, as the organisation's backend calls it. */
  async function pub<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(ui.url(path), {
      method,
      headers: { 'X-API-Key': ids.key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  /** Draws `n` new participants and reports their outcomes: always a success on the favoured arm, one in three elsewhere. */
  async function round(id: string, from: number, n: number, favoured: string) {
    for (let i = from; i < from + n; i++) {
      const drawn = await pub<{ assignment: { arm_id: string } }>('GET', `/v1/experiments/${id}/assignments/u${i}`);
      await pub('POST', `/v1/experiments/${id}/assignments/u${i}/outcome`, { outcome: drawn.assignment.arm_id === favoured || i % 3 === 0 ? 1 : 0 });
    }
  }

  it('shows the posterior of the favoured arm moving and the traffic chart growing while outcomes arrive, without a reload', async () => {
    const { page } = ui;
    const { id, arms } = await create(
      mabDesign({
        experiment_name: 'Reminder channel bandit',
        arms: [
          { arm_name: 'letter', alpha_init: 1, beta_init: 1 },
          { arm_name: 'sms', alpha_init: 1, beta_init: 1 },
          { arm_name: 'call', alpha_init: 1, beta_init: 1 },
        ],
      }),
    );
    const sms = arms.find((a) => a.arm_name === 'sms')!.arm_id;
    await page.goto(pageOf(id));
    await page.getByRole('heading', { level: 1, name: 'Reminder channel bandit' }).waitFor();
    const posteriors = page.getByRole('region', { name: 'How the arms are doing' });
    await posteriors.getByText(/^No participant has been drawn yet/).waitFor();
    await page.getByRole('heading', { name: 'No traffic yet' }).waitFor();
    // The arms table shows each prior, and the design its bandit facts, in the words the wizard's review uses.
    const armsRegion = page.getByRole('region', { name: 'Arms and assignments' });
    const smsArm = armsRegion.getByRole('row', { name: /^sms/ });
    expect(await smsArm.getByText('Beta(α 1, β 1)', { exact: true }).count()).toBe(1);
    expect(await smsArm.getByText('No opinion yet: every success rate from 0% to 100% is equally likely.', { exact: true }).count()).toBe(1);
    expect(await armsRegion.getByText('control').count()).toBe(0);
    const design = page.getByRole('region', { name: 'Design' });
    await design.getByText('Yes or no: each outcome is a success (1) or a failure (0)').waitFor();
    await design.getByText('Participants who never report an outcome are left out of the learning.', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Integration guide' }).getByRole('heading', { name: 'Report outcome' }).waitFor();
    expect(await page.getByText('Balance check').count()).toBe(0);
    await ui.screenshot('bandit-page-before');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    const table = posteriors.getByRole('table', { name: 'The arms now' });
    const smsRow = table.getByRole('row', { name: /^sms/ });
    const cell = async (col: number) => (await smsRow.locator('td').nth(col).textContent())?.trim();
    // The chart's numbers table sits folded under "Show the numbers": hidden, but in the page.
    const trafficRows = page.getByRole('table', { name: 'Share of new participants by arm', includeHidden: true }).locator('tbody tr');
    let buckets = 0;
    let previousMean = 0.5;
    let previousOutcomes = 0;
    let drawn = 0;
    for (const n of [15, 15, 15]) {
      await round(id, drawn, n, sms);
      drawn += n;
      const analysis = await ui.api<Analysis>('GET', expPath(id, '/analyze'));
      const expected = analysis.arm_analyses.find((a) => a.arm_id === sms)!;
      // Participants, outcomes, observed mean, expected reward, credible interval — as the analysis says.
      await expect.poll(() => cell(1), { timeout: 15_000 }).toBe(String(expected.n_outcomes));
      await expect.poll(() => cell(3), { timeout: 15_000 }).toBe(pct(expected.post_pred_mean));
      expect(await cell(0)).toBe(String(expected.n_draws));
      expect(await cell(4)).toBe(`${pct(expected.post_pred_ci_lower)} to ${pct(expected.post_pred_ci_upper)}`);
      // Every outcome of the favoured arm is a success, so its expected success rate rises with each round it was drawn in.
      if (expected.n_outcomes > previousOutcomes) expect(expected.post_pred_mean).toBeGreaterThan(previousMean);
      previousMean = expected.post_pred_mean;
      previousOutcomes = expected.n_outcomes;
      await expect.poll(() => trafficRows.count(), { timeout: 15_000 }).toBeGreaterThan(buckets);
      buckets = await trafficRows.count();
      // Rounds a few seconds apart land in later one-second periods.
      await page.waitForTimeout(2_000);
    }
    await smsRow.getByText('leading').waitFor();
    await posteriors.getByText(/^sms currently looks best: there is a ([<>] )?\d+% chance it has the highest success rate\.$/).waitFor();
    await posteriors.getByText(/^Based on 45 outcomes from 45 participants\.$/).waitFor();
    // The arms table elsewhere on the page followed the draws.
    await expect.poll(() => armsRegion.getByRole('row', { name: /^Total/ }).locator('td').nth(2).textContent()).toBe('45');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await page.getByText(/^Live · updated \d\d:\d\d:\d\d/).waitFor();

    // A snapshot taken from the page lands in the list with the numbers of the moment.
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    await snapshots.getByRole('heading', { name: 'No snapshots yet' }).waitFor();
    await snapshots.getByRole('button', { name: 'Take a snapshot now' }).click();
    const done = snapshots.getByRole('table', { name: /^Snapshots, newest first/ }).getByRole('row').filter({ hasText: 'Done' });
    await done.waitFor({ timeout: 20_000 });
    const final = (await ui.api<Analysis>('GET', expPath(id, '/analyze'))).arm_analyses.find((a) => a.arm_id === sms)!;
    const smsCell = done.locator('td').filter({ hasText: pct(final.post_pred_mean) }).filter({ hasText: `${pct(final.post_pred_ci_lower)} to ${pct(final.post_pred_ci_upper)}` });
    expect(await smsCell.count()).toBe(1);
    // The section followed the snapshot it asked for until it could be opened.
    await snapshots.getByText(/^Snapshot taken at /).waitFor();
    await snapshots.getByRole('button', { name: 'Open its numbers' }).waitFor();

    // The results as a file: the same CSV the admin route answers (no outcome arrives in between).
    const download = page.waitForEvent('download');
    await page.getByRole('region', { name: 'How the arms are doing' }).getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`experiment_${id}_results.csv`);
    const csv = fs.readFileSync((await file.path())!, 'utf8');
    const expected = await (await fetch(ui.url(`${expPath(id, '/results')}?format=csv`), { headers: { Authorization: `Bearer ${ui.server.token}` } })).text();
    expect(csv).toBe(expected);
    expect(csv.split('\n')).toHaveLength(1 + 3 + (csv.endsWith('\n') ? 1 : 0));
    await ui.screenshot('bandit-page-after');

    // The snapshot's own CSV is the stored one; then it is deleted after a confirmation.
    const snapshotRow = await ui.api<{ items: { id: string; created_at: string }[] }>('GET', `/v1/m/organizations/${ids.organizationId}/datasources/${ids.ds}/experiments/${id}/snapshots`);
    const snapId = snapshotRow.items[0]!.id;
    const snapDownload = page.waitForEvent('download');
    await snapshots.getByRole('button', { name: /^Download the snapshot of .* as CSV$/ }).click();
    const snapFile = await snapDownload;
    expect(snapFile.suggestedFilename()).toBe(`experiment_${id}_results_${snapId}.csv`);
    const snapExpected = await (await fetch(ui.url(`${expPath(id, '/results')}?format=csv&snapshot_id=${snapId}`), { headers: { Authorization: `Bearer ${ui.server.token}` } })).text();
    expect(fs.readFileSync((await snapFile.path())!, 'utf8')).toBe(snapExpected);
    await snapshots.getByRole('button', { name: /^Delete the snapshot of / }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete the snapshot of / });
    await confirm.getByRole('button', { name: 'Delete snapshot' }).click();
    await snapshots.getByRole('heading', { name: 'No snapshots yet' }).waitFor();
    expect((await ui.api<{ items: unknown[] }>('GET', `/v1/m/organizations/${ids.organizationId}/datasources/${ids.ds}/experiments/${id}/snapshots`)).items).toEqual([]);
    expect(ui.problems).toEqual([]);
  });

  it('opens an older snapshot as of its time, keeps it across a reload and Back, and returns to the live numbers by keyboard', async () => {
    const { page } = ui;
    const { id, arms } = await create(
      mabDesign({
        experiment_name: 'Snapshot bandit',
        arms: [
          { arm_name: 'letter', alpha_init: 1, beta_init: 1 },
          { arm_name: 'sms', alpha_init: 1, beta_init: 1 },
          { arm_name: 'call', alpha_init: 1, beta_init: 1 },
        ],
      }),
    );
    const sms = arms.find((a) => a.arm_name === 'sms')!.arm_id;
    const snapshotsPath = `/v1/m/organizations/${ids.organizationId}/datasources/${ids.ds}/experiments/${id}/snapshots`;
    async function takeSnapshot(): Promise<StoredSnapshot> {
      const { id: snapId } = await ui.api<{ id: string }>('POST', snapshotsPath);
      const read = async () => (await ui.api<{ snapshot: StoredSnapshot }>('GET', `${snapshotsPath}/${snapId}`)).snapshot;
      await expect.poll(async () => (await read()).status, { timeout: 30_000 }).toBe('success');
      return read();
    }
    await round(id, 0, 12, sms);
    const first = await takeSnapshot();
    // Snapshot times are named to the second: keep the two apart.
    await page.waitForTimeout(1_100);
    await round(id, 12, 18, sms);
    await takeSnapshot();
    const live = (await ui.api<Analysis>('GET', expPath(id, '/analyze'))).arm_analyses;
    const stored = first.data!.arm_analyses;
    expect(stored.find((a) => a.arm_id === sms)!.n_outcomes).toBeLessThan(live.find((a) => a.arm_id === sms)!.n_outcomes);

    await page.goto(pageOf(id));
    await page.getByRole('table', { name: 'The arms now' }).waitFor();
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    const opens = snapshots.getByRole('button', { name: /^Open the snapshot of / });
    await expect.poll(() => opens.count()).toBe(2);
    // Newest first: the older one is the second.
    const when = (await opens.nth(1).getAttribute('aria-label'))!.replace('Open the snapshot of ', '');
    await opens.nth(1).click();
    const region = page.getByRole('region', { name: 'How the arms were doing' });
    await region.getByText(`As of ${when}`, { exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('How the arms were doing');
    expect(new URL(page.url()).searchParams.get('snapshot')).toBe(first.id);

    /** Each arm's participants, outcomes, expected success rate and interval, as the open snapshot shows them. */
    const shownArms = async () => {
      const table = region.getByRole('table', { name: `The arms as of ${when}` });
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Arm', 'Participants', 'Outcomes', 'Expected success rate', '95% credible interval']);
      return Promise.all(stored.map(async (a) => (await table.getByRole('row', { name: new RegExp(`^${a.arm_name}\\b`) }).locator('td').allTextContents()).join(' | ')));
    };
    const expected = stored.map((a) => [String(a.n_draws), String(a.n_outcomes), pct(a.post_pred_mean), `${pct(a.post_pred_ci_lower)} to ${pct(a.post_pred_ci_upper)}`].join(' | '));
    expect(await shownArms()).toEqual(expected);
    const liveCells = live.map((a) => [String(a.n_draws), String(a.n_outcomes), pct(a.post_pred_mean), `${pct(a.post_pred_ci_lower)} to ${pct(a.post_pred_ci_upper)}`].join(' | '));
    expect(expected).not.toEqual(liveCells);
    expect(await region.getByRole('button', { name: /live updates$/ }).count()).toBe(0);
    expect(await snapshots.locator('tr[aria-current="true"] th').allTextContents()).toEqual([when]);

    // Nothing polls the live numbers while the snapshot is open.
    let polls = 0;
    const countPoll = (r: Request) => void (r.url().includes('/bandit_history') && polls++);
    page.on('request', countPoll);
    await page.waitForTimeout(4_000);
    page.off('request', countPoll);
    expect(polls).toBe(0);

    // The download is the snapshot's stored file.
    const download = page.waitForEvent('download');
    await region.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`experiment_${id}_results_${first.id}.csv`);
    const snapCsv = await (await fetch(ui.url(`${expPath(id, '/results')}?format=csv&snapshot_id=${first.id}`), { headers: { Authorization: `Bearer ${ui.server.token}` } })).text();
    expect(fs.readFileSync((await file.path())!, 'utf8')).toBe(snapCsv);

    // A reload keeps the snapshot; the browser's Back returns to the live numbers, Forward to the snapshot.
    await page.reload();
    await region.getByText(`As of ${when}`, { exact: true }).waitFor();
    expect(await shownArms()).toEqual(expected);
    await ui.screenshot('bandit-page-snapshot');
    await page.goBack();
    await page.getByRole('region', { name: 'How the arms are doing' }).getByRole('table', { name: 'The arms now' }).waitFor();
    await page.goForward();
    await region.getByText(`As of ${when}`, { exact: true }).waitFor();

    await tabTo(page, 'Back to the live numbers');
    await page.keyboard.press('Enter');
    const posteriors = page.getByRole('region', { name: 'How the arms are doing' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('How the arms are doing');
    expect(new URL(page.url()).searchParams.get('snapshot')).toBeNull();
    const smsLive = live.find((a) => a.arm_id === sms)!;
    await expect.poll(async () => (await posteriors.getByRole('table', { name: 'The arms now' }).getByRole('row', { name: /^sms/ }).locator('td').nth(1).textContent())?.trim()).toBe(
      String(smsLive.n_outcomes),
    );
    await posteriors.getByRole('button', { name: 'Pause live updates' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('predicts a contextual bandit’s arms for typed context values, with problems next to the field', async () => {
    const { page } = ui;
    const { id, contexts } = await create(cmabDesign({ experiment_name: 'Contextual course offer', reward_type: 'binary' }));
    const [returning, age] = contexts.map((c) => c.context_id) as [string, string];
    for (const [pid, r, a, y] of [['c1', 1, 2, 1], ['c2', 1, 0.5, 0], ['c3', 0, 1, 1], ['c4', 0, 3, 0]] as const) {
      await pub('POST', `/v1/experiments/${id}/assignments/${pid}/assign_cmab`, { context_inputs: [{ context_id: returning, context_value: r }, { context_id: age, context_value: a }] });
      await pub('POST', `/v1/experiments/${id}/assignments/${pid}/outcome`, { outcome: y });
    }
    await page.goto(pageOf(id));
    const region = page.getByRole('region', { name: 'Predictions for a participant' });
    await region.waitFor();
    // Returning: 2 of 4, rounded to 1; age: (2 + 0.5 + 1 + 3) / 4. Named in the design's order.
    await page.getByRole('region', { name: 'How the arms are doing' }).getByText(/Evaluated for the average participant so far \(returning = 1, age = 1\.625\)/).waitFor();
    const form = region.getByRole('form', { name: 'Context values' });
    await form.getByRole('combobox', { name: 'returning' }).selectOption('1');
    await form.getByRole('textbox', { name: 'age' }).fill('three');
    await form.getByRole('button', { name: 'Show predictions' }).click();
    await form.getByRole('alert').filter({ hasText: 'Enter a number for age.' }).waitFor();
    await form.getByRole('textbox', { name: 'age' }).fill('3');
    await form.getByRole('button', { name: 'Show predictions' }).click();
    const table = region.getByRole('table', { name: 'Predictions for returning = yes, age = 3' });
    await table.waitFor();
    const expected = await ui.api<Analysis>('POST', expPath(id, '/analyze_cmab'), {
      context_inputs: [{ context_id: returning, context_value: 1 }, { context_id: age, context_value: 3 }],
    });
    for (const arm of expected.arm_analyses) {
      const row = table.getByRole('row', { name: new RegExp(`^${arm.arm_name}\\b`) });
      expect(await row.locator('td').nth(0).textContent()).toBe(pct(arm.post_pred_mean));
      expect(await row.locator('td').nth(1).textContent()).toBe(`${pct(arm.post_pred_ci_lower)} to ${pct(arm.post_pred_ci_upper)}`);
    }
    await region.getByText(/^For a participant with returning = yes, age = 3, \w+ looks best: expected success rate/).waitFor();
    // The guide shows the contextual calls with this bandit's context ids.
    const guide = page.getByRole('region', { name: 'Integration guide' });
    expect(await guide.getByLabel('curl command: Get assignment (with context)', { exact: true }).textContent()).toContain(`"context_id":"${returning}"`);
    await ui.screenshot('bandit-page-cmab');
    expect(ui.problems).toEqual([]);
  });

  it('stops and resumes a bandit, pauses the live view and changes the period length with the keyboard alone', async () => {
    const { page } = ui;
    const { id, arms } = await create(mabDesign({ experiment_name: 'Keyboard bandit' }));
    await round(id, 0, 6, arms[0]!.arm_id);
    await page.goto(pageOf(id));
    await page.getByRole('heading', { level: 1, name: 'Keyboard bandit' }).waitFor();
    await page.getByRole('table', { name: 'The arms now' }).waitFor();

    await tabTo(page, 'Stop assignments');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Stop new assignments?' });
    await dialog.getByText(/still update the posteriors/).waitFor();
    await tabTo(page, dialog.getByRole('button', { name: 'Stop assignments' }));
    await page.keyboard.press('Enter');
    await page.getByText('Assignments stopped. Existing assignments are still returned.').waitFor();
    expect((await ui.api<{ config: { stopped_assignments_reason: string | null } }>('GET', expPath(id))).config.stopped_assignments_reason).toBe('manual');
    await tabTo(page, 'Resume assignments', { max: 120 });
    await page.keyboard.press('Enter');
    const resume = page.getByRole('dialog', { name: 'Resume assignments?' });
    await tabTo(page, resume.getByRole('button', { name: 'Resume assignments' }));
    await page.keyboard.press('Enter');
    await page.getByText('Assignments resumed.').waitFor();
    expect((await ui.api<{ config: { stopped_assignments_reason: string | null } }>('GET', expPath(id))).config.stopped_assignments_reason).toBeNull();

    const pause = page.getByRole('button', { name: 'Pause live updates' });
    await tabTo(page, pause, { max: 120 });
    await page.keyboard.press('Enter');
    const resumeLive = page.getByRole('button', { name: 'Resume live updates' });
    expect(await resumeLive.getAttribute('aria-pressed')).toBe('true');
    expect(await hasFocus(resumeLive)).toBe(true);
    await page.getByText(/^Paused · updated/).waitFor();

    await tabTo(page, 'Period length', { role: 'select' });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByRole('combobox', { name: 'Period length' }).inputValue()).toBe('minute');
    await page.getByText(/^\d periods? of 1 minute, 6 participants drawn and 6 outcomes reported\.$/).waitFor();
    const numbers = page.getByRole('figure', { name: 'Share of new participants by arm' }).getByText('Show the numbers');
    await tabTo(page, numbers);
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Share of new participants by arm' }).waitFor({ state: 'visible' });

    await tabTo(page, 'Take a snapshot now');
    await page.keyboard.press('Enter');
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    await snapshots.getByRole('button', { name: 'Open its numbers' }).waitFor({ timeout: 30_000 });
    await tabTo(page, 'Open its numbers');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'How the arms were doing' }).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('snapshot')).toMatch(/.+/);
    expect(ui.problems).toEqual([]);
  });
});
