import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentType } from 'react';
import { describe, expect, it } from 'vitest';
import { ArmsStep } from './ArmsStep.tsx';
import { ContextsStep } from './ContextsStep.tsx';
import { OutcomesStep } from './OutcomesStep.tsx';
import type { StepProps } from './StepFrame.tsx';
import type { StepId, WizardState } from './state.ts';
import { descriptionOf, StepHarness } from './test-harness.tsx';
import { apply, banditDesign } from './test-fixtures.ts';
import { TypeStep } from './TypeStep.tsx';

function renderStep(step: StepId, Step: ComponentType<StepProps>, initial: WizardState) {
  let latest = initial;
  render(<StepHarness step={step} initial={initial} catalog={null} Step={Step} onState={(s) => (latest = s)} />);
  return { user: userEvent.setup(), state: () => latest };
}

describe('TypeStep', () => {
  it('offers A/B tests and bandits in one radio group and explains the difference', async () => {
    const { user, state } = renderStep('type', TypeStep, apply([]));
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('name'))).toEqual(Array(5).fill('experiment-kind'));
    await user.click(screen.getByRole('radio', { name: 'Contextual bandit' }));
    expect(state().kind).toBe('cmab_online');
    expect(descriptionOf(screen.getByRole('radio', { name: 'Contextual bandit' }))).toMatch(/best arm can differ/);
    expect(screen.getByText('A/B test or bandit?')).toBeTruthy();
    expect(screen.getByRole('group', { name: /Bandits/ })).toBeTruthy();
  });
});

describe('ArmsStep for a bandit', () => {
  it('shows Beta priors for yes/no outcomes with their meaning, and α > 0 inline', async () => {
    const { user } = renderStep('arms', ArmsStep, banditDesign('mab_online'));
    expect(screen.queryByText('(control)')).toBeNull();
    const alpha = screen.getByRole('textbox', { name: /Prior successes α of arm 1/ });
    await user.clear(alpha);
    await user.type(alpha, '3');
    await user.clear(screen.getByRole('textbox', { name: /Prior failures β of arm 1/ }));
    await user.type(screen.getByRole('textbox', { name: /Prior failures β of arm 1/ }), '7');
    expect(screen.getByText('Expects a success rate of about 30%, as firmly as if 10 outcomes had been seen.')).toBeTruthy();
    await user.clear(alpha);
    await user.type(alpha, '0');
    await user.tab();
    expect(screen.getByText('α of arm 1 must be a number above 0.', { selector: '.field-error' })).toBeTruthy();
    expect(alpha.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('reason').textContent).toBe('α of arm 1 must be a number above 0.');
  });

  it('shows Normal priors for a contextual bandit and flags σ of 0', async () => {
    const { user } = renderStep('arms', ArmsStep, banditDesign('cmab_online'));
    expect(screen.queryByRole('textbox', { name: /α/ })).toBeNull();
    const sigma = screen.getByRole('textbox', { name: /Uncertainty σ of arm 2/ });
    await user.clear(sigma);
    await user.type(sigma, '0');
    await user.tab();
    expect(screen.getByText('σ of arm 2 must be a number above 0.', { selector: '.field-error' })).toBeTruthy();
    expect(screen.getByText(/Using a Normal distribution for each context’s effect/)).toBeTruthy();
  });

  it('switches to chances of winning, split equally, with the live sum', async () => {
    const { user, state } = renderStep('arms', ArmsStep, banditDesign('mab_online'));
    await user.click(screen.getByRole('radio', { name: 'How likely each arm is to win' }));
    expect(state().useWeights).toBe(true);
    expect(screen.queryByRole('textbox', { name: /Prior successes/ })).toBeNull();
    const first = screen.getByRole('textbox', { name: 'Chance arm 1 is best (%)' });
    expect((first as HTMLInputElement).value).toBe('50');
    await user.clear(first);
    await user.type(first, '20');
    expect(screen.getByRole('status').textContent).toBe('The chances add up to 70%; add 30% more to reach 100%.');
  });
});

describe('OutcomesStep', () => {
  it('says in words what autofail does, and offers 0 or 1 for yes/no outcomes', async () => {
    const { user, state } = renderStep('outcomes', OutcomesStep, banditDesign('mab_online'));
    expect(screen.getByRole('status').textContent).toBe('Participants who never report an outcome are left out of the learning.');
    await user.click(screen.getByRole('checkbox', { name: /Count a missing outcome after a while/ }));
    const wait = screen.getByRole('textbox', { name: /Wait \(hours\)/ });
    await user.clear(wait);
    await user.type(wait, '6');
    await user.click(screen.getByRole('radio', { name: 'A success (1)' }));
    expect(screen.getByRole('status').textContent).toBe('Participants who never report an outcome count as a success (1) once 6 hours have passed since they got their arm.');
    await user.click(screen.getByRole('radio', { name: 'A number' }));
    expect(state().bandit.rewardType).toBe('real-valued');
    expect(screen.getByRole('textbox', { name: /Count it as/ })).toBeTruthy();
  });

  it('locks the type of outcome of a warehouse bandit to its column', () => {
    renderStep('outcomes', OutcomesStep, banditDesign('mab_online_dwh'));
    expect((screen.getByRole('radio', { name: 'Yes or no' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('radio', { name: 'Yes or no' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/Set by the outcome column completed_course/)).toBeTruthy();
  });
});

describe('ContextsStep', () => {
  it('adds a context with the cursor in its name, and keeps at least one', async () => {
    const { user, state } = renderStep('contexts', ContextsStep, banditDesign('cmab_online'));
    expect((screen.getByRole('button', { name: 'Remove context 1 (returning)' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Add context' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /Name of context 2/ }));
    expect(screen.getByTestId('reason').textContent).toBe('Name context 2.');
    await user.keyboard('age');
    await user.click(screen.getAllByRole('radio', { name: /A number/ })[1]!);
    expect(state().contexts[1]).toMatchObject({ name: 'age', valueType: 'real-valued' });
    expect(screen.getByTestId('reason').textContent).toBe('ready');
  });
});
