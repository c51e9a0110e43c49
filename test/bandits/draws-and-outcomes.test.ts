/**
 * Bandit draws and outcomes through the public API, on both app databases: MAB draws with their exact
 * propensities, repeat requests, stops and dates, Cache-Control after an outcome, contextual draws with their
 * validation, every bad outcome answered with the reference's 422, MAB-DWH target types, exports, deleting
 * data, sample calls.
 */
import { expect, it } from 'vitest';
import { scoreDistributions } from '../../src/stats/bandits/score-distribution.ts';
import { exactSelectionProbability } from '../../src/stats/bandits/selection-probability.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { NOW, type RuntimeHarness } from '../runtime/support.ts';
import { banditPath, cmabDesign, createBandit, dwhDesign, json, mabDesign, useBanditRuntime } from './support.ts';

describeEachDatabase('bandit draws and outcomes', (kind) => {
  let h: RuntimeHarness;
  let key: string;
  useBanditRuntime(kind, (started) => ({ h, key } = started));

  const get = (id: string, pid: string, query = '', k = key) => h.pub(`/v1/experiments/${id}/assignments/${pid}${query}`, { key: k });
  const outcome = (id: string, pid: string, value: unknown, k = key) => h.pub(`/v1/experiments/${id}/assignments/${pid}/outcome`, { key: k, ...json({ outcome: value }) });
  const cmab = (id: string, pid: string, body: unknown, query = '') => h.pub(`/v1/experiments/${id}/assignments/${pid}/assign_cmab${query}`, { key, ...json(body) });
  const detail = async (res: Response) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    return body.detail as { loc: (string | number)[]; msg: string; type: string }[];
  };

  it('draws an arm with its exact propensity, returns the same draw on repeat, and creates nothing when asked not to', async () => {
    const { id, armIds } = await createBandit(h, mabDesign({ arms: [{ arm_name: 'a', alpha_init: 3, beta_init: 1 }, { arm_name: 'b', alpha_init: 1, beta_init: 2 }] }));
    const first = await get(id, 'p1');
    expect(first.headers.get('Cache-Control')).toBeNull();
    const body = await first.json();
    expect(body).toMatchObject({ experiment_id: id, participant_id: 'p1' });
    const a = body.assignment;
    expect(a).toMatchObject({ participant_id: 'p1', strata: [], observed_at: null, outcome: null, autofailed_outcome: null, context_values: null });
    expect(armIds).toContain(a.arm_id);
    // Thompson sampling sees the arms sorted by id.
    const sorted = [...armIds].sort();
    const priors = { [armIds[0] as string]: { kind: 'beta' as const, alpha: 3, beta: 1 }, [armIds[1] as string]: { kind: 'beta' as const, alpha: 1, beta: 2 } };
    const exact = exactSelectionProbability(scoreDistributions(sorted.map((arm) => priors[arm] as { kind: 'beta'; alpha: number; beta: number })), sorted.indexOf(a.arm_id));
    expect(a.propensity).toBeCloseTo(exact.probability, 12);
    expect(a.propensity).toBeCloseTo(a.arm_id === armIds[0] ? 0.9 : 0.1, 12); // P(Beta(3,1) > Beta(1,2)) = 0.9
    expect((await (await get(id, 'p1')).json()).assignment).toEqual(a);
    expect(await (await get(id, 'nobody', '?create_if_none=false')).json()).toEqual({ experiment_id: id, participant_id: 'nobody', assignment: null });
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => get(id, 'race').then((r) => r.json())));
    expect(new Set(concurrent.map((c) => JSON.stringify(c.assignment))).size).toBe(1);
    const config = await (await h.pub(`/v1/experiments/${id}`, { key })).json();
    expect(config.assign_summary.sample_size).toBe(2);
  });

  it('uses top-two sampling from five arms and records its exact propensity', async () => {
    const arms = Array.from({ length: 5 }, (_, i) => ({ arm_name: `arm${i}`, alpha_init: 1, beta_init: 1 }));
    const { id } = await createBandit(h, mabDesign({ arms }));
    const a = (await (await get(id, 'p1')).json()).assignment;
    expect(a.propensity).toBeCloseTo(0.2, 12);
  });

  it('records an outcome, updates and returns the arm, and refuses a second one', async () => {
    const { id } = await createBandit(h, mabDesign());
    const drawn = (await (await get(id, 'p1')).json()).assignment;
    const res = await outcome(id, 'p1', 1);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ arm_id: drawn.arm_id, arm_weight: null, alpha_init: 1, beta_init: 1, alpha: 2, beta: 1, mu: null, covariance: null, n_outcomes: 1 });
    const after = await get(id, 'p1', '?max_age=60');
    expect(after.headers.get('Cache-Control')).toBe('private, max-age=60');
    const a = (await after.json()).assignment;
    expect(a).toMatchObject({ outcome: 1, autofailed_outcome: false, observed_at: NOW.toISOString() });
    expect(await detail(await outcome(id, 'p1', 0))).toEqual([{ loc: [0], msg: 'Participant p1 already has an outcome recorded.', type: 'assignment' }]);
    expect(await detail(await outcome(id, 'ghost', 1))).toEqual([{ loc: [0], msg: 'Participant ghost does not have an assignment for which to record an outcome.', type: 'assignment' }]);

    // The next draw's propensity comes from the updated posteriors.
    const next = (await (await get(id, 'p2')).json()).assignment;
    const arms = (await (await h.pub(`/v1/experiments/${id}`, { key })).json()).design_spec.arms as { arm_id: string; alpha: number; beta: number }[];
    const sorted = [...arms].sort((x, y) => (x.arm_id < y.arm_id ? -1 : 1));
    const p = exactSelectionProbability(scoreDistributions(sorted.map((x) => ({ kind: 'beta', alpha: x.alpha, beta: x.beta }))), sorted.findIndex((x) => x.arm_id === next.arm_id));
    expect(next.propensity).toBeCloseTo(p.probability, 12);
  });

  it('answers bad outcomes with the reference 422s: wrong type, non-numeric, frequentist experiment', async () => {
    const { id } = await createBandit(h, mabDesign());
    await get(id, 'p1');
    expect(await detail(await outcome(id, 'p1', 0.5))).toEqual([{ loc: ['body', 'outcome'], msg: 'Invalid outcome for binary reward type: 0.5. Must be 0 or 1.', type: 'late' }]);
    expect((await detail(await outcome(id, 'p1', 2)))[0]?.msg).toBe('Invalid outcome for binary reward type: 2.0. Must be 0 or 1.');
    expect((await detail(await outcome(id, 'p1', 'yes')))[0]?.loc).toEqual(['body', 'outcome']);
    expect((await detail(await h.pub(`/v1/experiments/${id}/assignments/p1/outcome`, { key, ...json({ outcome: 1, extra: true }) })))[0]?.type).toBe('extra_forbidden');
    // A missing draw is reported before a bad value, as in the reference.
    expect((await detail(await outcome(id, 'ghost', 7)))[0]?.msg).toBe('Participant ghost does not have an assignment for which to record an outcome.');

    const freq = await h.createOnline();
    await h.pub(`/v1/experiments/${freq.id}/assignments/f1`);
    expect(await detail(await h.pub(`/v1/experiments/${freq.id}/assignments/f1/outcome`, json({ outcome: 1 })))).toEqual([
      { loc: [0], msg: 'Cannot dynamically update arms for frequentist experiments.', type: 'late' },
    ]);
    // A key of another datasource learns nothing about the experiment.
    expect((await h.pub(`/v1/experiments/${id}/assignments/p1/outcome`, json({ outcome: 1 }))).status).toBe(404);
    // Outcomes need the `assign` scope; a revoked key stops at once, though this process cached it.
    const ds = h.server.apiOnlyDatasourceId;
    const readOnly = await (await h.server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({ scopes: ['read'] }) })).json();
    const denied = await outcome(id, 'p1', 1, readOnly.key);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: "X-API-Key does not have the 'assign' scope." });
    const doomed = await (await h.server.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST', body: JSON.stringify({}) })).json();
    await get(id, 'p9', '', doomed.key);
    expect((await h.server.admin(`/v1/m/datasources/${ds}/apikeys/${doomed.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await outcome(id, 'p9', 1, doomed.key)).status).toBe(404);
    expect((await (await get(id, 'p9', '', key)).json()).assignment.outcome).toBeNull();
    const real = await createBandit(h, mabDesign({ prior_type: 'normal', reward_type: 'real-valued', arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }));
    await get(real.id, 'r1');
    const updated = await (await outcome(real.id, 'r1', 2.5)).json();
    expect(updated).toMatchObject({ alpha: null, beta: null, n_outcomes: 1 });
    // N(0, 1) prior, one outcome 2.5 with noise variance 1: mean 1.25, variance 0.5.
    expect(updated.mu[0]).toBeCloseTo(1.25, 14);
    expect(updated.covariance[0][0]).toBeCloseTo(0.5, 14);
  });

  it('refuses new draws on drafts, stops after end_date, waits for start_date, and keeps taking outcomes after the end', async () => {
    const draft = await createBandit(h, mabDesign(), { commit: false });
    expect(await detail(await get(draft.id, 'p1'))).toEqual([{ loc: [0], msg: 'Invalid experiment state: assigned', type: 'assignment' }]);
    const early = await createBandit(h, mabDesign({ start_date: '2026-07-01T00:00:00Z' }));
    expect((await (await get(early.id, 'p1')).json()).reason.code).toBe('before_start_date');
    const ending = await createBandit(h, mabDesign({ end_date: '2026-06-02T00:00:00Z' }));
    await get(ending.id, 'kept');
    h.clock.set(new Date('2026-06-03T00:00:00Z'));
    try {
      const late = await (await get(ending.id, 'late')).json();
      expect(late.assignment).toBeNull();
      expect(late.reason.message).toContain('end_date');
      expect((await (await h.pub(`/v1/experiments/${ending.id}`, { key })).json()).stopped_assignments_reason).toBe('end_date');
      expect((await outcome(ending.id, 'kept', 0)).status).toBe(200);
    } finally {
      h.clock.set(NOW);
    }
  });

  it('draws contextual bandits only through assign_cmab, with one validated value per context in id order', async () => {
    const { id, config } = await createBandit(h, cmabDesign());
    const [returning, age] = config.design_spec.contexts as { context_id: string }[];
    const ids = [returning?.context_id as string, age?.context_id as string];
    expect(await detail(await get(id, 'c1'))).toEqual([
      { loc: [0], msg: 'New arm assignments for cmab_online cannot be created at this endpoint, please use the corresponding POST endpoint instead.', type: 'late' },
    ]);
    expect(await detail(await cmab(id, 'c1', { context_inputs: null }))).toEqual([
      { loc: ['body', 'context_inputs'], msg: 'Context values are required for contextual multi-armed bandit experiments', type: 'late' },
    ]);
    expect((await detail(await cmab(id, 'c1', { context_inputs: [{ context_id: ids[0], context_value: 1 }] })))[0]?.msg).toBe(
      'Expected 2 context inputs, but got 1 in CreateCMABAssignmentRequest.',
    );
    const unknown = await detail(await cmab(id, 'c1', { context_inputs: [{ context_id: ids[0], context_value: 1 }, { context_id: 'ctx_nope', context_value: 1 }] }));
    // Inputs and contexts are compared in id order; the first mismatch is reported.
    expect(unknown[0]?.msg).toMatch(/^Context input for id ctx_\w+ does not match expected context id ctx_\w+$/);
    expect(await detail(await cmab(id, 'c1', { context_inputs: [{ context_id: ids[1], context_value: 33 }, { context_id: ids[0], context_value: 0.5 }] }))).toEqual([
      { loc: ['body', 'context_inputs', 1, 'context_value'], msg: `Context value for id ${ids[0]} must be binary (0 or 1).`, type: 'late' },
    ]);
    const made = await (await cmab(id, 'c1', { type: 'cmab_assignment', context_inputs: [{ context_id: ids[1], context_value: 33 }, { context_id: ids[0], context_value: 1 }] }, '?random_state=7')).json();
    const byId = Object.fromEntries([[ids[0], 1], [ids[1], 33]]);
    expect(made.assignment.context_values).toEqual([...ids].sort().map((c) => byId[c]));
    // Equal N(0, I) priors: each arm is drawn with probability one half whatever the context.
    expect(made.assignment.propensity).toBeCloseTo(0.5, 12);
    expect((await (await cmab(id, 'c1', { context_inputs: null })).json()).assignment).toEqual(made.assignment);
    expect((await (await get(id, 'c1')).json()).assignment).toEqual(made.assignment);
    // Glific-style: the body is wrapped, and sent without a Content-Type.
    const wrapped = await h.pub(`/v1/experiments/${id}/assignments/c2/assign_cmab?_unwrap=/variables~1custom/controllable_field`, {
      key,
      method: 'POST',
      body: JSON.stringify({ 'variables/custom': { controllable_field: { context_inputs: [{ context_id: ids[0], context_value: 0 }, { context_id: ids[1], context_value: 1.5 }] } } }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(wrapped.status).toBe(200);
    const bare = await h.pub(`/v1/experiments/${id}/assignments/c3/assign_cmab`, {
      key,
      method: 'POST',
      body: new Blob([JSON.stringify({ context_inputs: [{ context_id: ids[0], context_value: 0 }, { context_id: ids[1], context_value: 2 }] })]),
    });
    expect(bare.status).toBe(200);
    const res = await outcome(id, 'c1', 4);
    expect((await res.json()).n_outcomes).toBe(1);

    const mab = await createBandit(h, mabDesign());
    expect((await detail(await cmab(mab.id, 'x', { context_inputs: null })))[0]?.msg).toBe(
      `Experiment ${mab.id} is a mab_online experiment, and not a cmab_online experiment. Please use the corresponding GET endpoint to create assignments.`,
    );
    expect((await detail(await h.pub(`/v1/experiments/${mab.id}/assignments/x/assign_with_filters`, { key, ...json({ properties: [] }) })))[0]?.msg).toBe(
      `Experiment ${mab.id} is a mab_online experiment, and not a freq_online experiment.`,
    );
  });

  it('type-checks MAB-DWH outcomes against the target column', async () => {
    // The harness's own key belongs to the demo datasource, where MAB-DWH experiments live.
    const bool = await createBandit(h, dwhDesign());
    await h.pub(`/v1/experiments/${bool.id}/assignments/d1`);
    expect((await detail(await h.pub(`/v1/experiments/${bool.id}/assignments/d1/outcome`, json({ outcome: 2 }))))[0]?.msg).toBe(
      'Invalid outcome for binary reward type: 2.0. Must be 0 or 1.',
    );
    expect((await h.pub(`/v1/experiments/${bool.id}/assignments/d1/outcome`, json({ outcome: 0 }))).status).toBe(200);
    const numeric = await createBandit(
      h,
      dwhDesign({ target_field_name: 'weekly_minutes', prior_type: 'normal', reward_type: 'real-valued', arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 10 }, { arm_name: 'b', mu_init: 0, sigma_init: 10 }] }),
    );
    await h.pub(`/v1/experiments/${numeric.id}/assignments/d1`);
    const res = await h.pub(`/v1/experiments/${numeric.id}/assignments/d1/outcome`, json({ outcome: 42.7 }));
    expect(res.status).toBe(200);
  });

  it('exports outcome, observed time, context values and propensity as JSON and CSV', async () => {
    const { id, config } = await createBandit(h, cmabDesign({ arms: [{ arm_name: 'x,y', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }));
    const ids = (config.design_spec.contexts ?? []).map((c) => c.context_id);
    for (const [pid, v] of [['e1', 0.25], ['e2', 3]] as const) {
      await cmab(id, pid, { context_inputs: [{ context_id: ids[0], context_value: 1 }, { context_id: ids[1], context_value: v }] });
    }
    await outcome(id, 'e1', -1.5);
    const exported = await (await h.pub(`/v1/experiments/${id}/assignments`, { key })).json();
    expect(exported).toMatchObject({ balance_check: null, experiment_id: id, sample_size: 2 });
    const [e1, e2] = exported.assignments;
    const one = (await (await get(id, 'e1')).json()).assignment;
    expect(e1).toEqual({ ...one, strata: null });
    expect(e2).toMatchObject({ participant_id: 'e2', outcome: null, observed_at: null, autofailed_outcome: null });
    const csv = (await (await h.pub(`/v1/experiments/${id}/assignments/csv`, { key })).text()).split('\n');
    expect(csv[0]).toBe('participant_id,arm_id,arm_name,created_at,outcome,context_vals,observed_at,propensity,autofailed_outcome');
    const ctx = (v: number) => `"{${[...ids].sort().map((c) => (c === ids[0] ? 1 : v)).join(',')}}"`;
    const name = (arm: string) => (arm === config.design_spec.arms[0]?.arm_id ? '"x,y"' : 'b');
    expect(csv[1]).toBe(`e1,${e1.arm_id},${name(e1.arm_id)},2026-06-01T12:00:00Z,-1.5,${ctx(0.25)},2026-06-01T12:00:00Z,${e1.propensity},false`);
    expect(csv[2]).toBe(`e2,${e2.arm_id},${name(e2.arm_id)},2026-06-01T12:00:00Z,,${ctx(3)},,${e2.propensity},`);
    expect(csv[3]).toBe('');

    const mab = await createBandit(h, mabDesign());
    await get(mab.id, 'm1');
    const mabCsv = (await (await h.server.admin(banditPath(h, mab.id, '/assignments/csv'))).text()).split('\n');
    expect(mabCsv[0]).toBe('participant_id,arm_id,arm_name,created_at,outcome,observed_at,propensity,autofailed_outcome');
    expect(mabCsv[1]).toMatch(/^m1,arm_\w+,[ab],2026-06-01T12:00:00Z,,,[\d.]+,$/);
    expect(Number(mabCsv[1]?.split(',')[6])).toBeCloseTo(0.5, 12);
  });

  it('deleting the data removes the draws and puts every posterior back to its prior', async () => {
    const { id } = await createBandit(h, mabDesign({ prior_type: 'normal', reward_type: 'binary', arms: [{ arm_name: 'a', mu_init: 0.3, sigma_init: 2 }, { arm_name: 'b', mu_init: 0.3, sigma_init: 2 }] }));
    for (const p of ['d1', 'd2', 'd3']) {
      await get(id, p);
      expect((await outcome(id, p, 1)).status).toBe(200);
    }
    const before = await (await h.pub(`/v1/experiments/${id}`, { key })).json();
    expect(before.design_spec.arms.reduce((n: number, a: { n_outcomes: number }) => n + a.n_outcomes, 0)).toBe(3);
    const del = await h.server.admin(banditPath(h, id, '/data'), { method: 'DELETE', body: JSON.stringify({ assignments: true }) });
    expect(del.status).toBe(204);
    const after = await (await h.pub(`/v1/experiments/${id}`, { key })).json();
    for (const arm of after.design_spec.arms) expect(arm).toMatchObject({ mu: [0.3], covariance: [[4]], n_outcomes: 0 });
    expect(after.assign_summary.sample_size).toBe(0);
    expect((await h.pub(`/v1/experiments/${id}/assignments`, { key }).then((r) => r.json())).sample_size).toBe(0);
  });

  it('offers "Report outcome" in the sample calls of a MAB, and none for a CMAB', async () => {
    const binary = await createBandit(h, mabDesign());
    const calls = (await (await h.server.admin(banditPath(h, binary.id, '/sample-calls'))).json()).calls;
    expect(calls.map((c: { label: string }) => c.label)).toEqual(['Get assignment', 'Report outcome']);
    expect(calls[1]).toMatchObject({ method: 'POST', path: `/v1/experiments/${binary.id}/assignments/<participant-id>/outcome`, body: { outcome: 1 } });
    const real = await createBandit(h, mabDesign({ prior_type: 'normal', reward_type: 'real-valued', arms: [{ arm_name: 'a', mu_init: 0, sigma_init: 1 }, { arm_name: 'b', mu_init: 0, sigma_init: 1 }] }));
    expect((await (await h.server.admin(banditPath(h, real.id, '/sample-calls'))).json()).calls[1].body).toEqual({ outcome: 1.5 });
    const ctx = await createBandit(h, cmabDesign());
    expect(await (await h.server.admin(banditPath(h, ctx.id, '/sample-calls'))).json()).toBeNull();
  });
});
