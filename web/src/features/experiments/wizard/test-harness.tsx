/**
 * Renders one wizard step with a live reducer, the way `WizardEditor` wires it (client problems shown once a
 * field is touched), so component tests drive a step with real events. Imported only by tests.
 */
import { useReducer, useState, type ComponentType } from 'react';
import type { FieldCatalog } from './catalog.ts';
import type { StepProps } from './StepFrame.tsx';
import { wizardReducer, type StepId, type WizardState } from './state.ts';
import { validateStep } from './validation.ts';

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
