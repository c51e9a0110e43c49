/**
 * The first schema. Written as SQL text so reviewers see exactly what runs, and kept to features of
 * PostgreSQL 15 (the lowest server we support) even though PGlite is PostgreSQL 18.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL CHECK (length(name) <= 255),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id text PRIMARY KEY,
      email text NOT NULL UNIQUE CHECK (length(email) <= 255),
      is_privileged boolean NOT NULL DEFAULT false,
      last_logout timestamptz NOT NULL DEFAULT 'epoch',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE user_organizations (
      user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, organization_id)
    );
    CREATE INDEX user_organizations_org ON user_organizations (organization_id);

    CREATE TABLE datasources (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) <= 255),
      driver text NOT NULL,
      config jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX datasources_org ON datasources (organization_id);

    CREATE TABLE participant_types (
      datasource_id text NOT NULL REFERENCES datasources(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) <= 100),
      table_name text NOT NULL,
      fields jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (datasource_id, name)
    );
    -- Lookups by name are case-insensitive, so names may not differ only by case.
    CREATE UNIQUE INDEX participant_types_name_ci ON participant_types (datasource_id, lower(name));

    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      datasource_id text NOT NULL REFERENCES datasources(id) ON DELETE CASCADE,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX api_keys_datasource ON api_keys (datasource_id);

    CREATE TABLE webhooks (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      type text NOT NULL,
      direction text NOT NULL DEFAULT 'outbound',
      name text NOT NULL DEFAULT '',
      url text,
      auth_token text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhooks_org ON webhooks (organization_id);

    CREATE TABLE events (
      id text PRIMARY KEY,
      -- Insertion order: the listing's sort key and cursor (several events can share a millisecond).
      seq bigserial NOT NULL UNIQUE,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      type text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX events_org_recent ON events (organization_id, seq DESC);

    CREATE TABLE experiments (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      datasource_id text NOT NULL REFERENCES datasources(id) ON DELETE CASCADE,
      experiment_type text NOT NULL,
      state text NOT NULL DEFAULT 'assigned' CHECK (state IN ('assigned', 'committed', 'abandoned')),
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      design_url text,
      start_date timestamptz NOT NULL,
      end_date timestamptz NOT NULL,
      table_name text,
      primary_key text,
      -- The rest of the design (strata, metrics, filters, field types, power settings) as validated.
      design jsonb NOT NULL,
      power_analyses jsonb,
      balance_check jsonb,
      random_seed bigint,
      stopped_assignments_at timestamptz,
      stopped_assignments_reason text,
      decision text NOT NULL DEFAULT '',
      impact text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX experiments_datasource ON experiments (datasource_id, created_at DESC);
    CREATE INDEX experiments_org ON experiments (organization_id, created_at DESC);

    CREATE TABLE arms (
      id text PRIMARY KEY,
      experiment_id text NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      position integer NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      weight double precision,
      -- Denormalized count of assignments, kept in the transaction that writes them.
      population bigint NOT NULL DEFAULT 0,
      UNIQUE (experiment_id, position)
    );

    CREATE TABLE assignments (
      experiment_id text NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      participant_id text NOT NULL CHECK (length(participant_id) <= 255),
      arm_id text NOT NULL,
      strata jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (experiment_id, participant_id)
    );

    CREATE TABLE experiment_webhooks (
      experiment_id text NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      PRIMARY KEY (experiment_id, webhook_id)
    );

    -- One durable queue for all background work. A task is claimed by moving it to 'running' with a lease;
    -- a worker that dies leaves a lease that expires, and the task is claimed again.
    CREATE TABLE tasks (
      id text PRIMARY KEY,
      task_type text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'success', 'dead')),
      payload jsonb NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL,
      run_at timestamptz NOT NULL,
      locked_until timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX tasks_due ON tasks (run_at) WHERE status = 'pending';
    CREATE INDEX tasks_leased ON tasks (locked_until) WHERE status = 'running';

    CREATE FUNCTION equipoise_notify_task() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('equipoise_tasks', NEW.task_type);
      RETURN NULL;
    END $$;
    CREATE TRIGGER tasks_notify AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION equipoise_notify_task();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS tasks, experiment_webhooks, assignments, arms, experiments, events, webhooks,
      api_keys, participant_types, datasources, user_organizations, users, organizations CASCADE;
    DROP FUNCTION IF EXISTS equipoise_notify_task();
  `.execute(db);
}
