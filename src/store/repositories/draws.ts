/**
 * Bandit draws and arm posteriors. The assignment hot path is two statements (`readDrawState`, then
 * `insertDraw` for a new participant), each re-checking the cached API key and experiment version like the
 * frequentist get-or-create. An outcome is one transaction of two statements: `lockDrawArm` takes the drawn
 * arm's row lock (so outcomes on one arm are applied one after another, each to the posterior the previous
 * one left, never read-modify-write over each other), then `writeOutcome` writes the outcome on the draw
 * only if none is recorded yet (the double-write guard) and, in the same statement, the arm's new posterior.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Arm, DB } from '../schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface DrawRow {
  readonly participant_id: string;
  readonly arm_id: string;
  readonly created_at: Date;
  readonly context_vals: number[] | null;
  readonly propensity: number;
  readonly propensity_method: string;
  readonly outcome: number | null;
  readonly observed_at: Date | null;
  readonly autofailed_outcome: boolean | null;
}

const DRAW_COLUMNS = sql`participant_id, arm_id, created_at, context_vals, propensity, propensity_method, outcome, observed_at, autofailed_outcome`;

/** An arm's id and parameters as the draw path reads them (current posterior and prior). */
export interface ArmState {
  readonly id: string;
  readonly alpha_init: number | null;
  readonly beta_init: number | null;
  readonly mu_init: number | null;
  readonly sigma_init: number | null;
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly mu: number[] | null;
  readonly covariance: number[][] | null;
}

/** The API key may still assign in the experiment (not revoked or expired, `assign` scope, same datasource). */
function keyGuard(experimentId: string, keyId: string, now: Date) {
  return sql`
    SELECT e.version
      FROM experiments e
      JOIN api_keys k ON k.datasource_id = e.datasource_id
     WHERE e.id = ${experimentId} AND k.id = ${keyId}
       AND (k.expires_at IS NULL OR k.expires_at > ${now})
       AND k.scopes @> '["assign"]'::jsonb`;
}

function drawOf(r: Record<string, unknown>): DrawRow {
  return {
    participant_id: r['participant_id'] as string,
    arm_id: r['arm_id'] as string,
    created_at: new Date(r['created_at'] as string | Date),
    context_vals: (r['context_vals'] as number[] | null) ?? null,
    propensity: r['propensity'] as number,
    propensity_method: r['propensity_method'] as string,
    outcome: (r['outcome'] as number | null) ?? null,
    observed_at: r['observed_at'] == null ? null : new Date(r['observed_at'] as string | Date),
    autofailed_outcome: (r['autofailed_outcome'] as boolean | null) ?? null,
  };
}

export interface DrawState {
  /** The experiment's version, or null when the key may no longer assign here (or the experiment is gone). */
  readonly version: string | null;
  readonly draw: DrawRow | undefined;
  /** Every arm's current parameters, by id — only when asked for and the participant has no draw yet. */
  readonly arms: ArmState[] | undefined;
}

/**
 * One round trip: the key and version re-check, the participant's draw if any, and (when `withArms` and there
 * is no draw) every arm's current posterior, which is what a new draw is made from.
 */
export async function readDrawState(
  db: Executor,
  q: { readonly experimentId: string; readonly participantId: string; readonly keyId: string; readonly now: Date; readonly withArms: boolean },
): Promise<DrawState> {
  const { rows } = await sql<Record<string, unknown>>`
    WITH guard AS (${keyGuard(q.experimentId, q.keyId, q.now)})
    SELECT guard.version::text AS version, d.participant_id, d.arm_id, d.created_at, d.context_vals, d.propensity,
           d.propensity_method, d.outcome, d.observed_at, d.autofailed_outcome,
           CASE WHEN d.participant_id IS NULL AND ${q.withArms}::boolean THEN (
             SELECT json_agg(json_build_object('id', a.id, 'alpha_init', a.alpha_init, 'beta_init', a.beta_init,
                      'mu_init', a.mu_init, 'sigma_init', a.sigma_init, 'alpha', a.alpha, 'beta', a.beta,
                      'mu', a.mu, 'covariance', a.covariance) ORDER BY a.id)
               FROM arms a WHERE a.experiment_id = ${q.experimentId}
           ) END AS arms
      FROM guard
      LEFT JOIN draws d ON d.experiment_id = ${q.experimentId} AND d.participant_id = ${q.participantId}`.execute(db);
  const first = rows[0];
  if (!first) return { version: null, draw: undefined, arms: undefined };
  return {
    version: first['version'] as string,
    draw: first['participant_id'] == null ? undefined : drawOf(first),
    arms: (first['arms'] as ArmState[] | null) ?? undefined,
  };
}

