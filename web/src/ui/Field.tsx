/**
 * Labelled form controls with their hint and error wired up for screen readers (`aria-describedby`,
 * `aria-invalid`), so a server-side 422 naming a field shows next to that field.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrameProps {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly required?: boolean | undefined;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Frame({ id, label, hint, error, required, children }: FieldFrameProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {children}
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** A problem announced where it belongs (under a field, a group or a list); nothing when there is none. */
export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {children}
    </div>
  );
}

export type TextFieldProps = FieldFrameProps & InputHTMLAttributes<HTMLInputElement>;

export function TextField({ label, hint, error, required, id, ...input }: TextFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <Frame id={fid} label={label} hint={hint} error={error} required={required}>
      <input id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, hint, error)} {...input} />
    </Frame>
  );
}

export type TextAreaFieldProps = FieldFrameProps & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextAreaField({ label, hint, error, required, id, ...input }: TextAreaFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <Frame id={fid} label={label} hint={hint} error={error} required={required}>
      <textarea id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, hint, error)} {...input} />
    </Frame>
  );
}

export type SelectFieldProps = FieldFrameProps & SelectHTMLAttributes<HTMLSelectElement> & { readonly options: ReadonlyArray<{ value: string; label: string; disabled?: boolean }> };

export function SelectField({ label, hint, error, required, id, options, ...select }: SelectFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <Frame id={fid} label={label} hint={hint} error={error} required={required}>
      <select id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, hint, error)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function CheckboxField({ label, hint, id, ...input }: { label: ReactNode; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field field-checkbox">
      <input id={fid} type="checkbox" aria-describedby={hint ? `${fid}-hint` : undefined} {...input} />
      <label htmlFor={fid}>{label}</label>
      {hint && (
        <div id={`${fid}-hint`} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}
