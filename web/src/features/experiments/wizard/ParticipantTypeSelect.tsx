/**
 * The participant types of a datasource as a select, with their loading, error and empty states; the only
 * type is chosen for the user, visibly. Shared by the A/B participants step and the warehouse bandit's
 * datasource step, which differ in what choosing a type fills in.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Callout, ErrorCallout, Loading } from '../../../ui/Callout.tsx';
import { SelectField } from '../../../ui/Field.tsx';
import type { ParticipantType } from '../api-types.ts';

export function ParticipantTypeSelect({
  datasourceId,
  types,
  value,
  onChoose,
  error,
  hint,
}: {
  datasourceId: string;
  types: UseQueryResult<{ items: ParticipantType[] }>;
  value: string;
  onChoose: (type: ParticipantType) => void;
  error: string | undefined;
  hint?: string;
}) {
  const items = types.data?.items;
  const only = items?.length === 1 ? items[0] : undefined;
  useEffect(() => {
    if (!value && only) onChoose(only);
  }, [value, only, onChoose]);

  if (types.isPending) return <Loading label="Loading participant types…" />;
  if (types.isError) return <ErrorCallout title="Could not load the participant types" error={types.error} onRetry={() => void types.refetch()} />;
  if (!items || items.length === 0) {
    return (
      <Callout tone="info" title="This datasource has no participant types">
        <p>
          Use a table and its unique id instead, or <Link to={`/datasources/${encodeURIComponent(datasourceId)}/participant-types/new`}>define a participant type</Link> for this datasource.
        </p>
      </Callout>
    );
  }
  return (
    <SelectField
      label="Participant type"
      required
      value={value}
      onChange={(e) => {
        const chosen = items.find((t) => t.participant_type === e.target.value);
        if (chosen) onChoose(chosen);
      }}
      error={error}
      hint={hint}
      options={[{ value: '', label: 'Choose a participant type…', disabled: true }, ...items.map((t) => ({ value: t.participant_type, label: `${t.participant_type} (${t.table_name})` }))]}
    />
  );
}