export interface NewDraw {
  readonly armId: string;
  readonly createdAt: Date;
  readonly contextVals: readonly number[] | null;
  readonly propensity: number;
  readonly propensityMethod: 'exact' | 'monte-carlo';
}

/**
 * Inserts the draw and counts it on its arm, only if the key still may assign and the experiment's version is
 * still `expectedVersion` (a decision made on a stale cached copy writes nothing). A concurrent first request
 * for the same participant that committed first wins: this insert then does nothing and returns no row.
 */
export async function insertDraw(
  db: Executor,
  q: { readonly experimentId: string; readonly participantId: string; readonly keyId: string; readonly now: Date; readonly expectedVersion: string; readonly draw: NewDraw },
): Promise<{ version: string | null; row: DrawRow | undefined }> {
  const d = q.draw;
  const { rows } = await sql<Record<string, unknown>>`
    WITH guard AS (${keyGuard(q.experimentId, q.keyId, q.now)}),
    inserted AS (
      INSERT INTO draws (experiment_id, participant_id, arm_id, created_at, context_vals, propensity, propensity_method)
      SELECT ${q.experimentId}, ${q.participantId}, ${d.armId}, ${d.createdAt}::timestamptz, ${d.contextVals === null ? null : [...d.contextVals]}::float8[],
             ${d.propensity}::float8, ${d.propensityMethod}
        FROM guard
       WHERE guard.version = ${q.expectedVersion}::bigint
      ON CONFLICT (experiment_id, participant_id) DO NOTHING
      RETURNING ${DRAW_COLUMNS}
    ), counted AS (
      UPDATE arms SET population = population + 1 WHERE id = (SELECT arm_id FROM inserted)
    )
    SELECT guard.version::text AS version, inserted.* FROM guard LEFT JOIN inserted ON true`.execute(db);
  const first = rows[0];
  if (!first) return { version: null, row: undefined };
  return { version: first['version'] as string, row: first['participant_id'] == null ? undefined : drawOf(first) };
}

export async function findDraw(db: Executor, experimentId: string, participantId: string): Promise<DrawRow | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${DRAW_COLUMNS} FROM draws WHERE experiment_id = ${experimentId} AND participant_id = ${participantId}`.execute(db);
  return rows[0] ? drawOf(rows[0]) : undefined;
}

/** Whether the key may still assign (and report outcomes) in the experiment. */
export async function keyMayAssign(db: Executor, experimentId: string, keyId: string, now: Date): Promise<boolean> {
  const { rows } = await sql`${keyGuard(experimentId, keyId, now)}`.execute(db);
  return rows.length > 0;
}

/** The draw's arm, locked until the transaction ends (outcomes on one arm queue here), and the draw itself. */
export async function lockDrawArm(
  trx: Transaction<DB>,
  experimentId: string,
  participantId: string,
): Promise<{ arm: Arm; contextVals: number[] | null; hasOutcome: boolean } | undefined> {
  const { rows } = await sql<Arm & { draw_context_vals: number[] | null; draw_outcome: number | null }>`
    SELECT a.*, d.context_vals AS draw_context_vals, d.outcome AS draw_outcome
      FROM draws d JOIN arms a ON a.id = d.arm_id
     WHERE d.experiment_id = ${experimentId} AND d.participant_id = ${participantId}
       FOR UPDATE OF a`.execute(trx);
  const row = rows[0];
  if (!row) return undefined;
  const { draw_context_vals, draw_outcome, ...arm } = row;
  return { arm, contextVals: draw_context_vals, hasOutcome: draw_outcome !== null };
}

/** A posterior in the arms' column shape: Beta (alpha, beta) or Normal (mu, covariance). */
export interface PosteriorColumns {
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly mu: readonly number[] | null;
  readonly covariance: readonly (readonly number[])[] | null;
}

/**
 * Writes the outcome on the draw — only if it has none yet and, with `keyId`, only while that key may still
 * assign here — together with its place in the arm's sequence (`seq`, the locked arm's count + 1) and the
 * posterior after it; and, only if the draw was written, the arm's new posterior and count. The caller holds
 * the arm's lock (`lockDrawArm`). Returns the updated arm, or undefined when nothing was written.
 */
export async function writeOutcome(
  trx: Transaction<DB>,
  q: {
    readonly experimentId: string;
    readonly participantId: string;
    readonly armId: string;
    readonly outcome: number;
    readonly observedAt: Date;
    readonly autofailed: boolean;
    readonly keyId: string | null;
    readonly seq: number;
    readonly posterior: PosteriorColumns;
  },
): Promise<Arm | undefined> {
  const p = q.posterior;
  const mu = p.mu === null ? null : [...p.mu];
  const covariance = p.covariance === null ? null : p.covariance.map((r) => [...r]);
  const keyCheck = q.keyId === null ? sql`` : sql`AND EXISTS (${keyGuard(q.experimentId, q.keyId, q.observedAt)})`;
  const { rows } = await sql<Arm>`
    WITH written AS (
      UPDATE draws
         SET outcome = ${q.outcome}::float8, observed_at = ${q.observedAt}::timestamptz, autofailed_outcome = ${q.autofailed},
             outcome_seq = ${q.seq}::bigint, current_alpha = ${p.alpha}::float8, current_beta = ${p.beta}::float8,
             current_mu = ${mu}::float8[], current_covariance = ${covariance}::float8[]
       WHERE experiment_id = ${q.experimentId} AND participant_id = ${q.participantId} AND arm_id = ${q.armId}
         AND outcome IS NULL ${keyCheck}
      RETURNING 1
    )
    UPDATE arms
       SET alpha = ${p.alpha}::float8, beta = ${p.beta}::float8, mu = ${mu}::float8[], covariance = ${covariance}::float8[],
           n_outcomes = n_outcomes + 1
     WHERE id = ${q.armId} AND EXISTS (SELECT 1 FROM written)
    RETURNING *`.execute(trx);
  return rows[0];
}

/** One page of an experiment's draws in participant-id order, after `afterParticipantId`. */
export async function pageDraws(db: Executor, experimentId: string, afterParticipantId: string | null, limit: number): Promise<DrawRow[]> {
  const after = afterParticipantId === null ? sql`` : sql`AND participant_id > ${afterParticipantId}`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${DRAW_COLUMNS} FROM draws WHERE experiment_id = ${experimentId} ${after}
     ORDER BY participant_id LIMIT ${limit}`.execute(db);
  return rows.map(drawOf);
}

