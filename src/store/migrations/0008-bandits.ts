/**
 * Bandit experiments (issue 10). Each arm keeps its prior (`*_init`) and its current posterior next to its
 * population count; `n_outcomes` counts the outcomes folded into the posterior. A draw is a bandit
 * assignment: the arm, the context vector it was drawn under, and the probability that arm had of being
 * chosen (exact, for inverse-propensity estimates). Its outcome is written once (a CHECK keeps outcome,
 * observed time, autofail flag and sequence all set or all null), and `outcome_seq` numbers the outcomes
 * of an arm 1, 2, 3… in the order they were applied to its posterior, under the arm's row lock — the
 * commit order a replay follows. `current_*` is the posterior right after that outcome (as the reference
 * keeps it), so every step of the history can be checked.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE experiments
      ADD COLUMN enable_autofail boolean NOT NULL DEFAULT false,
      ADD COLUMN autofail_window_hours integer CHECK (autofail_window_hours >= 1),
      ADD COLUMN autofail_outcome_value double precision;

    ALTER TABLE arms
      ADD COLUMN alpha_init double precision CHECK (alpha_init > 0),
      ADD COLUMN beta_init double precision CHECK (beta_init > 0),
      ADD COLUMN mu_init double precision,
      ADD COLUMN sigma_init double precision CHECK (sigma_init > 0),
      ADD COLUMN alpha double precision,
      ADD COLUMN beta double precision,
      ADD COLUMN mu double precision[],
      ADD COLUMN covariance double precision[],
      ADD COLUMN n_outcomes bigint NOT NULL DEFAULT 0;

    CREATE TABLE draws (
      experiment_id text NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      participant_id text NOT NULL CHECK (length(participant_id) <= 255),
      arm_id text NOT NULL REFERENCES arms(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      -- One value per context, ordered by context id; NULL for a plain multi-armed bandit.
      context_vals double precision[],
      propensity double precision NOT NULL CHECK (propensity >= 0 AND propensity <= 1),
      propensity_method text NOT NULL CHECK (propensity_method IN ('exact', 'monte-carlo')),
      outcome double precision,
      observed_at timestamptz,
      autofailed_outcome boolean,
      outcome_seq bigint,
      current_alpha double precision,
      current_beta double precision,
      current_mu double precision[],
      current_covariance double precision[],
      PRIMARY KEY (experiment_id, participant_id),
      UNIQUE (arm_id, outcome_seq),
      CHECK ((outcome IS NULL) = (observed_at IS NULL)
         AND (outcome IS NULL) = (autofailed_outcome IS NULL)
         AND (outcome IS NULL) = (outcome_seq IS NULL))
    );
    CREATE INDEX draws_arm ON draws (arm_id);
    -- The autofail scan: an experiment's draws still waiting for an outcome, oldest first.
    CREATE INDEX draws_awaiting_outcome ON draws (experiment_id, created_at) WHERE outcome IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS draws;
    ALTER TABLE arms DROP COLUMN alpha_init, DROP COLUMN beta_init, DROP COLUMN mu_init, DROP COLUMN sigma_init,
      DROP COLUMN alpha, DROP COLUMN beta, DROP COLUMN mu, DROP COLUMN covariance, DROP COLUMN n_outcomes;
    ALTER TABLE experiments DROP COLUMN enable_autofail, DROP COLUMN autofail_window_hours, DROP COLUMN autofail_outcome_value;
  `.execute(db);
}
