/**
 * Step 4: the arms. Two to twenty, each named; in an A/B test the first is the control every other arm is
 * compared with. Weights are optional (equal split by default); when set, a live line says what they add up
 * to. A bandit's arms carry what is believed about them before any data (`BanditPriors.tsx`).
 */
import { useEffect, useRef } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { CheckboxField, TextField } from '../../../ui/Field.tsx';
import { ArmPriorFields, PriorModeChoice } from './BanditPriors.tsx';
import type { StepProps } from './StepFrame.tsx';
import { isBanditKind, MAX_ARMS, MIN_ARMS } from './state.ts';
import { weightMessage, weightSum } from './validation.ts';

export function ArmsStep({ state, dispatch, errorFor, touch }: StepProps) {
  const count = state.arms.length;
  const previous = useRef(count);
  const list = useRef<HTMLOListElement>(null);
  // After "Add arm", the new arm's name is where the user types next.
  useEffect(() => {
    if (count > previous.current) list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus();
    previous.current = count;
  }, [count]);
  const sum = weightSum(state);
  const balanced = sum !== null && Math.abs(sum - 100) <= 1e-6;
  const bandit = isBanditKind(state.kind);
  const sumMessage = weightMessage(sum, bandit ? 'chances' : 'weights');

  return (
    <div className="stack">
      {/* A bandit's arms show the inputs of the way of setting beliefs chosen here, so it comes first. */}
      {bandit && <PriorModeChoice state={state} dispatch={dispatch} />}
      <ol className="arm-list" ref={list}>
        {state.arms.map((arm, i) => (
          <li key={arm.key} className="arm-card">
            <fieldset className="fieldset">
              <legend>
                Arm {i + 1}
                {i === 0 && !bandit && <span className="muted"> (control)</span>}
              </legend>
              <div className={state.useWeights && !bandit ? 'arm-fields arm-fields-weighted' : 'arm-fields'}>
                <TextField
                  label={`Name of arm ${i + 1}`}
                  required
                  maxLength={100}
                  value={arm.name}
                  onChange={(e) => dispatch({ type: 'arm_update', key: arm.key, patch: { name: e.target.value } })}
                  onBlur={() => touch(`arms.${i}.arm_name`)}
                  error={errorFor(`arms.${i}.arm_name`)}
                />
                <TextField
                  label={`Description of arm ${i + 1}`}
                  maxLength={2000}
                  value={arm.description}
                  onChange={(e) => dispatch({ type: 'arm_update', key: arm.key, patch: { description: e.target.value } })}
                  onBlur={() => touch(`arms.${i}.arm_description`)}
                  error={errorFor(`arms.${i}.arm_description`)}
                  placeholder={i === 0 ? 'e.g. the current experience' : 'What this arm changes'}
                />
                {state.useWeights && !bandit && (
                  <TextField
                    label={`Weight of arm ${i + 1} (%)`}
                    inputMode="decimal"
                    value={arm.weight}
                    onChange={(e) => dispatch({ type: 'arm_update', key: arm.key, patch: { weight: e.target.value } })}
                    onBlur={() => touch(`arms.${i}.arm_weight`)}
                    error={errorFor(`arms.${i}.arm_weight`)}
                  />
                )}
              </div>
              <ArmPriorFields state={state} dispatch={dispatch} errorFor={errorFor} touch={touch} arm={arm} index={i} />
              <div className="arm-actions">
                <Button size="small" variant="ghost" disabled={count <= MIN_ARMS} onClick={() => dispatch({ type: 'arm_remove', key: arm.key })} aria-label={`Remove arm ${i + 1}${arm.name ? ` (${arm.name})` : ''}`}>
                  Remove
                </Button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="row">
        <Button onClick={() => dispatch({ type: 'arm_add' })} disabled={count >= MAX_ARMS}>
          Add arm
        </Button>
        <span className="muted small">
          {count >= MAX_ARMS ? `That is the most an experiment can have (${MAX_ARMS}).` : count <= MIN_ARMS ? `An experiment needs at least ${MIN_ARMS} arms.` : `${count} arms.`}
        </span>
      </div>
      {!bandit && (
        <CheckboxField
          label="Split participants unequally (set a weight per arm)"
          hint="Without weights every arm gets the same share. Turning weights on starts from an equal split."
          checked={state.useWeights}
          onChange={(e) => dispatch({ type: 'use_weights', on: e.target.checked })}
        />
      )}
      {state.useWeights && (
        <p className={`weight-status ${balanced ? 'weight-ok' : 'weight-off'}`} role="status" aria-live="polite">
          {sumMessage}
        </p>
      )}
      {errorFor('arms') && errorFor('arms') !== sumMessage && (
        <div className="field-error" role="alert">
          {errorFor('arms')}
        </div>
      )}
    </div>
  );
}
