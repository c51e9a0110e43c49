/**
 * A labelled group of native radio buttons (a fieldset with a legend): arrow keys move the choice, Tab
 * leaves the group, and each option can carry a hint that screen readers read with it.
 */
import { useId, type ReactNode } from 'react';

export interface RadioOption<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly disabled?: boolean;
}

export function RadioGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  inline = false,
  error,
}: {
  legend: ReactNode;
  options: ReadonlyArray<RadioOption<T>>;
  value: T;
  onChange: (value: T) => void;
  inline?: boolean;
  error?: string | undefined;
}) {
  const name = useId();
  return (
    <fieldset className={`radio-group${inline ? ' radio-group-inline' : ''}${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="radio-options">
        {options.map((o) => (
          <label key={o.value} className={`radio-option${value === o.value ? ' radio-option-checked' : ''}`}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              disabled={o.disabled}
              // Named by the label alone; the hint is its description, not part of its name.
              aria-labelledby={`${name}-${o.value}-label`}
              aria-describedby={o.hint ? `${name}-${o.value}-hint` : undefined}
              onChange={() => onChange(o.value)}
            />
            <span className="radio-text">
              <span id={`${name}-${o.value}-label`} className="radio-label">
                {o.label}
              </span>
              {o.hint && (
                <span id={`${name}-${o.value}-hint`} className="field-hint">
                  {o.hint}
                </span>
              )}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <div id={`${name}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}
