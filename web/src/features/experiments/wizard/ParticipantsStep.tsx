/**
 * Step 3: who can take part. A datasource with a warehouse, then either one of its participant types
 * (curated fields with descriptions: the recommended way) or a table and the column that identifies each
 * participant. A single datasource or participant type is chosen for the user, visibly; a unique id is
 * proposed from the table's primary key and says where it came from.
 */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { SelectField } from '../../../ui/Field.tsx';
import type { DatasourceSummary } from '../api-types.ts';
import { DatasourceChoice } from './DatasourceChoice.tsx';
import { ID_TYPES, suggestedUniqueId, typeLabel } from './catalog.ts';
import { ParticipantTypeSelect } from './ParticipantTypeSelect.tsx';
import { SourceModeChoice } from './SourceModeChoice.tsx';
import type { StepProps } from './StepFrame.tsx';
import type { CatalogState } from './useCatalog.ts';

export interface DatasourceChoices {
  readonly items: readonly DatasourceSummary[] | undefined;
  readonly loading: boolean;
  readonly error: unknown;
  readonly retry: () => void;
}

export function ParticipantsStep({ state, dispatch, errorFor, catalog, datasources, sources }: StepProps & { datasources: DatasourceChoices; sources: CatalogState }) {
  const s = state.source;
  // Experiments sample and check power against a warehouse; the API-only datasource has none.
  const warehouses = (datasources.items ?? []).filter((d) => d.driver !== 'none');
  const only = warehouses.length === 1 ? warehouses[0] : undefined;

  useEffect(() => {
    if (!s.datasourceId && only) dispatch({ type: 'source', patch: { datasourceId: only.id } });
  }, [s.datasourceId, only, dispatch]);
  const suggested = sources.table.data ? suggestedUniqueId(sources.table.data) : '';
  useEffect(() => {
    if (s.mode === 'table' && s.tableName && !s.primaryKey && suggested) dispatch({ type: 'source', patch: { primaryKey: suggested } });
  }, [s.mode, s.tableName, s.primaryKey, suggested, dispatch]);

  if (datasources.loading) return <Loading label="Loading your datasources…" />;
  if (datasources.error) return <ErrorCallout title="Could not load your datasources" error={datasources.error} onRetry={datasources.retry} />;
  if (warehouses.length === 0) {
    return (
      <EmptyState title="No datasource with a warehouse yet" action={<Link to="/datasources">Add a datasource</Link>}>
        Experiments draw their participants from a data warehouse. Add one (DuckDB, PostgreSQL, MariaDB/MySQL, Redshift or BigQuery), then come back: this
        design is kept.
      </EmptyState>
    );
  }

  const idColumns = (sources.table.data?.fields ?? []).filter((f) => ID_TYPES.has(f.data_type));
  return (
    <div className="stack">
      <DatasourceChoice
        datasources={warehouses}
        selectedId={s.datasourceId}
        onSelect={(id) => dispatch({ type: 'source', patch: { datasourceId: id } })}
        error={errorFor('datasource')}
      />

      {s.datasourceId && (
        <SourceModeChoice
          mode={s.mode}
          onChange={(mode) => dispatch({ type: 'source', patch: { mode } })}
          notes={{ participant_type: 'recommended: chosen fields with descriptions and example values', table: 'every column of the table is offered' }}
        />
      )}

      {s.datasourceId && s.mode === 'participant_type' && (
        <ParticipantTypeSelect
          datasourceId={s.datasourceId}
          types={sources.types}
          value={s.participantType}
          onChoose={(t) => dispatch({ type: 'source', patch: { participantType: t.participant_type } })}
          error={errorFor('participant_type')}
          hint={sources.chosenType ? `Table ${sources.chosenType.table_name}` : undefined}
        />
      )}

      {s.datasourceId && s.mode === 'table' && (
        <div className="grid-2">
          {sources.tables.isPending ? (
            <Loading label="Reading the warehouse’s tables…" />
          ) : sources.tables.isError ? (
            <ErrorCallout title="Could not read the warehouse’s tables" error={sources.tables.error} onRetry={() => void sources.tables.refetch()} />
          ) : (
            <SelectField
              label="Table"
              required
              value={s.tableName}
              onChange={(e) => dispatch({ type: 'source', patch: { tableName: e.target.value, primaryKey: '' } })}
              error={errorFor('table_name')}
              options={[{ value: '', label: 'Choose a table…', disabled: true }, ...(sources.tables.data?.tables ?? []).map((t) => ({ value: t, label: t }))]}
            />
          )}
          {s.tableName &&
            (sources.table.isPending ? (
              <Loading label="Reading the table’s columns…" />
            ) : sources.table.isError ? (
              <ErrorCallout title="Could not read the table’s columns" error={sources.table.error} onRetry={() => void sources.table.refetch()} />
            ) : (
              <SelectField
                label="Unique id column"
                required
                value={s.primaryKey}
                onChange={(e) => dispatch({ type: 'source', patch: { primaryKey: e.target.value } })}
                error={errorFor('primary_key')}
                hint={
                  s.primaryKey && s.primaryKey === suggested
                    ? sources.table.data?.primary_key_fields.includes(s.primaryKey)
                      ? 'Proposed because it is the table’s primary key.'
                      : 'Proposed because its values are unique in the table.'
                    : 'The column your backend uses to ask for a participant’s arm.'
                }
                options={[{ value: '', label: 'Choose a column…', disabled: true }, ...idColumns.map((f) => ({ value: f.field_name, label: `${f.field_name} (${typeLabel(f.data_type)})` }))]}
              />
            ))}
        </div>
      )}

      {errorFor('table_name') && s.mode === 'participant_type' && (
        <div className="field-error" role="alert">
          {errorFor('table_name')}
        </div>
      )}
      {errorFor('primary_key') && s.mode === 'participant_type' && (
        <div className="field-error" role="alert">
          {errorFor('primary_key')}
        </div>
      )}

      {sources.fieldsLoading && <Loading label="Loading the fields…" />}
      {sources.fieldsError != null && <ErrorCallout title="Could not load the fields of these participants" error={sources.fieldsError} onRetry={sources.retryFields} />}
      {catalog && (
        <details className="catalog-summary">
          <summary>
            {catalog.filters.length} fields to filter on, {catalog.metrics.length} possible metrics, {catalog.strata.length} possible strata (unique id: {catalog.primaryKey || 'none'})
          </summary>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Type</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {[...new Map([...catalog.filters, ...catalog.metrics, ...catalog.strata].map((f) => [f.name, f])).values()]
                  .sort((a, b) => a.name.localeCompare(b.name))
                  .map((f) => (
                    <tr key={f.name}>
                      <td>
                        <code>{f.name}</code>
                      </td>
                      <td>{typeLabel(f.type)}</td>
                      <td>{f.description || <span className="muted">—</span>}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {state.filters.length + state.metrics.length + state.strata.length > 0 && (
        <p className="field-hint">Choosing other participants clears the filters, strata and metrics chosen so far, because they name columns of this table.</p>
      )}
    </div>
  );
}
