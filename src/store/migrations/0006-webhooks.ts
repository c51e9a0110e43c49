/**
 * Webhooks that never lose a notification: event-type subscriptions, Standard Webhooks signing secrets
 * (encrypted by the secret keyset, with an overlap window on rotation), endpoint disabling, and the delivery
 * log. A message is one event's body with a stable `webhook-id`; a delivery is that message for one endpoint
 * (what replay restarts); an attempt is one HTTP request of a delivery.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhooks
      -- Existing webhooks keep receiving what the reference sent them.
      ADD COLUMN event_types jsonb NOT NULL DEFAULT '["experiment.created"]',
      -- 'eqs1.<key>.<…>' ciphertexts (AAD binds each to its row); NULL on rows created before signing existed.
      ADD COLUMN signing_secret text,
      ADD COLUMN previous_signing_secret text,
      ADD COLUMN previous_secret_expires_at timestamptz,
      ADD COLUMN ed25519_private_key text,
      ADD COLUMN ed25519_public_key text,
      ADD COLUMN disabled_at timestamptz,
      ADD COLUMN disabled_reason text,
      -- Start of the current run of failed attempts; NULL after any success. Five days of it disable the endpoint.
      ADD COLUMN failing_since timestamptz;

    CREATE TABLE webhook_messages (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      event_type text NOT NULL,
      event_id text,
      -- The exact bytes sent and signed (text, not jsonb, which would reorder keys between attempts' logs).
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX webhook_messages_org ON webhook_messages (organization_id, created_at DESC);

    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      message_id text NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
      webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      task_id text,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (webhook_id, status, created_at);
    CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);

    CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      message_id text NOT NULL,
      webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      attempted_at timestamptz NOT NULL,
      success boolean NOT NULL,
      status_code integer,
      latency_ms integer NOT NULL,
      -- http_status, redirect, gone, timeout, connection, dns, unsafe_address, endpoint_disabled, signing
      error_class text,
      response_body text
    );
    CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (webhook_id, id DESC);
    CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS webhook_attempts, webhook_deliveries, webhook_messages;
    ALTER TABLE webhooks
      DROP COLUMN event_types, DROP COLUMN signing_secret, DROP COLUMN previous_signing_secret,
      DROP COLUMN previous_secret_expires_at, DROP COLUMN ed25519_private_key, DROP COLUMN ed25519_public_key,
      DROP COLUMN disabled_at, DROP COLUMN disabled_reason, DROP COLUMN failing_since;
  `.execute(db);
}
