/**
 * Step 3 of a bandit: the datasource. A plain or contextual bandit needs no warehouse, so every datasource
 * is offered and the organization's "API only" one is proposed (the datasource decides which API keys can
 * call the bandit). A warehouse bandit needs a warehouse table, the column that identifies participants and
 * the column the outcome is read from; that column's type fixes the type of outcome. The table and id come
 * from a participant type when the datasource has one (proposed, like for A/B tests), or are chosen one by
 * one from the warehouse's tables.
 */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Callout, EmptyState, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { SelectField } from '../../../ui/Field.tsx';
import { rewardTypeOfColumn } from './bandit-spec.ts';
import { DatasourceChoice } from './DatasourceChoice.tsx';
import { ID_TYPES, METRIC_TYPES, suggestedUniqueId, typeLabel, uniqueIdOf } from './catalog.ts';
import { OutcomeColumnField } from './OutcomeColumnField.tsx';
import type { DatasourceChoices } from './ParticipantsStep.tsx';
import { ParticipantTypeSelect } from './ParticipantTypeSelect.tsx';
import { SourceModeChoice } from './SourceModeChoice.tsx';
import type { StepProps } from './StepFrame.tsx';
import type { CatalogState } from './useCatalog.ts';

export function BanditSourceStep({ state, dispatch, errorFor, catalog, datasources, sources }: StepProps & { datasources: DatasourceChoices; sources: CatalogState }) {
  const s = state.source;
  const dwh = state.kind === 'mab_online_dwh';
  const byType = dwh && s.mode === 'participant_type';
  const all = datasources.items ?? [];
  const offered = dwh ? all.filter((d) => d.driver !== 'none') : all;
  // Proposed: the only warehouse for a warehouse bandit; otherwise the "API only" datasource.
  const proposed = dwh ? (offered.length === 1 ? offered[0] : undefined) : (offered.find((d) => d.driver === 'none') ?? (offered.length === 1 ? offered[0] : undefined));
  const types = sources.types.data?.items;
  const chosenType = sources.chosenType;
  const typeKey = chosenType ? (uniqueIdOf(chosenType) ?? '') : '';
  const tables = sources.tables.data?.tables ?? [];
  const table = sources.table.data;
  const suggestedId = !byType && table ? suggestedUniqueId(table) : '';
  const target = state.bandit.targetField;

  useEffect(() => {
    if (!s.datasourceId && proposed) dispatch({ type: 'source', patch: { datasourceId: proposed.id, mode: 'participant_type' } });
  }, [s.datasourceId, proposed, dispatch]);
  // A warehouse without participant types has nothing to propose: its tables are offered instead.
  useEffect(() => {
    if (byType && types?.length === 0) dispatch({ type: 'source', patch: { mode: 'table' } });
  }, [byType, types, dispatch]);
  // The type names the table and id; kept in step, should the type have been edited since it was chosen.
  useEffect(() => {
    if (byType && chosenType && (s.tableName !== chosenType.table_name || s.primaryKey !== typeKey)) {
      dispatch({ type: 'source', patch: { tableName: chosenType.table_name, primaryKey: typeKey } });
    }
  }, [byType, chosenType, typeKey, s.tableName, s.primaryKey, dispatch]);
  useEffect(() => {
    if (dwh && s.mode === 'table' && s.datasourceId && !s.tableName && tables.length === 1) dispatch({ type: 'source', patch: { tableName: tables[0]! } });
  }, [dwh, s.mode, s.datasourceId, s.tableName, tables, dispatch]);
  useEffect(() => {
    if (dwh && s.mode === 'table' && s.tableName && !s.primaryKey && suggestedId) dispatch({ type: 'source', patch: { primaryKey: suggestedId } });
  }, [dwh, s.mode, s.tableName, s.primaryKey, suggestedId, dispatch]);
  // The outcome type follows the column (also after a reload, should the column's type have changed).
  const fixedReward = rewardTypeOfColumn(catalog, target);
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
  const tableOutcomes = columns.filter((f) => METRIC_TYPES.has(f.data_type) && f.field_name !== s.primaryKey).map((f) => ({ name: f.field_name, type: f.data_type, description: f.description }));
  const marksMetrics = chosenType?.fields.some((f) => f.is_metric && catalog?.metrics.some((m) => m.name === f.field_name)) ?? false;
  // Both ways read the table's columns; while they load or when they fail, this stands in for the fields.
  const tableColumns = sources.table.isError ? (
    <ErrorCallout title="Could not read the table’s columns" error={sources.table.error} onRetry={() => void sources.table.refetch()} />
  ) : (
    <Loading label="Reading the table’s columns…" />
  );
  return (
    <div className="stack">
      <DatasourceChoice
        datasources={offered}
        selectedId={s.datasourceId}
        onSelect={(id) => dispatch({ type: 'source', patch: { datasourceId: id, mode: 'participant_type' } })}
        error={errorFor('datasource')}
        hint={
          dwh
            ? 'The warehouse whose table holds the outcomes. Your backend calls the bandit with an API key of this datasource.'
            : 'Your backend calls the bandit with an API key of this datasource. “API only” needs no warehouse: your backend reports every outcome.'
        }
      />

      {dwh && s.datasourceId && (types?.length || sources.types.isError) ? (
        <SourceModeChoice
          mode={s.mode}
          onChange={(mode) => dispatch({ type: 'source', patch: { mode } })}
          notes={{ participant_type: 'recommended: its table and unique id, with the fields it marks as metrics as outcomes', table: 'every yes/no or number column can be the outcome' }}
        />
      ) : null}

      {byType && s.datasourceId && types?.length !== 0 && (
        <div className="bandit-source-fields">
          <ParticipantTypeSelect
            datasourceId={s.datasourceId}
            types={sources.types}
            value={s.participantType}
            onChoose={(t) => dispatch({ type: 'source', patch: { participantType: t.participant_type, tableName: t.table_name, primaryKey: uniqueIdOf(t) ?? '' } })}
            error={errorFor('participant_type') ?? errorFor('table_name') ?? errorFor('primary_key')}
            hint={!chosenType ? 'Its table holds the outcomes.' : typeKey ? `Table ${chosenType.table_name}, identified by ${typeKey}.` : `Table ${chosenType.table_name}, with no unique id field yet.`}
          />
          {chosenType &&
            (catalog ? (
              <OutcomeColumnField
                columns={catalog.metrics}
                value={target}
                dispatch={dispatch}
                error={errorFor('target_field_name')}
                offeredWords={marksMetrics ? `The fields ${chosenType.participant_type} marks as metrics.` : `The yes/no and number columns of ${chosenType.table_name}.`}
              />
            ) : (
              tableColumns
            ))}
        </div>
      )}

      {dwh && s.datasourceId && s.mode === 'table' && (
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
              onChange={(e) => dispatch({ type: 'source', patch: { tableName: e.target.value, primaryKey: '' } })}
              error={errorFor('table_name')}
              options={[{ value: '', label: 'Choose a table…', disabled: true }, ...tables.map((t) => ({ value: t, label: t }))]}
            />
          )}
          {s.tableName &&
            (table ? (
              <>
                <SelectField
                  label="Unique id column"
                  required
                  value={s.primaryKey}
                  onChange={(e) => dispatch({ type: 'source', patch: { primaryKey: e.target.value } })}
                  error={errorFor('primary_key')}
                  hint={s.primaryKey && s.primaryKey === suggestedId ? 'Proposed from the table’s primary key or unique values.' : 'The column your backend uses to name a participant.'}
                  options={[{ value: '', label: 'Choose a column…', disabled: true }, ...idColumns.map((f) => ({ value: f.field_name, label: `${f.field_name} (${typeLabel(f.data_type)})` }))]}
                />
                <OutcomeColumnField columns={tableOutcomes} value={target} dispatch={dispatch} error={errorFor('target_field_name')} />
              </>
            ) : (
              tableColumns
            ))}
        </div>
      )}
    </div>
  );
}
