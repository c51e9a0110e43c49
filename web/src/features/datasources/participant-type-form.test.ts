/** The participant-type editor's rules: the starting guess, what survives a table change, one unique id, metrics only on numbers, and drift in words. */
import { describe, expect, it } from 'vitest';
import type { TableColumns } from './api.ts';
import { checkTypeForm, describeDrift, fieldsPayload, rowsForNewType, rowsForTable, rowsFromDefinition, setFlag } from './participant-type-form.ts';

const learners: TableColumns = {
  table_name: 'learners',
  primary_key_fields: ['learner_id'],
  detected_unique_id_fields: ['learner_id', 'school_id'],
  fields: [
    { field_name: 'learner_id', data_type: 'string', description: '' },
    { field_name: 'region', data_type: 'string', description: 'Where they live' },
    { field_name: 'score', data_type: 'float', description: '' },
    { field_name: 'done', data_type: 'boolean', description: '' },
  ],
  unsupported_fields: [],
};

describe('participant-type rows', () => {
  it('start with the one-column primary key as the unique id and nothing else marked', () => {
    const rows = rowsForNewType(learners);
    expect(rows.filter((r) => r.is_unique_id).map((r) => r.field_name)).toEqual(['learner_id']);
    expect(rows.some((r) => r.is_filter || r.is_strata || r.is_metric)).toBe(false);
    expect(rows.find((r) => r.field_name === 'region')?.description).toBe('Where they live');
    expect(rowsForNewType({ ...learners, primary_key_fields: ['a', 'b'] }).some((r) => r.is_unique_id)).toBe(false);
  });

  it('keep one unique id: choosing another clears the first', () => {
    const rows = setFlag(rowsForNewType(learners), 'region', 'is_unique_id', true);
    expect(rows.filter((r) => r.is_unique_id).map((r) => r.field_name)).toEqual(['region']);
    expect(setFlag(rows, 'score', 'is_metric', true).find((r) => r.field_name === 'score')?.is_metric).toBe(true);
  });

  it('carry annotations to another table by column name, dropping metrics that no longer fit', () => {
    let rows = rowsForNewType(learners);
    rows = setFlag(setFlag(setFlag(rows, 'region', 'is_filter', true), 'score', 'is_metric', true), 'region', 'is_unique_id', true);
    const other: TableColumns = {
      table_name: 'learners_v2',
      primary_key_fields: ['learner_id'],
      detected_unique_id_fields: [],
      fields: [
        { field_name: 'learner_id', data_type: 'string', description: '' },
        { field_name: 'region', data_type: 'string', description: '' },
        { field_name: 'score', data_type: 'string', description: '' },
      ],
      unsupported_fields: [],
    };
    const moved = rowsForTable(other, rows);
    expect(moved.map((r) => [r.field_name, r.is_unique_id, r.is_filter, r.is_metric, r.description])).toEqual([
      ['learner_id', false, false, false, ''],
      ['region', true, true, false, 'Where they live'],
      ['score', false, false, false, ''],
    ]);
  });

  it('are checked before saving: name, table, unique id, metric types', () => {
    expect(checkTypeForm('', '', [])).toEqual({ name: 'Give the participant type a name, e.g. “Learners”.', table: 'Choose the table that holds one row per participant.', byField: {} });
    const none = rowsForNewType({ ...learners, primary_key_fields: [] });
    expect(checkTypeForm('Learners', 'learners', none)?.fields).toBe('Choose the unique id: the column that tells participants apart.');
    const badMetric = setFlag(rowsForNewType(learners), 'region', 'is_metric', true);
    expect(checkTypeForm('Learners', 'learners', badMetric)?.byField).toEqual({ region: 'A string column cannot be a metric: metrics must be numbers or booleans.' });
    expect(checkTypeForm('Learners', 'learners', rowsForNewType(learners))).toBeNull();
  });

  it('send only marked or described columns', () => {
    const rows = setFlag(rowsForNewType(learners), 'done', 'is_metric', true);
    expect(fieldsPayload(rows).map((f) => f.field_name)).toEqual(['learner_id', 'region', 'done']);
  });

  it('read a saved definition, clearing a metric whose column is no longer numeric', () => {
    const rows = rowsFromDefinition({
      participant_type: 'L',
      table_name: 'learners',
      fields: [{ field_name: 'score', data_type: 'string', description: '', is_unique_id: false, is_filter: false, is_strata: false, is_metric: true }],
    });
    expect(rows[0]?.is_metric).toBe(false);
  });
});

describe('describeDrift', () => {
  it('says what changed and what to do', () => {
    expect(describeDrift({ type: 'table_deleted', table_name: 't' }).todo).toMatch(/Choose the table that replaced it/);
    expect(describeDrift({ type: 'column_deleted', table_name: 't', column_name: 'c' }).what).toBe('The column c is gone from t.');
    expect(describeDrift({ type: 'column_changed_type', table_name: 't', column_name: 'c', old_type: 'float', new_type: 'string' }).todo).toMatch(/no longer be a metric/);
    expect(describeDrift({ type: 'column_changed_type', table_name: 't', column_name: 'c', old_type: 'integer', new_type: 'bigint' }).todo).not.toMatch(/metric/);
  });
});
