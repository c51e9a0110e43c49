/** The wizard's datasource radio list (A/B participants step and bandit source step): one Tab stop, arrows choose. */
import type { ReactNode } from 'react';
import { driverLabel } from '../../../api/drivers.ts';
import type { DatasourceSummary } from '../api-types.ts';
import { FieldError } from '../../../ui/Field.tsx';

export function DatasourceChoice({
  datasources,
  selectedId,
  onSelect,
  error,
  hint,
}: {
  datasources: readonly DatasourceSummary[];
  selectedId: string;
  onSelect: (id: string) => void;
  error: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <fieldset className="fieldset">
      <legend>Datasource</legend>
      {hint && <p className="field-hint">{hint}</p>}
      <div className="choice-list">
        {datasources.map((d) => (
          <label key={d.id} className="radio-row">
            <input type="radio" name="datasource" checked={selectedId === d.id} onChange={() => onSelect(d.id)} />
            <span>
              {d.name} <span className="muted small">({driverLabel(d.driver)})</span>
            </span>
          </label>
        ))}
      </div>
      <FieldError>{error}</FieldError>
    </fieldset>
  );
}
