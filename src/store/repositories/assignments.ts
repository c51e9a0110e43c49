/**
 * Assignment rows: bulk insert in chunks (multi-row `unnest`, which PGlite and PostgreSQL both run, unlike
 * COPY), keyset pages for exports, and the get-or-create of online assignment.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, StratumValue } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const INSERT_CHUNK_ROWS = 5_000;

export interface NewAssignment {
  readonly participantId: string;
  readonly armId: string;
  readonly strata: readonly StratumValue[];
}

export async function insertAssignments(trx: Transaction<DB>, experimentId: string, rows: readonly NewAssignment[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + INSERT_CHUNK_ROWS);
    await sql`
      INSERT INTO assignments (experiment_id, participant_id, arm_id, strata)
      SELECT ${experimentId}, p, a, s::jsonb
        FROM unnest(${chunk.map((r) => r.participantId)}::text[], ${chunk.map((r) => r.armId)}::text[],
                    ${chunk.map((r) => JSON.stringify(r.strata))}::text[]) AS t(p, a, s)`.execute(trx);
  }
}

export interface AssignmentRow {
  readonly participant_id: string;
  readonly arm_id: string;
  readonly strata: StratumValue[];
  readonly created_at: Date;
}

/** One page of an experiment's assignments in participant-id order, after `afterParticipantId`. */
export async function pageAssignments(
  db: Executor,
  experimentId: string,
  afterParticipantId: string | null,
  limit: number,
): Promise<AssignmentRow[]> {
  let q = db
    .selectFrom('assignments')
    .select(['participant_id', 'arm_id', 'strata', 'created_at'])
    .where('experiment_id', '=', experimentId);
  if (afterParticipantId !== null) q = q.where('participant_id', '>', afterParticipantId);
  return q.orderBy('participant_id').limit(limit).execute();
}

export async function findAssignment(db: Executor, experimentId: string, participantId: string): Promise<AssignmentRow | undefined> {
  return db
    .selectFrom('assignments')
    .select(['participant_id', 'arm_id', 'strata', 'created_at'])
    .where('experiment_id', '=', experimentId)
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
}

/**
 * Inserts the assignment unless the participant already has one, and counts it on its arm, in one
 * statement. Returns the row only when this call created it: under concurrent first requests the loser's
 * insert does nothing, and it must re-read (its statement snapshot predates the winner's commit).
 */
export async function insertAssignmentIfAbsent(
  db: Executor,
  experimentId: string,
  participantId: string,
  armId: string,
): Promise<AssignmentRow | undefined> {
  const result = await sql<AssignmentRow>`
    WITH inserted AS (
      INSERT INTO assignments (experiment_id, participant_id, arm_id)
      VALUES (${experimentId}, ${participantId}, ${armId})
      ON CONFLICT (experiment_id, participant_id) DO NOTHING
      RETURNING participant_id, arm_id, strata, created_at
    ), counted AS (
      UPDATE arms SET population = population + 1 WHERE id = (SELECT arm_id FROM inserted)
    )
    SELECT * FROM inserted`.execute(db);
  return result.rows[0];
}
