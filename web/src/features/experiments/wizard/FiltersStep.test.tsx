import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { filterSpecs } from './design-spec.ts';
import { FiltersStep } from './FiltersStep.tsx';
import { initialState, type WizardState } from './state.ts';
import { DEMO_CATALOG } from './test-fixtures.ts';
import { descriptionOf, StepHarness } from './test-harness.tsx';

function renderFilters() {
  const seen: { state: WizardState | null } = { state: null };
  render(<StepHarness step="filters" initial={initialState('2026-12-01')} catalog={DEMO_CATALOG} Step={FiltersStep} onState={(s) => (seen.state = s)} />);
  return { user: userEvent.setup(), spec: () => filterSpecs(seen.state!, DEMO_CATALOG) };
}

const optionLabels = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => o.textContent);

describe('FiltersStep', () => {
  it('offers the operators that fit each field’s type', async () => {
    const { user } = renderFilters();
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const field = screen.getByRole('combobox', { name: 'Field of filter 1' });
    expect(document.activeElement).toBe(field);
    await user.selectOptions(field, 'age');
    expect(optionLabels(screen.getByRole('combobox', { name: 'Operator of filter 1' }))).toEqual([
      'is one of',
      'is not one of',
      'is at least (≥)',
      'is at most (≤)',
      'is between',
      'is missing (NULL)',
      'has a value (not NULL)',
    ]);
    await user.selectOptions(field, 'signup_date');
    expect(optionLabels(screen.getByRole('combobox', { name: 'Operator of filter 1' }))).toContain('is on or after (≥)');
    await user.selectOptions(field, 'country');
    expect(optionLabels(screen.getByRole('combobox', { name: 'Operator of filter 1' }))).toEqual(['is one of', 'is not one of', 'is missing (NULL)', 'has a value (not NULL)']);
    await user.selectOptions(field, 'is_active');
    expect(optionLabels(screen.getByRole('combobox', { name: 'Operator of filter 1' }))).toEqual(['is', 'is missing (NULL)', 'has a value (not NULL)']);
    expect((screen.getByRole('combobox', { name: 'Value of filter 1' }) as HTMLInputElement).value).toBe('true');
  });

  it('builds the filters from the sentences, with "or missing"', async () => {
    const { user, spec } = renderFilters();
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field of filter 1' }), 'age');
    await user.type(screen.getByRole('spinbutton', { name: 'Lowest value (filter 1)' }), '18');
    await user.type(screen.getByRole('spinbutton', { name: 'Highest value (filter 1)' }), '35');
    await user.click(screen.getByRole('checkbox', { name: 'Also include participants with no age value (filter 1)' }));
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field of filter 2' }), 'country');
    // Known values are offered as checkboxes.
    await user.click(within(screen.getByRole('group', { name: 'Values of filter 2' })).getByRole('checkbox', { name: 'NG' }));
    await user.click(within(screen.getByRole('group', { name: 'Values of filter 2' })).getByRole('checkbox', { name: 'KE' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Operator of filter 2' }), 'not_one_of');
    expect(screen.getByTestId('reason').textContent).toContain('ready');
    expect(spec()).toEqual([
      { field_name: 'age', relation: 'between', value: [18, 35, null] },
      { field_name: 'country', relation: 'excludes', value: ['KE', 'NG', null] },
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove filter 1 (age)' }));
    expect(spec()).toEqual([{ field_name: 'country', relation: 'excludes', value: ['KE', 'NG', null] }]);
  });

  it('shows a bad value next to its input, and a reversed range at the upper bound', async () => {
    const { user } = renderFilters();
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field of filter 1' }), 'signup_date');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Operator of filter 1' }), 'one_of');
    const values = screen.getByRole('textbox', { name: 'Values of filter 1 (one per line)' });
    await user.type(values, '2024-01-01{Enter}2023-02-30');
    await user.tab();
    expect(descriptionOf(values)).toContain("'2023-02-30' is not a date (YYYY-MM-DD).");
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field of filter 1' }), 'age');
    await user.type(screen.getByRole('spinbutton', { name: 'Lowest value (filter 1)' }), '40');
    await user.type(screen.getByRole('spinbutton', { name: 'Highest value (filter 1)' }), '30');
    await user.tab();
    expect(descriptionOf(screen.getByRole('spinbutton', { name: 'Highest value (filter 1)' }))).toContain('The upper bound must not be below the lower bound.');
    expect(screen.getByTestId('reason').textContent).toContain('Filter 1 (age): The upper bound must not be below the lower bound.');
  });
});
