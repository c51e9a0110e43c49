import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer } from 'react';
import { describe, expect, it } from 'vitest';
import { currentPower, powerFingerprint } from './design-spec.ts';
import { MetricsStep } from './MetricsStep.tsx';
import { wizardReducer, type WizardState } from './state.ts';
import { analysis, apply, DEMO_CATALOG } from './test-fixtures.ts';
import { validateStep } from './validation.ts';

/** The metrics step as the editor wires it, with a power check that answers from `answer` at once. */
function Harness({ initial, answer, checks }: { initial: WizardState; answer: ReturnType<typeof analysis>[]; checks: (number | null)[] }) {
  const [state, dispatch] = useReducer(wizardReducer, initial);
  const problems = validateStep('metrics', state, { catalog: DEMO_CATALOG });
  return (
    <>
      <MetricsStep
        state={state}
        dispatch={dispatch}
        catalog={DEMO_CATALOG}
        touch={() => undefined}
        errorFor={() => undefined}
        power={{
          current: currentPower(state, DEMO_CATALOG),
          check: (desiredN) => {
            checks.push(desiredN);
            dispatch({ type: 'power_result', result: { fingerprint: powerFingerprint(state, DEMO_CATALOG), analyses: answer, desiredN } });
          },
          checking: false,
          error: null,
          blocked: problems.filter((p) => p.field !== 'desired_n')[0]?.message,
        }}
      />
      <p data-testid="reason">{problems[0]?.message ?? 'ready'}</p>
    </>
  );
}

const preassigned = () => apply([{ type: 'kind', kind: 'freq_preassigned' }, { type: 'source', patch: { datasourceId: 'ds', participantType: 'Demo participants' } }]);

describe('MetricsStep', () => {
  it('needs a metric before power can be checked, and puts focus on the new metric', async () => {
    const user = userEvent.setup();
    render(<Harness initial={preassigned()} answer={[analysis({})]} checks={[]} />);
    const check = screen.getByRole('button', { name: 'Check power' }) as HTMLButtonElement;
    expect(check.disabled).toBe(true);
    expect(screen.getByText('Add at least one metric: the outcome the experiment should change.', { selector: '#power-blocked' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add metric' }));
    const field = screen.getByRole('combobox', { name: 'Field of metric 1' }) as HTMLSelectElement;
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('completed_course');
    expect(check.disabled).toBe(false);
  });

  it('shows the power check in words, offers sizes from it, and forgets it when the design changes', async () => {
    const user = userEvent.setup();
    const checks: (number | null)[] = [];
    const initial = apply([{ type: 'metric_add', field: 'completed_course' }], preassigned());
    render(<Harness initial={initial} answer={[analysis({ target_n: 4992, available: 7068 })]} checks={checks} />);
    expect((screen.getByRole('radio', { name: /Enough for the primary metric/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: /Everyone eligible/ }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('reason').textContent).toBe('Check power to work out the sample size, or enter a custom number.');

    await user.click(screen.getByRole('button', { name: 'Check power' }));
    expect(checks).toEqual([null]);
    expect(screen.getByRole('list', { name: 'Power check results' }).textContent).toContain('completed_course: 4,992 participants needed, 7,068 available — enough.');
    expect(screen.getByRole('radio', { name: /Enough for the primary metric/ }).closest('label')?.textContent).toContain('4,992');
    expect(screen.getByTestId('reason').textContent).toBe('ready');

    // Asking for the MDE at the chosen size sends it.
    await user.click(screen.getByRole('radio', { name: /Everyone eligible/ }));
    await user.click(screen.getByRole('button', { name: 'Estimate the smallest detectable effect with 7,068 participants' }));
    expect(checks).toEqual([null, 7068]);

    await user.clear(screen.getByRole('textbox', { name: 'Minimum effect of metric 1 (% change)' }));
    await user.type(screen.getByRole('textbox', { name: 'Minimum effect of metric 1 (% change)' }), '5');
    expect(screen.getByRole('status').textContent).toContain('The design changed since the last power check.');
    expect(screen.queryByRole('list', { name: 'Power check results' })).toBeNull();
    expect(screen.getByTestId('reason').textContent).toBe('Check power to work out the sample size, or enter a custom number.');
  });

  it('online designs take an optional target, needed only to stop at it', async () => {
    const user = userEvent.setup();
    render(<Harness initial={apply([{ type: 'kind', kind: 'freq_online' }, { type: 'metric_add', field: 'weekly_minutes' }], preassigned())} answer={[]} checks={[]} />);
    expect(screen.queryByRole('radio', { name: /Enough for the primary metric/ })).toBeNull();
    expect(screen.getByTestId('reason').textContent).toBe('ready');
    await user.click(screen.getByRole('checkbox', { name: 'Stop assigning new participants when the target is reached' }));
    expect(screen.getByTestId('reason').textContent).toBe('Enter the target sample size to stop at, as a whole number.');
    await user.type(screen.getByRole('textbox', { name: 'Target sample size (optional)' }), '800');
    expect(screen.getByTestId('reason').textContent).toBe('ready');
  });
});
