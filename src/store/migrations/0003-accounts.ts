/**
 * Accounts and abuse protection: sign-in identities on users (password hash, OIDC issuer and subject),
 * the session signing keys, invites, API-key names/expiry/scopes/limits, the hash-chained audit log and
 * the rate-limit counters that every API replica shares.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users
      ADD COLUMN password_hash text,
      ADD COLUMN oidc_issuer text,
      ADD COLUMN oidc_subject text,
      ADD COLUMN last_login_at timestamptz;
    -- A user is locked to the first identity provider account they signed in with.
    CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;

    -- HMAC keys that sign session tokens. The newest signs; older ones still verify until their tokens expire.
    CREATE TABLE session_keys (
      id text PRIMARY KEY,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );

    ALTER TABLE api_keys
      ADD COLUMN name text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
      ADD COLUMN scopes jsonb NOT NULL DEFAULT '["read", "assign"]',
      ADD COLUMN expires_at timestamptz,
      ADD COLUMN last_used_at timestamptz,
      -- Requests per second; NULL means the installation's default.
      ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second > 0),
      ADD COLUMN created_by text;

    CREATE TABLE invites (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      email text NOT NULL CHECK (length(email) <= 255),
      -- Set when the mail goes out; only a hash of the link's token is kept.
      token_hash text UNIQUE,
      invited_by text REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz
    );
    CREATE INDEX invites_org ON invites (organization_id, created_at DESC);

    -- Who changed what. One hash chain per organization: each row's hash covers the previous row's hash,
    -- so an edited or deleted row breaks every later link. No foreign key: the record outlives its subject.
    CREATE TABLE audit_log (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      organization_id text NOT NULL,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    );
    CREATE INDEX audit_log_org ON audit_log (organization_id, seq DESC);

    CREATE FUNCTION equipoise_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION equipoise_audit_append_only();

    -- Fixed-window counters, one row per bucket (e.g. "login-ip:10.0.0.1"), shared by all API processes.
    CREATE TABLE rate_limits (
      bucket text PRIMARY KEY,
      window_start timestamptz NOT NULL,
      count integer NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS rate_limits, audit_log, invites, session_keys CASCADE;
    DROP FUNCTION IF EXISTS equipoise_audit_append_only();
    ALTER TABLE api_keys DROP COLUMN name, DROP COLUMN scopes, DROP COLUMN expires_at, DROP COLUMN last_used_at,
      DROP COLUMN rate_limit_per_second, DROP COLUMN created_by;
    DROP INDEX IF EXISTS users_oidc_identity;
    ALTER TABLE users DROP COLUMN password_hash, DROP COLUMN oidc_issuer, DROP COLUMN oidc_subject, DROP COLUMN last_login_at;
  `.execute(db);
}
