/**
 * Loads what the chosen participants offer (participant types, tables, fields) and turns it into the
 * `FieldCatalog` the later steps and the validation use. An A/B design reads a participant type through its
 * inspection (filters with their values, metrics, strata); a warehouse bandit on a participant type only
 * needs an outcome column, so it reads the type's table instead, which costs the warehouse no scan of values.
 */
import { useMemo } from 'react';
import { useParticipantTypeInspection, useParticipantTypes, useTableInspection, useTables } from '../queries.ts';
import { catalogFromParticipantType, catalogFromTable, outcomeCatalogFromParticipantType, type FieldCatalog } from './catalog.ts';
import type { Source } from './state.ts';

export type CatalogPurpose = 'design' | 'outcome';

export function useCatalog(source: Source, purpose: CatalogPurpose = 'design') {
  const types = useParticipantTypes(source.datasourceId);
  const byType = source.mode === 'participant_type';
  const chosenType = byType ? types.data?.items.find((t) => t.participant_type === source.participantType) : undefined;
  const inspectType = byType && purpose === 'design';
  const inspection = useParticipantTypeInspection(source.datasourceId, inspectType && chosenType ? source.participantType : '');
  const tables = useTables(source.datasourceId, !byType);
  const tableName = byType ? (purpose === 'outcome' ? (chosenType?.table_name ?? '') : '') : source.tableName;
  const table = useTableInspection(source.datasourceId, tableName);

  const catalog = useMemo<FieldCatalog | null>(() => {
    if (inspectType) return chosenType && inspection.data ? catalogFromParticipantType(chosenType, inspection.data) : null;
    if (byType) return chosenType && table.data ? outcomeCatalogFromParticipantType(chosenType, table.data) : null;
    return table.data && source.primaryKey ? catalogFromTable(table.data, source.primaryKey) : null;
  }, [inspectType, byType, chosenType, inspection.data, table.data, source.primaryKey]);

  const fieldsQuery = inspectType ? inspection : table;
  return {
    catalog,
    types,
    chosenType,
    tables,
    table,
    /** Loading or failing to load the fields of the chosen participants. */
    fieldsLoading: fieldsQuery.isFetching && !fieldsQuery.data,
    fieldsError: fieldsQuery.error,
    retryFields: () => void fieldsQuery.refetch(),
  };
}

export type CatalogState = ReturnType<typeof useCatalog>;
