import { describe, expect, it } from 'vitest';
import { armPriorWords, autofailSentence, autofailWords, betaWords, contextKindWords, normalWords, priorTypeWords, rewardTypeWords } from './bandit-words.ts';

describe('prior words', () => {
  it('Beta: the expected success rate and how firmly it is held', () => {
    expect(betaWords(1, 1)).toBe('No opinion yet: every success rate from 0% to 100% is equally likely.');
    expect(betaWords(3, 7)).toBe('Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.');
    expect(betaWords(0.5, 1)).toBe('Expects a success rate of about 33.3%, as firmly as if 1.5 outcomes had been seen.');
  });

  it('Normal: the expected value and its 95% range; per context for a contextual bandit', () => {
    expect(normalWords(10, 2.5, false, 'real-valued')).toBe('Expects an average outcome of 10, probably between 5 and 15.');
    expect(normalWords(0, 1, true, 'binary')).toBe('Each context’s effect on the log-odds of success starts at 0, probably between -2 and 2.');
    expect(normalWords(0, 1, true, 'real-valued')).toBe('Each context’s effect starts at 0, probably between -2 and 2.');
  });

  it('an arm’s prior: its parameters and what they believe, or a dash when the design gives none', () => {
    const mab = { experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary' } as const;
    expect(armPriorWords(mab, { alpha_init: 3, beta_init: 7 })).toEqual({
      params: 'Beta(α 3, β 7)',
      words: 'Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.',
    });
    expect(armPriorWords(mab, { alpha_init: 1234.5678, beta_init: 1 }).params).toBe('Beta(α 1235, β 1)');
    expect(armPriorWords({ experiment_type: 'cmab_online', prior_type: 'normal', reward_type: 'binary' }, { mu_init: 0, sigma_init: 1 })).toEqual({
      params: 'Normal(μ 0, σ 1)',
      words: 'Each context’s effect on the log-odds of success starts at 0, probably between -2 and 2.',
    });
    // Weights the server has not turned into priors: nothing to say yet.
    expect(armPriorWords(mab, { mu_init: 0, sigma_init: 1 })).toEqual({ params: '—', words: '' });
  });
});

describe('autofail words', () => {
  it('says what happens to participants who never report an outcome', () => {
    expect(autofailSentence(false, 24, 0, 'binary')).toBe('Participants who never report an outcome are left out of the learning.');
    expect(autofailSentence(true, 24, 0, 'binary')).toBe('Participants who never report an outcome count as a failure (0) once 24 hours have passed since they got their arm.');
    expect(autofailSentence(true, 1, 1, 'binary')).toBe('Participants who never report an outcome count as a success (1) once 1 hour has passed since they got their arm.');
    expect(autofailSentence(true, 48, 2.5, 'real-valued')).toMatch(/count as an outcome of 2.5 once 48 hours/);
    expect(autofailSentence(true, null, 0, 'binary')).toMatch(/once the wait and the value above are filled in/);
  });

  it('reads a stored design, with the server’s defaults where it leaves them out', () => {
    expect(autofailWords({ enable_autofail: true, autofail_window: 48, autofail_outcome_value: 1, reward_type: 'binary' })).toBe(
      'Participants who never report an outcome count as a success (1) once 48 hours have passed since they got their arm.',
    );
    expect(autofailWords({ enable_autofail: true, reward_type: 'real-valued' })).toBe(
      'Participants who never report an outcome count as an outcome of 0 once 24 hours have passed since they got their arm.',
    );
    expect(autofailWords({ enable_autofail: false, autofail_window: 48, reward_type: 'binary' })).toBe('Participants who never report an outcome are left out of the learning.');
  });
});

describe('design facts', () => {
  it('names the outcome, the prior with its model, and a context’s kind', () => {
    expect(rewardTypeWords('binary')).toBe('Yes or no: each outcome is a success (1) or a failure (0)');
    expect(rewardTypeWords('real-valued')).toBe('A number: each outcome is a value, higher is better');
    expect(priorTypeWords({ experiment_type: 'mab_online', prior_type: 'beta', reward_type: 'binary' })).toMatch(/^Beta: α prior successes and β prior failures per arm/);
    expect(priorTypeWords({ experiment_type: 'mab_online', prior_type: 'normal', reward_type: 'real-valued' })).toBe('Normal: each arm’s expected outcome, in a linear model of the outcome');
    expect(priorTypeWords({ experiment_type: 'cmab_online', prior_type: 'normal', reward_type: 'binary' })).toBe(
      'Normal: one coefficient per context for each arm, in a logistic model of the chance of success',
    );
    expect([contextKindWords({ value_type: 'binary' }), contextKindWords({ value_type: 'real-valued' })]).toEqual(['yes/no (0 or 1)', 'number']);
  });
});
