/**
 * The frame every wizard step shares: the clickable step list, the step's heading (focused when the step
 * changes, so keyboard and screen-reader users start at the new step), problems the server reported that
 * belong to no field, and Back/Next with the reason Next is disabled written beside it.
 */
import { useEffect, useRef, type Dispatch, type ReactNode } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { Callout } from '../../../ui/Callout.tsx';
import type { FieldCatalog } from './catalog.ts';
import type { StepId, StepInfo, WizardAction, WizardState } from './state.ts';

/** What every step component receives. */
export interface StepProps {
  readonly state: WizardState;
  readonly dispatch: Dispatch<WizardAction>;
  /** The message to show next to a field (server problems always, client problems once touched). */
  readonly errorFor: (field: string) => string | undefined;
  /** Marks a field as visited, so its client-side problem shows. */
  readonly touch: (field: string) => void;
  readonly catalog: FieldCatalog | null;
}

export interface StepListItem extends StepInfo {
  readonly reachable: boolean;
  readonly done: boolean;
}

export function StepList({ steps, current, onGo, lockedReason }: { steps: readonly StepListItem[]; current: StepId | 'summary'; onGo: (step: StepId) => void; lockedReason?: string }) {
  return (
    <nav aria-label="Wizard steps">
      <ol className="steps">
        {steps.map((s) => {
          const here = s.id === current;
          const label = (
            <>
              {s.label}
              {s.done && !here && <span className="visually-hidden"> (done)</span>}
            </>
          );
          return (
            <li key={s.id} aria-current={here ? 'step' : undefined} className={s.done ? 'step-done' : undefined}>
              {s.reachable && !here ? (
                <button type="button" onClick={() => onGo(s.id)}>
                  {label}
                </button>
              ) : (
                <span aria-disabled={!here || undefined} title={!s.reachable && lockedReason ? lockedReason : undefined}>
                  {label}
                </span>
              )}
            </li>
          );
        })}
        <li aria-current={current === 'summary' ? 'step' : undefined}>
          <span aria-disabled={current !== 'summary' || undefined}>Review and commit</span>
        </li>
      </ol>
    </nav>
  );
}

/**
 * The step's heading. It takes focus when `focusKey` changes and, with `focusOnMount`, when it first appears
 * (after "Create experiment" or "Change design" the control that had focus is gone).
 */
export function StepHeading({ title, intro, focusKey, focusOnMount = false }: { title: string; intro?: ReactNode; focusKey: string; focusOnMount?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      if (!focusOnMount) return;
    }
    ref.current?.focus();
  }, [focusKey, focusOnMount]);
  return (
    <div className="wizard-step-head">
      <h2 ref={ref} tabIndex={-1} id="wizard-step-title">
        {title}
      </h2>
      {intro && <p className="muted">{intro}</p>}
    </div>
  );
}

export function GeneralErrors({ messages, title = 'The server did not accept the design' }: { messages: readonly string[]; title?: string }) {
  if (messages.length === 0) return null;
  return (
    <Callout tone="danger" title={title}>
      {messages.map((m, i) => (
        <p key={i}>{m}</p>
      ))}
    </Callout>
  );
}

export function WizardNav({
  onBack,
  onNext,
  nextLabel,
  reason,
  busy,
}: {
  onBack?: (() => void) | undefined;
  onNext: () => void;
  nextLabel: string;
  /** Why Next is disabled; Next is enabled when this is undefined. */
  reason?: string | undefined;
  busy?: boolean;
}) {
  return (
    <div className="wizard-nav">
      <div>{onBack && <Button onClick={onBack}>Back</Button>}</div>
      <div className="wizard-nav-next">
        {reason && (
          <p className="wizard-reason" id="wizard-next-reason">
            <span className="visually-hidden">{nextLabel} is unavailable. </span>To continue: {reason}
          </p>
        )}
        <Button variant="primary" onClick={onNext} disabled={reason !== undefined} busy={busy} aria-describedby={reason ? 'wizard-next-reason' : undefined}>
          {nextLabel}
        </Button>
      </div>
    </div>
  );
}
