/**
 * Step 3 of a bandit: the datasource. A plain or contextual bandit needs no warehouse, so every datasource
 * is offered and the organization's "API only" one is proposed (the datasource decides which API keys can
 * call the bandit). A warehouse bandit needs a warehouse table, the column that identifies participants and
 * the column the outcome is read from; that column's type fixes the type of outcome.
 */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Callout, EmptyState, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { SelectField } from '../../../ui/Field.tsx';
import { rewardTypeOfColumn } from './bandit-spec.ts';
import { DatasourceChoice } from './DatasourceChoice.tsx';
import { ID_TYPES, METRIC_TYPES, suggestedUniqueId, typeLabel } from './catalog.ts';
import type { DatasourceChoices } from './ParticipantsStep.tsx';
import type { StepProps } from './StepFrame.tsx';
import type { CatalogState } from './useCatalog.ts';

export function BanditSourceStep({ state, dispatch, errorFor, catalog, datasources, sources }: StepProps & { datasources: DatasourceChoices; sources: CatalogState }) {
  const s = state.source;
  const dwh = state.kind === 'mab_online_dwh';
  const all = datasources.items ?? [];
  const offered = dwh ? all.filter((d) => d.driver !== 'none') : all;
  // Proposed: the only warehouse for a warehouse bandit; otherwise the "API only" datasource.
  const proposed = dwh ? (offered.length === 1 ? offered[0] : undefined) : (offered.find((d) => d.driver === 'none') ?? (offered.length === 1 ? offered[0] : undefined));
  const tables = sources.tables.data?.tables ?? [];
  const table = sources.table.data;
  const suggestedId = table ? suggestedUniqueId(table) : '';
  const target = state.bandit.targetField;
  const fixedReward = rewardTypeOfColumn(catalog, target);

  useEffect(() => {
    if (!s.datasourceId && proposed) dispatch({ type: 'source', patch: { datasourceId: proposed.id, mode: dwh ? 'table' : 'participant_type' } });
  }, [s.datasourceId, proposed, dwh, dispatch]);
  useEffect(() => {
    if (dwh && s.datasourceId && !s.tableName && tables.length === 1) dispatch({ type: 'source', patch: { mode: 'table', tableName: tables[0]! } });
  }, [dwh, s.datasourceId, s.tableName, tables, dispatch]);
  useEffect(() => {
    if (dwh && s.tableName && !s.primaryKey && suggestedId) dispatch({ type: 'source', patch: { primaryKey: suggestedId } });
  }, [dwh, s.tableName, s.primaryKey, suggestedId, dispatch]);
  // The outcome type follows the column (also after a reload, should the column's type have changed).
  useEffect(() => {
    if (dwh && fixedReward && fixedReward !== state.bandit.rewardType) dispatch({ type: 'bandit', patch: { rewardType: fixedReward } });
  }, [dwh, fixedReward, state.bandit.rewardType, dispatch]);

  if (datasources.loading) return <Loading label="Loading your datasources…" />;
  if (datasources.error) return <ErrorCallout title="Could not load your datasources" error={datasources.error} onRetry={datasources.retry} />;
  if (offered.length === 0) {
    return dwh ? (
      <EmptyState title="No datasource with a warehouse yet" action={<Link to="/datasources">Add a datasource</Link>}>
        A bandit with warehouse outcomes reads them from a warehouse table. Add one, or go back and pick a multi-armed bandit, which needs no warehouse. This design is
        kept.
      </EmptyState>
    ) : (
      <EmptyState title="No datasource found" action={<Link to="/datasources">Open datasources</Link>}>
        Every organization has an “API only” datasource; if it is missing, ask your administrator to restore it.
      </EmptyState>
    );
  }

  const columns = table?.fields ?? [];
  const idColumns = columns.filter((f) => ID_TYPES.has(f.data_type));
  const outcomeColumns = columns.filter((f) => METRIC_TYPES.has(f.data_type) && f.field_name !== s.primaryKey);
  return (
    <div className="stack">
      <DatasourceChoice
        datasources={offered}
        selectedId={s.datasourceId}
        onSelect={(id) => dispatch({ type: 'source', patch: { datasourceId: id, mode: dwh ? 'table' : 'participant_type' } })}
        error={errorFor('datasource')}
        hint={
          dwh
            ? 'The warehouse whose table holds the outcomes. Your backend calls the bandit with an API key of this datasource.'
            : 'Your backend calls the bandit with an API key of this datasource. “API only” needs no warehouse: your backend reports every outcome.'
        }
      />

      {dwh && s.datasourceId && (
        <div className="bandit-source-fields">
          {sources.tables.isPending ? (
            <Loading label="Reading the warehouse’s tables…" />
          ) : sources.tables.isError ? (
            <ErrorCallout title="Could not read the warehouse’s tables" error={sources.tables.error} onRetry={() => void sources.tables.refetch()} />
          ) : tables.length === 0 ? (
            <Callout tone="info" title="This warehouse has no tables">
              <p>Pick another datasource, or add the table with the outcomes to this warehouse.</p>
            </Callout>
          ) : (
            <SelectField
              label="Table"
              required
              value={s.tableName}
              onChange={(e) => dispatch({ type: 'source', patch: { mode: 'table', tableName: e.target.value, primaryKey: '' } })}
              error={errorFor('table_name')}
              options={[{ value: '', label: 'Choose a table…', disabled: true }, ...tables.map((t) => ({ value: t, label: t }))]}
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
                hint={s.primaryKey && s.primaryKey === suggestedId ? 'Proposed from the table’s primary key or unique values.' : 'The column your backend uses to name a participant.'}
                options={[{ value: '', label: 'Choose a column…', disabled: true }, ...idColumns.map((f) => ({ value: f.field_name, label: `${f.field_name} (${typeLabel(f.data_type)})` }))]}
              />
            ))}
          {table && s.tableName && (
            <SelectField
              label="Outcome column"
              required
              value={target}
              onChange={(e) => {
                const column = columns.find((f) => f.field_name === e.target.value);
                dispatch({ type: 'bandit', patch: { targetField: e.target.value, ...(column ? { rewardType: column.data_type === 'boolean' ? 'binary' : 'real-valued' } : {}) } });
              }}
              error={errorFor('target_field_name')}
              hint={
                fixedReward === 'binary'
                  ? 'A yes/no column: each outcome is a success or a failure.'
                  : fixedReward === 'real-valued'
                    ? 'A number column: each outcome is a number, and higher is better.'
                    : 'The yes/no or number column that says how each participant did. Its type decides the type of outcome.'
              }
              options={[
                { value: '', label: outcomeColumns.length === 0 ? 'This table has no yes/no or number column' : 'Choose a column…', disabled: true },
                ...outcomeColumns.map((f) => ({ value: f.field_name, label: `${f.field_name} (${typeLabel(f.data_type)})` })),
              ]}
            />
          )}
        </div>
      )}
    </div>
  );
}
