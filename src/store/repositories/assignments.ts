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

/**
 * One chunk of a bulk preassignment, column by column (parallel arrays of equal length): the shape the
 * `unnest` insert takes, so a million rows never exist as a million objects.
 */
export interface AssignmentColumns {
  readonly participantIds: readonly string[];
  readonly armIds: readonly string[];
  /** Each participant's stratification values as JSON text (`[{"field_name", "strata_value"}…]`). */
  readonly strata: readonly string[];
  /** Null for individually randomised designs. */
  readonly clusterKeys: readonly (string | null)[] | null;
}

/**
 * Inserts one chunk with a single multi-row statement (runs on PGlite and PostgreSQL alike). Callers
 * keep chunks to about `INSERT_CHUNK_ROWS` rows: the arrays travel as four bound parameters.
 */
export async function insertAssignmentColumns(trx: Transaction<DB>, experimentId: string, chunk: AssignmentColumns): Promise<void> {
  if (chunk.participantIds.length === 0) return;
  await sql`
    INSERT INTO assignments (experiment_id, participant_id, arm_id, strata, cluster_key)
    SELECT ${experimentId}, p, a, s::jsonb, c
      FROM unnest(${chunk.participantIds}::text[], ${chunk.armIds}::text[], ${chunk.strata}::text[],
                  ${chunk.clusterKeys ?? new Array<null>(chunk.participantIds.length).fill(null)}::text[]) AS t(p, a, s, c)`.execute(trx);
}

export interface AssignmentRow {
  readonly participant_id: string;
  readonly arm_id: string;
  readonly strata: StratumValue[];
  readonly created_at: Date;
  /** `random` or `hash` (online experiments); preassigned rows are `random`. */
  readonly assignment_method: string;
  /** 0 … 9,999 for hash-mode assignments, otherwise null. */
  readonly hash_bucket: number | null;
  /** The participant's cluster, for preassigned cluster designs. */
  readonly cluster_key?: string | null;
}

const ROW_COLUMNS = ['participant_id', 'arm_id', 'strata', 'created_at', 'assignment_method', 'hash_bucket', 'cluster_key'] as const;

/** One page of an experiment's assignments in participant-id order, after `afterParticipantId`. */
export async function pageAssignments(
  db: Executor,
  experimentId: string,
  afterParticipantId: string | null,
  limit: number,
): Promise<AssignmentRow[]> {
  let q = db
    .selectFrom('assignments')
    .select(ROW_COLUMNS)
    .where('experiment_id', '=', experimentId);
  if (afterParticipantId !== null) q = q.where('participant_id', '>', afterParticipantId);
  return q.orderBy('participant_id').limit(limit).execute();
}

export async function findAssignment(db: Executor, experimentId: string, participantId: string): Promise<AssignmentRow | undefined> {
  return db
    .selectFrom('assignments')
    .select(ROW_COLUMNS)
    .where('experiment_id', '=', experimentId)
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
}

/** What a get-or-create may insert; null arm means "read only". */
export interface OnlineInsert {
  readonly armId: string;
  readonly method: 'random' | 'hash';
  readonly bucket: number | null;
  /** With `stop_at_desired_n`: insert only while fewer than this many participants are assigned. */
  readonly capacity: number | null;
}

export interface GetOrCreateResult {
  /**
   * The experiment's current version, or null when the key may no longer assign in this experiment
   * (revoked, expired, lost the `assign` scope, another datasource) or the experiment is gone.
   */
  readonly version: string | null;
  readonly row: AssignmentRow | undefined;
  readonly created: boolean;
  /** Participants assigned before this statement (the arms' population sum), for the `target_n` stop. */
  readonly populationBefore: number;
}

/**
 * The online hot path in one statement and one round trip: re-checks the (cached) API key and experiment
 * version, returns the participant's existing assignment, or inserts `insert` — only if the version still
 * equals `expectedVersion`, so a decision made on a stale cached copy never writes — and counts it on its
 * arm. Under concurrent first requests the loser's insert does nothing and it gets no row back (its
 * snapshot predates the winner's commit): the caller re-reads with `findAssignment`.
 */
export async function getOrCreateOnlineAssignment(
  db: Executor,
  q: {
    readonly experimentId: string;
    readonly participantId: string;
    readonly keyId: string;
    readonly now: Date;
    readonly expectedVersion: string;
    readonly insert: OnlineInsert | null;
  },
): Promise<GetOrCreateResult> {
  const ins = q.insert;
  const { rows } = await sql<{
    version: string | null;
    population: string | null;
    created: boolean | null;
    participant_id: string | null;
    arm_id: string;
    strata: StratumValue[];
    created_at: Date;
    assignment_method: string;
    hash_bucket: number | null;
  }>`
    WITH guard AS (
      SELECT e.version
        FROM experiments e
        JOIN api_keys k ON k.datasource_id = e.datasource_id
       WHERE e.id = ${q.experimentId} AND k.id = ${q.keyId}
         AND (k.expires_at IS NULL OR k.expires_at > ${q.now})
         AND k.scopes @> '["assign"]'::jsonb
    ), existing AS (
      SELECT participant_id, arm_id, strata, created_at, assignment_method, hash_bucket
        FROM assignments
       WHERE experiment_id = ${q.experimentId} AND participant_id = ${q.participantId}
    ), population AS (
      SELECT coalesce(sum(population), 0) AS n FROM arms WHERE experiment_id = ${q.experimentId}
    ), inserted AS (
      INSERT INTO assignments (experiment_id, participant_id, arm_id, assignment_method, hash_bucket)
      SELECT ${q.experimentId}, ${q.participantId}, ${ins?.armId ?? null}::text, ${ins?.method ?? 'random'}::text, ${ins?.bucket ?? null}::integer
        FROM guard, population
       WHERE ${ins !== null}::boolean
         AND guard.version = ${q.expectedVersion}::bigint
         AND NOT EXISTS (SELECT 1 FROM existing)
         AND (${ins?.capacity ?? null}::bigint IS NULL OR population.n < ${ins?.capacity ?? null}::bigint)
      ON CONFLICT (experiment_id, participant_id) DO NOTHING
      RETURNING participant_id, arm_id, strata, created_at, assignment_method, hash_bucket
    ), counted AS (
      UPDATE arms SET population = population + 1 WHERE id = (SELECT arm_id FROM inserted)
    ), found AS (
      SELECT true AS created, * FROM inserted
      UNION ALL
      SELECT false AS created, * FROM existing
    )
    SELECT guard.version::text AS version, population.n::text AS population, found.*
      FROM guard CROSS JOIN population LEFT JOIN found ON true`.execute(db);
  const first = rows[0];
  if (!first) return { version: null, row: undefined, created: false, populationBefore: 0 };
  const row: AssignmentRow | undefined =
    first.participant_id === null
      ? undefined
      : {
          participant_id: first.participant_id,
          arm_id: first.arm_id,
          strata: first.strata,
          created_at: new Date(first.created_at),
          assignment_method: first.assignment_method,
          hash_bucket: first.hash_bucket,
        };
  return { version: first.version, row, created: first.created === true, populationBefore: Number(first.population ?? 0) };
}

/** Deletes every assignment of an experiment and zeroes its arms' counts, in the caller's transaction. */
export async function deleteExperimentAssignments(trx: Transaction<DB>, experimentId: string): Promise<number> {
  const r = await trx.deleteFrom('assignments').where('experiment_id', '=', experimentId).executeTakeFirst();
  await trx.updateTable('arms').set({ population: 0 }).where('experiment_id', '=', experimentId).execute();
  return Number(r.numDeletedRows);
}
