/**
 * Drafts left behind by a preassignment whose process died are removed at start-up; finished and
 * committed experiments, and (on a shared database) recent running ones, are kept.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.ts';
import { sweepOrphanedPreassignments } from '../../src/services/experiments/sweep-preassignments.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';

describeEachDatabase('sweeping interrupted preassignments', (kind) => {
  let database: TestDatabase;
  let datasourceId: string;
  let organizationId: string;

  async function experiment(status: 'running' | 'done' | null, state: string, createdAt: Date): Promise<string> {
    const id = newId('experiment');
    await database.db
      .insertInto('experiments')
      .values({
        id,
        organization_id: organizationId,
        datasource_id: datasourceId,
        experiment_type: 'freq_preassigned',
        state,
        name: id,
        start_date: '2026-01-01T00:00:00Z',
        end_date: '2027-01-01T00:00:00Z',
        design: JSON.stringify({}),
        assignment_progress: status === null ? null : JSON.stringify({ status }),
        created_at: createdAt,
      })
      .execute();
    return id;
  }

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    organizationId = newId('organization');
    datasourceId = newId('datasource');
    await database.db.insertInto('organizations').values({ id: organizationId, name: 'sweep' }).execute();
    await database.db
      .insertInto('datasources')
      .values({ id: datasourceId, organization_id: organizationId, name: 'w', driver: 'none', config: JSON.stringify({ driver: 'none' }) })
      .execute();
  });
  afterEach(async () => database?.close());

  it('removes only interrupted drafts older than the cutoff', async () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const hourAgo = new Date(now.getTime() - 3600_000);
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const orphan = await experiment('running', 'assigned', dayAgo);
    const recent = await experiment('running', 'assigned', hourAgo);
    const finished = await experiment('done', 'assigned', dayAgo);
    const online = await experiment(null, 'committed', dayAgo);

    expect(await sweepOrphanedPreassignments(database.db, now, 6 * 3600_000)).toEqual([orphan]);
    expect(await sweepOrphanedPreassignments(database.db, now, 0)).toEqual([recent]);
    const left = await database.db.selectFrom('experiments').select('id').orderBy('id').execute();
    expect(left.map((e) => e.id).sort()).toEqual([finished, online].sort());
  });
});
