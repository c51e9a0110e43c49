/**
 * Step 5: who is eligible. Each filter is a sentence — field, operator, value(s) — whose operators fit the
 * field's type (`filters.ts`); values come from the warehouse's list when it is known (checkboxes), else are
 * typed, one per line. Every value operator can also accept participants with no value.
 */
import { useEffect, useRef } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { CheckboxField, FieldError, SelectField, TextAreaField, TextField } from '../../../ui/Field.tsx';
import type { ColumnType, FilterScalar } from '../api-types.ts';
import { typeLabel, type CatalogField } from './catalog.ts';
import {
  defaultOperator,
  familyOf,
  filterValueProblems,
  listValues,
  operatorLabel,
  operatorsFor,
  takesValues,
  usesHigh,
  usesList,
  usesLow,
  type FilterOp,
  type WizardFilter,
} from './filters.ts';
import type { StepProps } from './StepFrame.tsx';
import { MAX_FILTERS } from './state.ts';

function inputTypeFor(type: ColumnType): string {
  if (type === 'date') return 'date';
  if (type === 'timestamp' || type === 'timestamptz') return 'datetime-local';
  if (type === 'integer' || type === 'float' || type === 'decimal') return 'number';
  return 'text';
}

function rangeHint(field: CatalogField): string | undefined {
  if (field.min === undefined || field.max === undefined || field.min === null || field.max === null) return undefined;
  return `Values range from ${String(field.min)} to ${String(field.max)}.`;
}

export function FiltersStep({ state, dispatch, errorFor, touch, catalog }: StepProps) {
  const count = state.filters.length;
  const previous = useRef(count);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (count > previous.current) list.current?.querySelector<HTMLSelectElement>('li:last-child select')?.focus();
    previous.current = count;
  }, [count]);
  const fields = catalog?.filters ?? [];

  return (
    <div className="stack">
      {errorFor('filters') && (
        <div className="callout callout-danger" role="alert">
          {errorFor('filters')}
        </div>
      )}
      {count === 0 ? (
        <p className="muted">No filters: everyone in the table is eligible. Add a filter to narrow it down.</p>
      ) : (
        <ol className="filter-list" ref={list}>
          {state.filters.map((f, i) => (
            <li key={f.key}>
              <FilterRow index={i} filter={f} fields={fields} dispatch={dispatch} errorFor={errorFor} touch={touch} />
            </li>
          ))}
        </ol>
      )}
      <div className="row">
        <Button onClick={() => dispatch({ type: 'filter_add' })} disabled={count >= MAX_FILTERS || fields.length === 0}>
          Add filter
        </Button>
        <span className="muted small">
          {fields.length === 0 ? 'These participants have no fields to filter on.' : count >= MAX_FILTERS ? `That is the most a design can have (${MAX_FILTERS}).` : 'Participants must match every filter.'}
        </span>
      </div>
    </div>
  );
}

