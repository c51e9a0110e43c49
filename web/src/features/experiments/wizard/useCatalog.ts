/**
 * Loads what the chosen participants offer (participant types, tables, fields) and turns it into the
 * `FieldCatalog` the later steps and the validation use.
 */
import { useMemo } from 'react';
import { useParticipantTypeInspection, useParticipantTypes, useTableInspection, useTables } from '../queries.ts';
import { catalogFromParticipantType, catalogFromTable, type FieldCatalog } from './catalog.ts';
import type { Source } from './state.ts';

export function useCatalog(source: Source) {
  const types = useParticipantTypes(source.datasourceId);
  const byType = source.mode === 'participant_type';
  const chosenType = byType ? types.data?.items.find((t) => t.participant_type === source.participantType) : undefined;
  const inspection = useParticipantTypeInspection(source.datasourceId, byType && chosenType ? source.participantType : '');
  const tables = useTables(source.datasourceId, !byType);
  const table = useTableInspection(source.datasourceId, byType ? '' : source.tableName);

  const catalog = useMemo<FieldCatalog | null>(() => {
    if (byType) return chosenType && inspection.data ? catalogFromParticipantType(chosenType, inspection.data) : null;
    return table.data && source.primaryKey ? catalogFromTable(table.data, source.primaryKey) : null;
  }, [byType, chosenType, inspection.data, table.data, source.primaryKey]);

  const fieldsQuery = byType ? inspection : table;
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
