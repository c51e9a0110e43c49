/**
 * Experiment run time: how each online experiment assigns (`random` draws or a deterministic `hash` of
 * seed + participant id), whether it stops at `desired_n`, and how each assignment was made (method and
 * hash bucket). `experiments.version` is bumped by trigger on every change to the experiment or to an
 * arm's name, description or weight, so an API process holding a cached copy can tell, inside its one
 * get-or-create statement, that the copy is stale (see `services/assignments/experiment-cache.ts`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE experiments
      ADD COLUMN assignment_mode text NOT NULL DEFAULT 'random' CHECK (assignment_mode IN ('random', 'hash')),
      ADD COLUMN stop_at_desired_n boolean NOT NULL DEFAULT false,
      -- NULL means the experiment id, which is also what a client passes as the GrowthBook experiment key.
      ADD COLUMN hash_seed text CHECK (length(hash_seed) <= 100),
      ADD COLUMN version bigint NOT NULL DEFAULT 1;

    ALTER TABLE assignments
      ADD COLUMN assignment_method text NOT NULL DEFAULT 'random' CHECK (assignment_method IN ('random', 'hash')),
      ADD COLUMN hash_bucket integer CHECK (hash_bucket >= 0 AND hash_bucket < 10000);

    CREATE FUNCTION equipoise_experiment_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.version := OLD.version + 1;
      RETURN NEW;
    END $$;
    CREATE TRIGGER experiments_version BEFORE UPDATE ON experiments
      FOR EACH ROW EXECUTE FUNCTION equipoise_experiment_version();

    -- Arm renames change what an assignment answer says; population counts do not bump the version (they
    -- change on every assignment and nothing cached depends on them).
    CREATE FUNCTION equipoise_arm_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE experiments SET version = version WHERE id = NEW.experiment_id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER arms_version AFTER UPDATE OF name, description, weight ON arms
      FOR EACH ROW
      WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.description IS DISTINCT FROM NEW.description OR OLD.weight IS DISTINCT FROM NEW.weight)
      EXECUTE FUNCTION equipoise_arm_version();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS arms_version ON arms;
    DROP TRIGGER IF EXISTS experiments_version ON experiments;
    DROP FUNCTION IF EXISTS equipoise_arm_version();
    DROP FUNCTION IF EXISTS equipoise_experiment_version();
    ALTER TABLE assignments DROP COLUMN assignment_method, DROP COLUMN hash_bucket;
    ALTER TABLE experiments DROP COLUMN assignment_mode, DROP COLUMN stop_at_desired_n, DROP COLUMN hash_seed, DROP COLUMN version;
  `.execute(db);
}