function FilterRow({
  index,
  filter,
  fields,
  dispatch,
  errorFor,
  touch,
}: {
  index: number;
  filter: WizardFilter;
  fields: readonly CatalogField[];
  dispatch: StepProps['dispatch'];
  errorFor: StepProps['errorFor'];
  touch: StepProps['touch'];
}) {
  const n = index + 1;
  const field = fields.find((c) => c.name === filter.field);
  const type: ColumnType = field?.type ?? 'unsupported';
  const update = (patch: Partial<Omit<WizardFilter, 'key'>>) => dispatch({ type: 'filter_update', key: filter.key, patch });
  const valueKey = `filters.${index}.value`;
  const shownError = errorFor(valueKey);
  // Which of the value inputs the problem is about, so it shows next to that input.
  const local = field ? filterValueProblems(filter, type) : {};
  const errorAt = (part: 'values' | 'low' | 'high') => (shownError && local[part] ? local[part] : undefined);
  const serverOnly = shownError && !local.values && !local.low && !local.high ? shownError : undefined;
  const known = field?.distinctValues?.filter((v): v is Exclude<FilterScalar, null> => v !== null);
  const chosen = new Set(listValues(filter.values));

  return (
    <fieldset className="fieldset filter-row">
      <legend>Filter {n}</legend>
      <div className="filter-fields">
        <SelectField
          label={`Field of filter ${n}`}
          value={filter.field}
          onChange={(e) => {
            const next = fields.find((c) => c.name === e.target.value);
            update({ field: e.target.value, op: next ? defaultOperator(next.type) : 'one_of', values: '', low: '', high: '', bool: 'true', orNull: false });
          }}
          onBlur={() => touch(`filters.${index}.field_name`)}
          error={errorFor(`filters.${index}.field_name`)}
          hint={field?.description || undefined}
          options={[{ value: '', label: 'Choose a field…', disabled: true }, ...fields.map((c) => ({ value: c.name, label: `${c.name} (${typeLabel(c.type)})` }))]}
        />
        {field && (
          <SelectField
            label={`Operator of filter ${n}`}
            value={filter.op}
            onChange={(e) => update({ op: e.target.value as FilterOp })}
            error={errorFor(`filters.${index}.relation`)}
            options={operatorsFor(type).map((op) => ({ value: op, label: operatorLabel(op, type) }))}
          />
        )}
        {field && filter.op === 'is' && (
          <SelectField
            label={`Value of filter ${n}`}
            value={filter.bool}
            onChange={(e) => update({ bool: e.target.value as 'true' | 'false' })}
            options={[
              { value: 'true', label: 'true' },
              { value: 'false', label: 'false' },
            ]}
          />
        )}
      </div>

      {field && usesList(filter.op) &&
        (known && known.length > 0 && known.length <= 50 ? (
          <fieldset className="fieldset value-choices">
            <legend>Values of filter {n}</legend>
            <div className="choice-inline">
              {known.map((v) => (
                <CheckboxField
                  key={String(v)}
                  label={String(v)}
                  checked={chosen.has(String(v))}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(String(v));
                    else next.delete(String(v));
                    update({ values: known.map(String).filter((x) => next.has(x)).join('\n') });
                    touch(valueKey);
                  }}
                />
              ))}
            </div>
            <FieldError>{errorAt('values')}</FieldError>
          </fieldset>
        ) : (
          <TextAreaField
            label={`Values of filter ${n} (one per line)`}
            value={filter.values}
            rows={3}
            onChange={(e) => update({ values: e.target.value })}
            onBlur={() => touch(valueKey)}
            error={errorAt('values')}
            hint={type === 'date' ? 'Dates as YYYY-MM-DD.' : field.distinctValues ? undefined : rangeHint(field)}
          />
        ))}

      {field && (usesLow(filter.op) || usesHigh(filter.op)) && (
        <div className="grid-2">
          {usesLow(filter.op) && (
            <TextField
              label={familyOf(type) === 'date' ? `From (filter ${n})` : `Lowest value (filter ${n})`}
              type={inputTypeFor(type)}
              step="any"
              value={filter.low}
              onChange={(e) => update({ low: e.target.value })}
              onBlur={() => touch(valueKey)}
              error={errorAt('low')}
              hint={rangeHint(field)}
            />
          )}
          {usesHigh(filter.op) && (
            <TextField
              label={familyOf(type) === 'date' ? `Until (filter ${n})` : `Highest value (filter ${n})`}
              type={inputTypeFor(type)}
              step="any"
              value={filter.high}
              onChange={(e) => update({ high: e.target.value })}
              onBlur={() => touch(valueKey)}
              error={errorAt('high')}
              hint={usesLow(filter.op) ? 'Both bounds are included.' : rangeHint(field)}
            />
          )}
        </div>
      )}

      {field && takesValues(filter.op) && (
        <CheckboxField
          label={`Also include participants with no ${filter.field} value (filter ${n})`}
          checked={filter.orNull}
          onChange={(e) => update({ orNull: e.target.checked })}
        />
      )}
      <FieldError>{serverOnly}</FieldError>
      <div className="arm-actions">
        <Button size="small" variant="ghost" onClick={() => dispatch({ type: 'filter_remove', key: filter.key })} aria-label={`Remove filter ${n}${filter.field ? ` (${filter.field})` : ''}`}>
          Remove
        </Button>
      </div>
    </fieldset>
  );
}
