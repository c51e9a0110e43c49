/**
 * A bandit's outcomes: what kind of outcome the backend reports (a warehouse bandit's column decides it),
 * and autofail, which counts participants who never report one, so that arms people silently drop out of
 * do not look better than they are.
 */
import { useId } from 'react';
import { CheckboxField, FieldError, TextField } from '../../../ui/Field.tsx';
import { priorTypeOf } from './bandit-spec.ts';
import type { StepProps } from './StepFrame.tsx';
import type { RewardType } from './state.ts';
import { typedAutofailWords } from './typed-bandit-words.ts';

const REWARDS: ReadonlyArray<{ value: RewardType; title: string; text: string }> = [
  { value: 'binary', title: 'Yes or no', text: 'A success or a failure: clicked, replied, signed up, completed.' },
  { value: 'real-valued', title: 'A number', text: 'An amount where higher is better: minutes spent, money donated, a score.' },
];

export function OutcomesStep({ state, dispatch, errorFor, touch }: StepProps) {
  const id = useId();
  const b = state.bandit;
  const dwh = state.kind === 'mab_online_dwh';
  const kind = state.kind === 'cmab_online' || dwh ? state.kind : 'mab_online';
  const prior = priorTypeOf(kind, b.rewardType);
  return (
    <div className="stack">
      <fieldset className="fieldset" aria-describedby={`${id}-reward-hint`}>
        <legend>Type of outcome</legend>
        <div className="choice-cards">
          {REWARDS.map((r) => (
            <label key={r.value} className={`choice-card${b.rewardType === r.value ? ' choice-card-selected' : ''}${dwh ? ' choice-card-locked' : ''}`}>
              <input
                type="radio"
                name="reward-type"
                value={r.value}
                checked={b.rewardType === r.value}
                disabled={dwh}
                onChange={() => dispatch({ type: 'bandit', patch: { rewardType: r.value } })}
                aria-labelledby={`${id}-${r.value}-title`}
                aria-describedby={`${id}-${r.value}-text`}
              />
              <span>
                <span className="choice-card-title" id={`${id}-${r.value}-title`}>
                  {r.title}
                </span>
                <span className="choice-card-text" id={`${id}-${r.value}-text`}>
                  {r.text}
                </span>
              </span>
            </label>
          ))}
        </div>
        <p className="field-hint" id={`${id}-reward-hint`}>
          {dwh ? `Set by the outcome column ${b.targetField} (change it on the Datasource step). ` : ''}
          {prior === 'beta'
            ? 'Each arm’s success rate is learned with a Beta distribution.'
            : state.kind === 'cmab_online'
              ? 'Each arm learns how the outcome depends on the contexts, with a Normal distribution per context.'
              : 'Each arm’s average outcome is learned with a Normal distribution.'}
        </p>
        <FieldError>{errorFor('reward_type')}</FieldError>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Participants who never report an outcome</legend>
        <CheckboxField
          label="Count a missing outcome after a while (autofail)"
          hint="Without this, a participant whose outcome never arrives does not count at all, so an arm that people drop out of can look better than it is."
          checked={b.autofail}
          onChange={(e) => dispatch({ type: 'bandit', patch: { autofail: e.target.checked } })}
        />
        {b.autofail && (
          <div className="grid-2 narrow">
            <TextField
              label="Wait (hours)"
              inputMode="numeric"
              required
              value={b.autofailWindow}
              onChange={(e) => dispatch({ type: 'bandit', patch: { autofailWindow: e.target.value } })}
              onBlur={() => touch('autofail_window')}
              error={errorFor('autofail_window')}
              hint="Counted from when the participant was given an arm."
            />
            {b.rewardType === 'binary' ? (
              <fieldset className="fieldset">
                <legend>Count it as</legend>
                <div className="choice-list">
                  {[
                    { value: '0', label: 'A failure (0)' },
                    { value: '1', label: 'A success (1)' },
                  ].map((o) => (
                    <label key={o.value} className="radio-row">
                      <input type="radio" name="autofail-value" checked={b.autofailValue.trim() === o.value} onChange={() => dispatch({ type: 'bandit', patch: { autofailValue: o.value } })} />
                      <span>{o.label}</span>
                    </label>
                  ))}
                </div>
                <FieldError>{errorFor('autofail_outcome_value')}</FieldError>
              </fieldset>
            ) : (
              <TextField
                label="Count it as"
                inputMode="decimal"
                required
                value={b.autofailValue}
                onChange={(e) => dispatch({ type: 'bandit', patch: { autofailValue: e.target.value } })}
                onBlur={() => touch('autofail_outcome_value')}
                error={errorFor('autofail_outcome_value')}
                hint="The outcome recorded for them, e.g. 0 minutes."
              />
            )}
          </div>
        )}
        <p className="autofail-words" role="status" aria-live="polite">
          {typedAutofailWords(b)}
        </p>
      </fieldset>
    </div>
  );
}
