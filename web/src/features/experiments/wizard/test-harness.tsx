/**
 * Renders one wizard step with a live reducer, the way `WizardEditor` wires it (client problems shown once a
 * field is touched), so component tests drive a step with real events; and the whole wizard page with the
 * providers the app gives it. Imported only by tests.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer, useState, type ComponentType } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { OrganizationProvider } from '../../../org/organization.tsx';
import { ToastProvider } from '../../../ui/Toast.tsx';
import type { FieldCatalog } from './catalog.ts';
import type { StepProps } from './StepFrame.tsx';
import { wizardReducer, type StepId, type WizardState } from './state.ts';
import { validateStep } from './validation.ts';
import { WizardPage } from './WizardPage.tsx';

/** The organization the page tests' stand-in admin API answers with. */
export const TEST_ORG = { id: 'o_test', name: 'Test org', created_at: '2026-01-01T00:00:00Z', user_count: 1, experiment_count: 0 };

/** The wizard page at `/experiments/new`, with no query retries; any other path renders "elsewhere". */
export function renderWizardPage() {
  const router = createMemoryRouter([{ path: '/experiments/new', element: <WizardPage /> }, { path: '*', element: <p>elsewhere</p> }], { initialEntries: ['/experiments/new'] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <OrganizationProvider>
          <RouterProvider router={router} />
        </OrganizationProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), ...view };
}

export function StepHarness({ step, initial, catalog, Step, onState }: { step: StepId; initial: WizardState; catalog: FieldCatalog | null; Step: ComponentType<StepProps>; onState?: (s: WizardState) => void }) {
  const [state, dispatch] = useReducer(wizardReducer, initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  onState?.(state);
  const problems = validateStep(step, state, { catalog });
  return (
    <>
      <Step
        state={state}
        dispatch={dispatch}
        catalog={catalog}
        touch={(f) => setTouched((t) => new Set(t).add(f))}
        errorFor={(f) => (touched.has(f) ? problems.find((p) => p.field === f)?.message : undefined)}
      />
      <p data-testid="reason">{problems[0]?.message ?? 'ready'}</p>
    </>
  );
}

/** The text an element's `aria-describedby` points at (its hint and error), as a screen reader reads it. */
export function descriptionOf(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}
