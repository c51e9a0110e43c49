/** Step 2: preassigned or online (no default: the choice decides how the backend integrates). */
import { useId } from 'react';
import type { StepProps } from './StepFrame.tsx';

const KINDS = [
  {
    kind: 'freq_preassigned' as const,
    title: 'Preassigned',
    text: 'Equipoise samples participants from your table now and splits them into arms by stratified randomisation, so the arms start out balanced. Your backend looks up each participant’s arm. Best when you know everyone in advance, e.g. a messaging campaign.',
  },
  {
    kind: 'freq_online' as const,
    title: 'Online',
    text: 'Participants are assigned when your backend first asks for them, so people who arrive later can join. Best for apps and websites.',
  },
];

export function TypeStep({ state, dispatch, errorFor }: StepProps) {
  const id = useId();
  return (
    <div className="stack">
      <fieldset className="fieldset">
        <legend>Type of experiment</legend>
        <div className="choice-cards">
          {KINDS.map((k) => (
            <label key={k.kind} className={`choice-card${state.kind === k.kind ? ' choice-card-selected' : ''}`}>
              <input
                type="radio"
                name="experiment-kind"
                value={k.kind}
                checked={state.kind === k.kind}
                onChange={() => dispatch({ type: 'kind', kind: k.kind })}
                aria-labelledby={`${id}-${k.kind}-title`}
                aria-describedby={`${id}-${k.kind}-text`}
              />
              <span>
                <span className="choice-card-title" id={`${id}-${k.kind}-title`}>
                  {k.title}
                </span>
                <span className="choice-card-text" id={`${id}-${k.kind}-text`}>
                  {k.text}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errorFor('experiment_type') && (
          <div className="field-error" role="alert">
            {errorFor('experiment_type')}
          </div>
        )}
      </fieldset>
      {state.kind === 'freq_online' && (
        <fieldset className="fieldset">
          <legend>How arms are chosen</legend>
          <div className="choice-list">
            <label className="radio-row">
              <input type="radio" name="assignment-mode" checked={state.assignmentMode === 'random'} onChange={() => dispatch({ type: 'assignment_mode', mode: 'random' })} />
              <span>
                At random <span className="muted small">— drawn on a participant’s first request and stored.</span>
              </span>
            </label>
            <label className="radio-row">
              <input type="radio" name="assignment-mode" checked={state.assignmentMode === 'hash'} onChange={() => dispatch({ type: 'assignment_mode', mode: 'hash' })} />
              <span>
                By hash <span className="muted small">— GrowthBook-compatible: an SDK can compute every participant’s arm offline.</span>
              </span>
            </label>
          </div>
          {errorFor('assignment_mode') && (
            <div className="field-error" role="alert">
              {errorFor('assignment_mode')}
            </div>
          )}
        </fieldset>
      )}
    </div>
  );
}