/**
 * Per arm, the sums the analysis needs, computed exactly in two passes over the draws with an outcome:
 * counts, Σ y/p and Σ 1/p (first pass), then the squared deviations of the Horvitz–Thompson terms and of the
 * self-normalized residuals around the first pass's estimates (second pass). Arms without outcomes are
 * absent. Draws whose propensity is 0 (possible only for a Monte Carlo estimate) are counted apart.
 */
export interface ArmOutcomeSums {
  readonly arm_id: string;
  /** Outcomes on this arm. */
  readonly k: number;
  readonly autofailed: number;
  readonly sum_weighted: number;
  readonly sum_weights: number;
  readonly min_propensity: number;
  readonly zero_propensity: number;
  /** Σᵢ over all outcomes (every arm) of (Zᵢ − V̂)², Zᵢ = 1[Aᵢ = a]·yᵢ/pᵢ, V̂ = Σ y/p / n. */
  readonly dev2_ht: number;
  /** Σ over this arm's outcomes of ((yᵢ − Ĥ)/pᵢ)², Ĥ = Σ y/p / Σ 1/p. */
  readonly dev2_hajek: number;
}

export async function outcomeSums(db: Executor, experimentId: string): Promise<{ n: number; arms: ArmOutcomeSums[] }> {
  const { rows } = await sql<Record<string, string | number | null>>`
    WITH o AS (
      SELECT arm_id, outcome, propensity, autofailed_outcome FROM draws WHERE experiment_id = ${experimentId} AND outcome IS NOT NULL
    ), total AS (
      SELECT count(*)::float8 AS n FROM o
    ), first AS (
      SELECT arm_id, count(*)::float8 AS k, count(*) FILTER (WHERE autofailed_outcome)::float8 AS autofailed,
             sum(outcome / propensity) FILTER (WHERE propensity > 0) AS sum_weighted,
             sum(1 / propensity) FILTER (WHERE propensity > 0) AS sum_weights,
             min(propensity) AS min_propensity, count(*) FILTER (WHERE propensity = 0)::float8 AS zero_propensity
        FROM o GROUP BY arm_id
    )
    SELECT f.arm_id, f.k, f.autofailed, coalesce(f.sum_weighted, 0) AS sum_weighted, coalesce(f.sum_weights, 0) AS sum_weights,
           f.min_propensity, f.zero_propensity, t.n,
           coalesce((SELECT sum((o.outcome / o.propensity - coalesce(f.sum_weighted, 0) / t.n) ^ 2) FROM o WHERE o.arm_id = f.arm_id AND o.propensity > 0), 0)
             + (t.n - f.k) * (coalesce(f.sum_weighted, 0) / t.n) ^ 2 AS dev2_ht,
           coalesce((SELECT sum(((o.outcome - f.sum_weighted / f.sum_weights) / o.propensity) ^ 2) FROM o WHERE o.arm_id = f.arm_id AND o.propensity > 0), 0) AS dev2_hajek
      FROM first f CROSS JOIN total t
     ORDER BY f.arm_id`.execute(db);
  const n = rows.length > 0 ? Number(rows[0]?.['n']) : 0;
  return {
    n,
    arms: rows.map((r) => ({
      arm_id: r['arm_id'] as string,
      k: Number(r['k']),
      autofailed: Number(r['autofailed']),
      sum_weighted: Number(r['sum_weighted']),
      sum_weights: Number(r['sum_weights']),
      min_propensity: Number(r['min_propensity']),
      zero_propensity: Number(r['zero_propensity']),
      dev2_ht: Number(r['dev2_ht']),
      dev2_hajek: Number(r['dev2_hajek']),
    })),
  };
}

