/** Step 6 (preassigned only): the fields whose mix every arm should share. */
import { CheckboxField, FieldError } from '../../../ui/Field.tsx';
import { typeLabel } from './catalog.ts';
import type { StepProps } from './StepFrame.tsx';

export function StrataStep({ state, dispatch, errorFor, catalog }: StepProps) {
  const fields = catalog?.strata ?? [];
  return (
    <div className="stack">
      {fields.length === 0 ? (
        <p className="muted">These participants have no fields to stratify on; the arms are still balanced on the metrics.</p>
      ) : (
        <fieldset className="fieldset">
          <legend>Stratify on</legend>
          <div className="choice-list">
            {fields.map((f) => (
              <CheckboxField
                key={f.name}
                label={
                  <>
                    <code>{f.name}</code> <span className="muted small">({typeLabel(f.type)})</span>
                  </>
                }
                aria-label={f.name}
                hint={f.description || undefined}
                checked={state.strata.includes(f.name)}
                onChange={() => dispatch({ type: 'stratum_toggle', field: f.name })}
              />
            ))}
          </div>
        </fieldset>
      )}
      {state.strata.map((name, i) => {
        const problem = errorFor(`strata.${i}.field_name`) ?? (fields.some((f) => f.name === name) ? undefined : `'${name}' is not a field of these participants.`);
        return problem ? (
          <div key={name} className="field-error" role="alert">
            {problem}{' '}
            <button type="button" className="link-button" onClick={() => dispatch({ type: 'stratum_toggle', field: name })}>
              Remove {name}
            </button>
          </div>
        ) : null;
      })}
      <FieldError>{errorFor('strata')}</FieldError>
      <p className="field-hint">
        {state.strata.length === 0 ? 'No strata chosen.' : `${state.strata.length} chosen: ${state.strata.join(', ')}.`} Few strata with few values each work best; a
        stratum with many distinct values splits participants into tiny groups.
      </p>
    </div>
  );
}
