/**
 * The read-only views the wizard's review and the experiment page share, for an A/B test and for a bandit:
 * one arms table (a control and weights for the one; priors, chances of being best and no control for the
 * other) and one set of design facts.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from './api-types.ts';
import { ArmsTable, DesignFacts } from './ExperimentSummary.tsx';

const registry = { experiment_name: 'Reminder wording', description: '', design_url: null, start_date: '2026-12-01T00:00:00Z', end_date: '2026-12-30T23:59:59Z' };

function configOf(design_spec: Record<string, unknown>, sizes: readonly [string, number][]): ExperimentConfig {
  return {
    experiment_id: 'exp_1',
    datasource_id: 'ds_1',
    state: 'committed',
    stopped_assignments_at: null,
    stopped_assignments_reason: null,
    design_spec: { ...registry, ...design_spec },
    power_analyses: null,
    assign_summary: {
      balance_check: null,
      sample_size: sizes.reduce((n, [, size]) => n + size, 0),
      arm_sizes: sizes.map(([arm_id, size]) => ({ arm: { arm_id, arm_name: arm_id }, size, cluster_count: null })),
    },
    webhooks: [],
    decision: '',
    impact: '',
  } as unknown as ExperimentConfig;
}

// As the server answers a weighted bandit: the priors it derived beside the weights.
const bandit = configOf(
  {
    experiment_type: 'mab_online',
    prior_type: 'beta',
    reward_type: 'binary',
    enable_autofail: true,
    autofail_window: 48,
    autofail_outcome_value: 0,
    contexts: null,
    arms: [
      { arm_id: 'arm_a', arm_name: 'letter', arm_description: '', arm_weight: 25, alpha_init: 1, beta_init: 1, mu_init: null, sigma_init: null },
      { arm_id: 'arm_b', arm_name: 'sms', arm_description: 'One line', arm_weight: 75, alpha_init: 3, beta_init: 7, mu_init: null, sigma_init: null },
    ],
  },
  [
    ['arm_a', 10],
    ['arm_b', 30],
  ],
);

const cells = (table: HTMLElement) => within(table).getAllByRole('row').map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()));

describe('ArmsTable', () => {
  it('a bandit: each arm’s chance of being best and prior in words, counts and shares, no control', () => {
    render(<ArmsTable config={bandit} />);
    expect(cells(screen.getByRole('table', { name: 'Arms of Reminder wording' }))).toEqual([
      ['Arm', 'Arm id', 'Chance of being best', 'Starting belief (prior)', 'Participants', 'Share'],
      ['letter', 'arm_aCopy', '25%', 'Beta(α 1, β 1)No opinion yet: every success rate from 0% to 100% is equally likely.', '10', '25.0%'],
      ['sms One line', 'arm_bCopy', '75%', 'Beta(α 3, β 7)Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.', '30', '75.0%'],
      ['Total', '', '', '', '40', '100%'],
    ]);
  });

  it('a bandit draft on the review: the priors without counts', () => {
    render(<ArmsTable config={bandit} counts={false} />);
    expect(cells(screen.getByRole('table'))[0]).toEqual(['Arm', 'Arm id', 'Chance of being best', 'Starting belief (prior)']);
    expect(screen.queryByRole('row', { name: /^Total/ })).toBeNull();
  });

  it('an A/B test: the first arm is the control, weights are weights, and there is no prior', () => {
    const ab = configOf(
      {
        experiment_type: 'freq_online',
        arms: [
          { arm_id: 'arm_c', arm_name: 'control', arm_weight: 50 },
          { arm_id: 'arm_t', arm_name: 'nudge', arm_weight: 50 },
        ],
      },
      [
        ['arm_c', 3],
        ['arm_t', 1],
      ],
    );
    render(<ArmsTable config={ab} />);
    expect(cells(screen.getByRole('table'))).toEqual([
      ['Arm', 'Arm id', 'Weight', 'Participants', 'Share'],
      ['control control', 'arm_cCopy', '50%', '3', '75.0%'],
      ['nudge', 'arm_tCopy', '50%', '1', '25.0%'],
      ['Total', '', '', '4', '100%'],
    ]);
  });
});

describe('DesignFacts for a bandit', () => {
  it('says what an outcome is, which prior the arms start from and how a missing outcome counts', () => {
    const { container } = render(<DesignFacts config={bandit} datasourceName="API only" />);
    const facts = Object.fromEntries([...container.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    expect(facts).toMatchObject({
      Type: expect.stringMatching(/bandit/i),
      Datasource: 'API only',
      Outcome: 'Yes or no: each outcome is a success (1) or a failure (0)',
      Prior: 'Beta: α prior successes and β prior failures per arm, updated exactly by each outcome — derived from the chances of being best',
      'Missing outcomes': 'Participants who never report an outcome count as a failure (0) once 48 hours have passed since they got their arm.',
    });
    expect(facts).not.toHaveProperty('Target sample size');
  });
});