/** Draws of each arm (with or without an outcome). */
export async function drawCounts(db: Executor, experimentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('draws')
    .select(['arm_id', sql<string>`count(*)`.as('n')])
    .where('experiment_id', '=', experimentId)
    .groupBy('arm_id')
    .execute();
  return new Map(rows.map((r) => [r.arm_id, Number(r.n)]));
}

/** Per position, the mean of the draws' context values (an empty array when there are no draws). */
export async function meanContextValues(db: Executor, experimentId: string): Promise<number[]> {
  const { rows } = await sql<{ i: number; mean: number }>`
    SELECT v.i::int AS i, avg(v.x) AS mean
      FROM draws d, unnest(d.context_vals) WITH ORDINALITY AS v(x, i)
     WHERE d.experiment_id = ${experimentId} AND d.context_vals IS NOT NULL
     GROUP BY v.i ORDER BY v.i`.execute(db);
  return rows.map((r) => Number(r.mean));
}

/** Experiments with autofail on that have draws older than their window and still no outcome. */
export async function experimentsWithOverdueDraws(db: Executor, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT e.id FROM experiments e
     WHERE e.enable_autofail AND e.autofail_window_hours IS NOT NULL
       AND EXISTS (SELECT 1 FROM draws d WHERE d.experiment_id = e.id AND d.outcome IS NULL
                    AND d.created_at < ${now}::timestamptz - make_interval(hours => e.autofail_window_hours))
     ORDER BY e.id`.execute(db);
  return rows.map((r) => r.id);
}

/** Up to `limit` overdue draws of one experiment, oldest first (participant id breaks ties). */
export async function overdueDraws(db: Executor, experimentId: string, now: Date, limit: number): Promise<string[]> {
  const { rows } = await sql<{ participant_id: string }>`
    SELECT d.participant_id FROM draws d JOIN experiments e ON e.id = d.experiment_id
     WHERE d.experiment_id = ${experimentId} AND d.outcome IS NULL AND e.enable_autofail
       AND d.created_at < ${now}::timestamptz - make_interval(hours => e.autofail_window_hours)
     ORDER BY d.created_at, d.participant_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.participant_id);
}

/** Deletes every draw of the experiment and puts each arm back to its prior, in the caller's transaction. */
export async function resetBanditData(trx: Transaction<DB>, experimentId: string): Promise<number> {
  const r = await trx.deleteFrom('draws').where('experiment_id', '=', experimentId).executeTakeFirst();
  await sql`
    UPDATE arms
       SET population = 0, n_outcomes = 0, alpha = alpha_init, beta = beta_init,
           mu = CASE WHEN mu IS NULL THEN NULL ELSE array_fill(mu_init, ARRAY[cardinality(mu)]) END,
           covariance = CASE WHEN covariance IS NULL THEN NULL ELSE (
             SELECT array_agg(row_values ORDER BY r) FROM (
               SELECT r, array_agg(CASE WHEN r = c THEN sigma_init * sigma_init ELSE 0 END ORDER BY c) AS row_values
                 FROM generate_series(1, cardinality(mu)) AS r, generate_series(1, cardinality(mu)) AS c
                GROUP BY r
             ) AS rows
           ) END
     WHERE experiment_id = ${experimentId}`.execute(trx);
  return Number(r.numDeletedRows);
}
