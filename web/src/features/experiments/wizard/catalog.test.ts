import { describe, expect, it } from 'vitest';
import type { TableInspection } from '../api-types.ts';
import { outcomeCatalogFromParticipantType } from './catalog.ts';
import { DEMO_TABLE, DEMO_TYPE } from './test-fixtures.ts';

/** The demo table as the warehouse has it now: a number column the type does not mark, and a float turned decimal. */
const LIVE: TableInspection = {
  ...DEMO_TABLE,
  fields: [...DEMO_TABLE.fields.map((f) => (f.field_name === 'weekly_minutes' ? { ...f, data_type: 'decimal' as const } : f)), { field_name: 'age', data_type: 'integer', description: 'Age column' }],
};

describe('outcomeCatalogFromParticipantType', () => {
  it('offers the fields the type marks as metrics, typed as the table has them now and described by the type', () => {
    expect(outcomeCatalogFromParticipantType(DEMO_TYPE, LIVE)).toEqual({
      tableName: 'participants',
      primaryKey: 'participant_id',
      filters: [],
      metrics: [
        { name: 'completed_course', type: 'boolean', description: 'Outcome' },
        { name: 'weekly_minutes', type: 'decimal', description: 'Outcome' },
      ],
      strata: [],
    });
  });

  it('offers every yes/no or number column but the id when the type marks none, or none of its marks is left', () => {
    const unmarked = { ...DEMO_TYPE, fields: DEMO_TYPE.fields.map((f) => ({ ...f, is_metric: false })) };
    const all = ['completed_course', 'weekly_minutes', 'age'];
    expect(outcomeCatalogFromParticipantType(unmarked, LIVE).metrics.map((m) => m.name)).toEqual(all);
    const dropped = { ...LIVE, fields: LIVE.fields.filter((f) => f.field_name !== 'completed_course' && f.field_name !== 'weekly_minutes') };
    expect(outcomeCatalogFromParticipantType(DEMO_TYPE, dropped).metrics).toEqual([{ name: 'age', type: 'integer', description: 'Age in years' }]);
  });

  it('has no unique id when the type marks none', () => {
    const noId = { ...DEMO_TYPE, fields: DEMO_TYPE.fields.map((f) => ({ ...f, is_unique_id: false })) };
    expect(outcomeCatalogFromParticipantType(noId, LIVE).primaryKey).toBe('');
  });
});
