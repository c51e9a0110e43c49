/**
 * A warehouse bandit's outcome column: the yes/no and number columns on offer, and in the hint what the
 * chosen one means (its description, when the participant type gives one) and the type of outcome it fixes.
 */
import { SelectField } from '../../../ui/Field.tsx';
import type { ColumnType } from '../api-types.ts';
import { typeLabel } from './catalog.ts';
import type { StepProps } from './StepFrame.tsx';

export interface OutcomeColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function OutcomeColumnField({
  columns,
  value,
  dispatch,
  error,
  offeredWords = 'The yes/no or number column that says how each participant did.',
}: {
  columns: readonly OutcomeColumn[];
  value: string;
  dispatch: StepProps['dispatch'];
  error: string | undefined;
  /** What the list holds, said before a column is chosen. */
  offeredWords?: string;
}) {
  const chosen = columns.find((c) => c.name === value);
  const typeWords = !chosen
    ? `${offeredWords} Its type decides the type of outcome.`
    : chosen.type === 'boolean'
      ? 'A yes/no column: each outcome is a success or a failure.'
      : 'A number column: each outcome is a number, and higher is better.';
  return (
    <SelectField
      label="Outcome column"
      required
      value={value}
      onChange={(e) => {
        const column = columns.find((c) => c.name === e.target.value);
        dispatch({ type: 'bandit', patch: { targetField: e.target.value, ...(column ? { rewardType: column.type === 'boolean' ? 'binary' : 'real-valued' } : {}) } });
      }}
      error={error}
      hint={chosen?.description ? `${sentence(chosen.description)} ${typeWords}` : typeWords}
      options={[
        { value: '', label: columns.length === 0 ? 'This table has no yes/no or number column' : 'Choose a column…', disabled: true },
        ...columns.map((c) => ({ value: c.name, label: `${c.name} (${typeLabel(c.type)})` })),
      ]}
    />
  );
}
