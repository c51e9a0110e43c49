import { describe, expect, it } from 'vitest';
import { typedAutofailWords, typedPriorWords } from './typed-bandit-words.ts';

describe('words under what is typed', () => {
  it('an arm’s prior: the design’s words once every input is usable, nothing before', () => {
    expect(typedPriorWords({ alpha: '3', beta: '7', mu: '', sigma: '' }, 'mab_online', 'binary')).toBe('Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.');
    expect(typedPriorWords({ alpha: '0', beta: '1', mu: '0', sigma: '1' }, 'mab_online', 'binary')).toBe('');
    expect(typedPriorWords({ alpha: '1', beta: '1', mu: '0', sigma: '' }, 'mab_online', 'real-valued')).toBe('');
    expect(typedPriorWords({ alpha: '', beta: '', mu: '35.5', sigma: '10' }, 'mab_online_dwh', 'real-valued')).toBe('Expects an average outcome of 35.5, probably between 15.5 and 55.5.');
    // A contextual bandit has Normal priors even for yes/no outcomes.
    expect(typedPriorWords({ alpha: '2', beta: '2', mu: '0', sigma: '1' }, 'cmab_online', 'binary')).toMatch(/^Each context’s effect on the log-odds of success/);
  });

  it('autofail: asks for the wait and the value until both are usable', () => {
    const b = { autofail: true, autofailWindow: '6', autofailValue: '1', rewardType: 'binary' } as const;
    expect(typedAutofailWords(b)).toBe('Participants who never report an outcome count as a success (1) once 6 hours have passed since they got their arm.');
    expect(typedAutofailWords({ ...b, autofailWindow: '0' })).toMatch(/once the wait and the value above are filled in/);
    expect(typedAutofailWords({ ...b, autofailValue: 'x' })).toMatch(/once the wait and the value above are filled in/);
    expect(typedAutofailWords({ ...b, autofail: false })).toBe('Participants who never report an outcome are left out of the learning.');
  });
});
