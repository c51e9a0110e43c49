/**
 * Kysely's view of the app database. Column types follow what node-postgres returns on both PGlite and
 * PostgreSQL: bigint as string, timestamptz as Date, jsonb as parsed JSON.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type BigCount = ColumnType<string, number | string | undefined, number | string>;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UsersTable {
  id: string;
  email: string;
  is_privileged: Generated<boolean>;
  last_logout: Generated<Date>;
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  last_login_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserOrganizationsTable {
  user_id: string;
  organization_id: string;
  created_at: CreatedAt;
}

export interface DatasourcesTable {
  id: string;
  organization_id: string;
  name: string;
  driver: string;
  config: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Cached warehouse inspection: the table list (scope '') or one table's columns (scope = table name). */
export interface DatasourceInspectionsTable {
  datasource_id: string;
  scope: string;
  result: Json<unknown>;
  inspected_at: CreatedAt;
}

export interface ParticipantTypesTable {
  datasource_id: string;
  name: string;
  table_name: string;
  fields: Json<unknown[]>;
  /** Auto-generated types are left out of listings (0004). */
  hidden: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApiKeysTable {
  id: string;
  datasource_id: string;
  key_hash: string;
  created_at: CreatedAt;
  name: Generated<string>;
  /** Subset of `read`, `assign`. */
  scopes: ColumnType<string[], string | undefined, string>;
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  rate_limit_per_second: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionKeysTable {
  id: string;
  secret: string;
  created_at: CreatedAt;
}

export interface InvitesTable {
  id: string;
  organization_id: string;
  email: string;
  token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date, Date>;
  accepted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface AuditLogTable {
  seq: Generated<string>;
  id: string;
  organization_id: string;
  actor_type: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Json<Record<string, unknown>>;
  created_at: ColumnType<Date, Date, never>;
  prev_hash: string;
  hash: string;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: ColumnType<Date, Date, Date>;
  count: number;
  expires_at: ColumnType<Date, Date, Date>;
}

export interface WebhooksTable {
  id: string;
  organization_id: string;
  type: string;
  direction: Generated<string>;
  name: Generated<string>;
  url: string | null;
  auth_token: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Event types this endpoint receives (migration 0006). */
  event_types: ColumnType<string[], string | undefined, string>;
  signing_secret: string | null;
  previous_signing_secret: string | null;
  previous_secret_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ed25519_private_key: string | null;
  ed25519_public_key: string | null;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  disabled_reason: string | null;
  failing_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface WebhookMessagesTable {
  id: string;
  organization_id: string;
  event_type: string;
  event_id: string | null;
  /** The exact JSON text sent and signed. */
  body: string;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: string;
  message_id: string;
  webhook_id: string;
  status: Generated<string>;
  attempts: Generated<number>;
  task_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  message_id: string;
  webhook_id: string;
  attempt: number;
  attempted_at: ColumnType<Date, Date | string, never>;
  success: boolean;
  status_code: number | null;
  latency_ms: number;
  error_class: string | null;
  response_body: string | null;
}

export interface EventsTable {
  id: string;
  seq: Generated<string>;
  organization_id: string;
  type: string;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface ExperimentsTable {
  id: string;
  organization_id: string;
  datasource_id: string;
  experiment_type: string;
  state: Generated<string>;
  name: string;
  description: Generated<string>;
  design_url: string | null;
  start_date: ColumnType<Date, Date | string, Date | string>;
  end_date: ColumnType<Date, Date | string, Date | string>;
  table_name: string | null;
  primary_key: string | null;
  design: Json<Record<string, unknown>>;
  power_analyses: Json<unknown> | null;
  balance_check: Json<unknown> | null;
  random_seed: ColumnType<string | null, number | string | null, number | string | null>;
  stopped_assignments_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  stopped_assignments_reason: string | null;
  decision: Generated<string>;
  impact: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** `random` or `hash` (migration 0005). */
  assignment_mode: Generated<string>;
  stop_at_desired_n: Generated<boolean>;
  /** NULL: the experiment id seeds the hash. */
  hash_seed: ColumnType<string | null, string | null | undefined, string | null>;
  /** Bumped by trigger on every change; cached copies compare it (migration 0005). */
  version: ColumnType<string, never, never>;
  /** Preassignment progress while it runs, then its final summary (migration 0004). */
  assignment_progress: ColumnType<unknown | null, string | null | undefined, string | null>;
  /** Bandits: give draws without an outcome after the window the configured outcome (migration 0008). */
  enable_autofail: Generated<boolean>;
  autofail_window_hours: ColumnType<number | null, number | null | undefined, number | null>;
  autofail_outcome_value: ColumnType<number | null, number | null | undefined, number | null>;
  /** When `experiment.ended` went out; cleared when the end date moves into the future (migration 0011). */
  ended_event_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ArmsTable {
  id: string;
  experiment_id: string;
  position: number;
  name: string;
  description: Generated<string>;
  weight: number | null;
  population: BigCount;
  /** Clusters assigned to the arm, for cluster designs (0004). */
  cluster_count: ColumnType<number | null, number | null | undefined, number | null>;
  /** Bandit arms (0008): the prior, Beta (alpha/beta) or Normal (mu_init, sigma_init as a standard deviation)… */
  alpha_init: NullableNumber;
  beta_init: NullableNumber;
  mu_init: NullableNumber;
  sigma_init: NullableNumber;
  /** …and the current posterior: Beta(alpha, beta), or N(mu, covariance) over the context coefficients. */
  alpha: NullableNumber;
  beta: NullableNumber;
  mu: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  covariance: ColumnType<number[][] | null, number[][] | null | undefined, number[][] | null>;
  /** Outcomes folded into the posterior; also the last `draws.outcome_seq` of the arm. */
  n_outcomes: BigCount;
}

type NullableNumber = ColumnType<number | null, number | null | undefined, number | null>;

/** A bandit assignment (0008): the arm drawn, its context and propensity, and the outcome once reported. */
export interface DrawsTable {
  experiment_id: string;
  participant_id: string;
  arm_id: string;
  created_at: ColumnType<Date, Date | string, never>;
  context_vals: ColumnType<number[] | null, number[] | null | undefined, never>;
  propensity: ColumnType<number, number, never>;
  propensity_method: ColumnType<string, string, never>;
  outcome: NullableNumber;
  observed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  autofailed_outcome: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  outcome_seq: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  current_alpha: NullableNumber;
  current_beta: NullableNumber;
  current_mu: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  current_covariance: ColumnType<number[][] | null, number[][] | null | undefined, number[][] | null>;
}

export interface AssignmentsTable {
  experiment_id: string;
  participant_id: string;
  arm_id: string;
  strata: Json<StratumValue[]>;
  /** The participant's cluster, for cluster designs (migration 0004). */
  cluster_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  /** `random` or `hash` (migration 0005). */
  assignment_method: Generated<string>;
  hash_bucket: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface StratumValue {
  field_name: string;
  strata_value: string | null;
}

export interface ExperimentWebhooksTable {
  experiment_id: string;
  webhook_id: string;
}

export interface TasksTable {
  id: string;
  task_type: string;
  status: Generated<string>;
  payload: Json<Record<string, unknown>>;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: ColumnType<Date, Date | string, Date | string>;
  locked_until: ColumnType<Date | null, Date | string | null, Date | string | null>;
  locked_by: string | null;
  last_error: string | null;
  /** Set on periodic tasks: one row per key, so concurrent schedulers enqueue a cycle once. */
  dedupe_key: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One stored analysis of an experiment (migration 0009); API status `running` is `pending` here. */
export interface SnapshotsTable {
  id: string;
  experiment_id: string;
  status: ColumnType<'pending' | 'success' | 'failed', 'pending' | 'success' | 'failed' | undefined, 'pending' | 'success' | 'failed'>;
  message: ColumnType<string | null, string | null | undefined, string | null>;
  /** The analysis response as stored JSON text (NaN already null). */
  data: ColumnType<unknown | null, string | null | undefined, string | null>;
  trigger: 'scheduled' | 'on_demand';
  /** The scheduler cycle of a scheduled snapshot; null on demand. */
  cycle_start: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: ColumnType<Date, Date | string, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/** Whether the last analysis found a sample-ratio mismatch or imbalance, to warn once per finding (0009). */
export interface AnalysisFindingsTable {
  experiment_id: string;
  kind: 'sample_ratio_mismatch' | 'imbalance' | 'underpowered';
  active: boolean;
  fingerprint: string;
  details: Json<Record<string, unknown>>;
  raised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  checked_at: ColumnType<Date, Date | string, Date | string>;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  user_organizations: UserOrganizationsTable;
  datasources: DatasourcesTable;
  datasource_inspections: DatasourceInspectionsTable;
  participant_types: ParticipantTypesTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  events: EventsTable;
  experiments: ExperimentsTable;
  arms: ArmsTable;
  assignments: AssignmentsTable;
  draws: DrawsTable;
  experiment_webhooks: ExperimentWebhooksTable;
  tasks: TasksTable;
  webhook_messages: WebhookMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  session_keys: SessionKeysTable;
  invites: InvitesTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  snapshots: SnapshotsTable;
  analysis_findings: AnalysisFindingsTable;
}

export type Experiment = Selectable<ExperimentsTable>;
export type Arm = Selectable<ArmsTable>;
export type Draw = Selectable<DrawsTable>;
export type Webhook = Selectable<WebhooksTable>;
export type WebhookAttempt = Selectable<WebhookAttemptsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type Task = Selectable<TasksTable>;
export type NewTask = Insertable<TasksTable>;
export type EventRow = Selectable<EventsTable>;
export type Datasource = Selectable<DatasourcesTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type Snapshot = Selectable<SnapshotsTable>;
