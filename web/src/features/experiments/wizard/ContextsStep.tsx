/**
 * A contextual bandit's contexts: the facts about a participant the backend sends with each request (one to
 * ten), each a yes/no value or a number. The bandit learns, per arm, how much each one matters.
 */
import { useEffect, useRef } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { FieldError, TextField } from '../../../ui/Field.tsx';
import type { StepProps } from './StepFrame.tsx';
import { MAX_CONTEXTS, type ContextValueType } from './state.ts';

const VALUE_TYPES: ReadonlyArray<{ value: ContextValueType; label: string; hint: string }> = [
  { value: 'binary', label: 'Yes or no', hint: 'sent as 1 or 0, e.g. returning visitor' },
  { value: 'real-valued', label: 'A number', hint: 'e.g. age, or visits this month' },
];

export function ContextsStep({ state, dispatch, errorFor, touch }: StepProps) {
  const count = state.contexts.length;
  const previous = useRef(count);
  const list = useRef<HTMLOListElement>(null);
  // After "Add context", the new context's name is where the user types next.
  useEffect(() => {
    if (count > previous.current) list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus();
    previous.current = count;
  }, [count]);

  return (
    <div className="stack">
      <ol className="arm-list" ref={list}>
        {state.contexts.map((c, i) => (
          <li key={c.key}>
            <fieldset className="fieldset">
              <legend>Context {i + 1}</legend>
              <div className="arm-fields">
                <TextField
                  label={`Name of context ${i + 1}`}
                  required
                  maxLength={100}
                  value={c.name}
                  placeholder={i === 0 ? 'e.g. returning_visitor' : undefined}
                  onChange={(e) => dispatch({ type: 'context_update', key: c.key, patch: { name: e.target.value } })}
                  onBlur={() => touch(`contexts.${i}.context_name`)}
                  error={errorFor(`contexts.${i}.context_name`)}
                />
                <TextField
                  label={`Description of context ${i + 1}`}
                  maxLength={2000}
                  value={c.description}
                  onChange={(e) => dispatch({ type: 'context_update', key: c.key, patch: { description: e.target.value } })}
                  onBlur={() => touch(`contexts.${i}.context_description`)}
                  error={errorFor(`contexts.${i}.context_description`)}
                  placeholder="What it means and where your backend gets it"
                />
              </div>
              <fieldset className="fieldset context-type">
                <legend>Value of context {i + 1}</legend>
                <div className="choice-inline">
                  {VALUE_TYPES.map((t) => (
                    <label key={t.value} className="radio-row">
                      <input
                        type="radio"
                        name={`context-type-${c.key}`}
                        checked={c.valueType === t.value}
                        onChange={() => dispatch({ type: 'context_update', key: c.key, patch: { valueType: t.value } })}
                      />
                      <span>
                        {t.label} <span className="muted small">({t.hint})</span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <div className="arm-actions">
                <Button size="small" variant="ghost" disabled={count <= 1} onClick={() => dispatch({ type: 'context_remove', key: c.key })} aria-label={`Remove context ${i + 1}${c.name ? ` (${c.name})` : ''}`}>
                  Remove
                </Button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="row">
        <Button onClick={() => dispatch({ type: 'context_add' })} disabled={count >= MAX_CONTEXTS}>
          Add context
        </Button>
        <span className="muted small">
          {count >= MAX_CONTEXTS ? `That is the most a bandit can have (${MAX_CONTEXTS}).` : count <= 1 ? 'A contextual bandit needs at least one context.' : `${count} contexts.`}
        </span>
      </div>
      <FieldError>{errorFor('contexts')}</FieldError>
      <p className="field-hint">Each time your backend asks for a participant’s arm, it sends one value per context, named by the context id Equipoise gives it on creation. Fewer, well-chosen contexts learn faster.</p>
    </div>
  );
}
