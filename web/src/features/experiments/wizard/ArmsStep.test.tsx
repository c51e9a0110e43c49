import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ArmsStep } from './ArmsStep.tsx';
import { initialState } from './state.ts';
import { StepHarness } from './test-harness.tsx';

function renderArms() {
  render(<StepHarness step="arms" initial={initialState('2026-12-01')} catalog={null} Step={ArmsStep} />);
  return userEvent.setup();
}

describe('ArmsStep', () => {
  it('adds an arm and puts the cursor in its name; keeps 2 to 20 arms', async () => {
    const user = renderArms();
    expect((screen.getByRole('button', { name: 'Remove arm 1 (Control)' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Add arm' }));
    const third = screen.getByRole('textbox', { name: /Name of arm 3/ });
    expect(document.activeElement).toBe(third);
    expect(screen.getByTestId('reason').textContent).toContain('Name arm 3.');
    await user.keyboard('Long reminder');
    expect(screen.getByTestId('reason').textContent).toContain('ready');
    await user.click(screen.getByRole('button', { name: 'Remove arm 1 (Control)' }));
    expect(screen.getAllByRole('textbox', { name: /^Name of arm/ }).map((i) => (i as HTMLInputElement).value)).toEqual(['Treatment', 'Long reminder']);
    for (let i = 0; i < 20; i++) await user.click(screen.getByRole('button', { name: 'Add arm' }));
    expect(screen.getAllByRole('textbox', { name: /^Name of arm/ })).toHaveLength(20);
    expect((screen.getByRole('button', { name: 'Add arm' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a missing name next to the arm once the field was visited', async () => {
    const user = renderArms();
    const name = screen.getByRole('textbox', { name: /Name of arm 2/ });
    await user.clear(name);
    expect(screen.queryByText('Name arm 2.', { selector: '.field-error' })).toBeNull();
    await user.tab();
    expect(screen.getByText('Name arm 2.', { selector: '.field-error' })).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });

  it('says live what the weights add up to', async () => {
    const user = renderArms();
    expect(screen.queryByRole('textbox', { name: /Weight of arm 1/ })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: /Split participants unequally/ }));
    const w1 = screen.getByRole('textbox', { name: 'Weight of arm 1 (%)' });
    expect((w1 as HTMLInputElement).value).toBe('50');
    expect(screen.getByRole('status').textContent).toContain('The weights add up to 100%.');
    await user.clear(w1);
    await user.type(w1, '40');
    expect(screen.getByRole('status').textContent).toContain('The weights add up to 90%; add 10% more to reach 100%.');
    expect(screen.getByTestId('reason').textContent).toContain('add 10% more');
    await user.clear(screen.getByRole('textbox', { name: 'Weight of arm 2 (%)' }));
    await user.type(screen.getByRole('textbox', { name: 'Weight of arm 2 (%)' }), '60');
    expect(screen.getByRole('status').textContent).toContain('The weights add up to 100%.');
    await user.click(screen.getByRole('button', { name: 'Add arm' }));
    expect(screen.getAllByRole('textbox', { name: /^Weight of arm/ }).map((i) => (i as HTMLInputElement).value)).toEqual(['33.34', '33.33', '33.33']);
  });
});
