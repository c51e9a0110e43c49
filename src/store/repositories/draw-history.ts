/**
 * The reads behind a bandit's history over time, done in the database so no draw is loaded into memory:
 *
 * - `drawTimeRange`: when the first draw was made and the last draw or outcome happened (one pass);
 * - `bucketedActivity`: per time bucket and arm, the draws made, the outcomes observed with their sum, and the
 *   last outcome's place in the arm's sequence together with the posterior stored right after it (one pass
 *   that counts every draw once at its draw time and, if it has an outcome, once at its observed time; then
 *   one index lookup per bucket and arm through `UNIQUE (arm_id, outcome_seq)`);
 * - `outcomesInSequence`: one page of an arm's outcomes in `outcome_seq` order, for replaying its posterior
 *   when a stored step is missing.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface DrawTimeRange {
  readonly first: Date;
  readonly last: Date;
}

/** Null when the experiment has no draw. */
export async function drawTimeRange(db: Executor, experimentId: string): Promise<DrawTimeRange | null> {
  const { rows } = await sql<{ first: Date | string | null; last: Date | string | null }>`
    SELECT min(created_at) AS first, max(greatest(created_at, observed_at)) AS last
      FROM draws WHERE experiment_id = ${experimentId}`.execute(db);
  const r = rows[0];
  if (!r || r.first === null || r.last === null) return null;
  return { first: new Date(r.first), last: new Date(r.last) };
}

export interface BucketActivity {
  readonly kind: 'draw' | 'outcome';
  /** Bucket index: the bucket starts `bucket * sizeMs` ms after the epoch. */
  readonly bucket: number;
  readonly arm_id: string;
  readonly n: number;
  /** Outcomes only: their sum, and the largest `outcome_seq` among them with the posterior stored after it. */
  readonly sum: number | null;
  readonly last_seq: number | null;
  readonly current_alpha: number | null;
  readonly current_beta: number | null;
  readonly current_mu: number[] | null;
  readonly current_covariance: number[][] | null;
}

export async function bucketedActivity(db: Executor, experimentId: string, sizeMs: number): Promise<BucketActivity[]> {
  const { rows } = await sql<Record<string, unknown>>`
    WITH activity AS (
      SELECT ev.kind, date_bin(${sizeMs}::float8 * interval '1 millisecond', ev.t, timestamptz 'epoch') AS bucket, d.arm_id,
             count(*) AS n,
             CASE WHEN ev.kind = 'outcome' THEN sum(d.outcome) END AS sum,
             CASE WHEN ev.kind = 'outcome' THEN max(d.outcome_seq) END AS last_seq
        FROM draws d
       CROSS JOIN LATERAL (VALUES ('draw', d.created_at), ('outcome', d.observed_at)) AS ev(kind, t)
       WHERE d.experiment_id = ${experimentId} AND ev.t IS NOT NULL
       GROUP BY ev.kind, 2, d.arm_id
    )
    SELECT a.kind, (extract(epoch FROM a.bucket) * 1000 / ${sizeMs})::bigint::text AS bucket, a.arm_id, a.n::text AS n, a.sum, a.last_seq::text AS last_seq,
           p.current_alpha, p.current_beta, p.current_mu, p.current_covariance
      FROM activity a
      LEFT JOIN draws p ON a.kind = 'outcome' AND p.arm_id = a.arm_id AND p.outcome_seq = a.last_seq
     ORDER BY a.bucket, a.arm_id, a.kind`.execute(db);
  return rows.map((r) => ({
    kind: r['kind'] as 'draw' | 'outcome',
    bucket: Number(r['bucket']),
    arm_id: r['arm_id'] as string,
    n: Number(r['n']),
    sum: r['sum'] == null ? null : Number(r['sum']),
    last_seq: r['last_seq'] == null ? null : Number(r['last_seq']),
    current_alpha: (r['current_alpha'] as number | null) ?? null,
    current_beta: (r['current_beta'] as number | null) ?? null,
    current_mu: (r['current_mu'] as number[] | null) ?? null,
    current_covariance: (r['current_covariance'] as number[][] | null) ?? null,
  }));
}

export interface SequencedOutcome {
  readonly seq: number;
  readonly outcome: number;
  readonly context_vals: number[] | null;
}

/** Up to `limit` outcomes of an arm after `afterSeq`, in sequence order. */
export async function outcomesInSequence(db: Executor, armId: string, afterSeq: number, limit: number): Promise<SequencedOutcome[]> {
  const { rows } = await sql<{ seq: string; outcome: number; context_vals: number[] | null }>`
    SELECT outcome_seq::text AS seq, outcome, context_vals FROM draws
     WHERE arm_id = ${armId} AND outcome_seq > ${afterSeq}::bigint
     ORDER BY outcome_seq LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ seq: Number(r.seq), outcome: Number(r.outcome), context_vals: r.context_vals ?? null }));
}
