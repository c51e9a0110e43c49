/**
 * Analysis history (issue 11). A snapshot is one stored analysis of an experiment: `pending` while a worker
 * computes it (the API calls that `running`), then `success` with the analysis JSON in `data`, or `failed`
 * with the error in `message`. Scheduled snapshots carry the cycle they belong to; the partial unique index
 * on (experiment, cycle) makes a second scheduler racing for the same cycle insert nothing, so an
 * experiment is snapshotted at most once per cycle whatever the number of workers.
 *
 * `analysis_findings` remembers, per experiment and kind (sample-ratio mismatch, covariate imbalance),
 * whether the last analysis found the problem and its fingerprint, so an `experiment.warning` is raised when
 * a finding appears or changes, not again on every snapshot.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE snapshots (
      id text NOT NULL UNIQUE CHECK (length(id) <= 36),
      experiment_id text NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
      message text,
      data jsonb,
      trigger text NOT NULL CHECK (trigger IN ('scheduled', 'on_demand')),
      cycle_start timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (experiment_id, id),
      CHECK ((trigger = 'scheduled') = (cycle_start IS NOT NULL))
    );
    CREATE UNIQUE INDEX snapshots_one_per_cycle ON snapshots (experiment_id, cycle_start) WHERE cycle_start IS NOT NULL;
    CREATE INDEX snapshots_by_update ON snapshots (experiment_id, updated_at DESC, id DESC);
    CREATE INDEX snapshots_latest ON snapshots (experiment_id, created_at DESC);
    CREATE INDEX snapshots_pending ON snapshots (created_at) WHERE status = 'pending';

    CREATE TABLE analysis_findings (
      experiment_id text NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('sample_ratio_mismatch', 'imbalance')),
      active boolean NOT NULL,
      fingerprint text NOT NULL,
      details jsonb NOT NULL,
      raised_at timestamptz,
      checked_at timestamptz NOT NULL,
      PRIMARY KEY (experiment_id, kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS analysis_findings; DROP TABLE IF EXISTS snapshots;`.execute(db);
}
