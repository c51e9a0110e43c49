/**
 * Shapes of the admin API answers the experiment screens read (`src/http/admin/experiments.ts`,
 * `datasources.ts`, `participant-types.ts`, `webhooks.ts`, `api-keys.ts`). Only the fields the screens use
 * are declared; bandit designs (issue 10) arrive in the same lists, so design fields are optional, and a
 * bandit's own fields are typed apart (`BanditDesignSpec`, `StoredBanditDesign`).
 */
export type ColumnType = 'boolean' | 'string' | 'uuid' | 'integer' | 'bigint' | 'float' | 'decimal' | 'date' | 'timestamp' | 'timestamptz' | 'unsupported';

export type ExperimentType = 'freq_preassigned' | 'freq_online' | BanditKind;
export type ExperimentState = 'assigned' | 'committed' | 'abandoned';

export type FilterScalar = string | number | boolean | null;
export type FilterRelation = 'includes' | 'excludes' | 'between';

export interface FilterSpec {
  readonly field_name: string;
  readonly relation: FilterRelation;
  readonly value: readonly FilterScalar[];
}

export interface ArmSpec {
  readonly arm_id?: string | null;
  readonly arm_name: string;
  readonly arm_description?: string;
  readonly arm_weight?: number | null;
}

export interface MetricSpec {
  readonly field_name: string;
  readonly metric_pct_change?: number | null;
  readonly metric_target?: number | null;
}

export interface DesignSpec {
  readonly experiment_type: ExperimentType;
  readonly experiment_name: string;
  readonly description?: string;
  readonly design_url?: string | null;
  readonly start_date: string;
  readonly end_date: string;
  readonly arms: readonly ArmSpec[];
  readonly table_name?: string;
  readonly primary_key?: string;
  readonly strata?: readonly { field_name: string }[];
  readonly metrics?: readonly MetricSpec[];
  readonly filters?: readonly FilterSpec[];
  readonly desired_n?: number | null;
  readonly power?: number;
  readonly alpha?: number;
  readonly fstat_thresh?: number;
  readonly assignment_mode?: 'random' | 'hash';
  readonly stop_at_desired_n?: boolean;
  readonly cluster_key?: string | null;
}

/** Adaptive experiments: a plain bandit, one whose outcome is a warehouse column, and a contextual one. */
export type BanditKind = 'mab_online' | 'mab_online_dwh' | 'cmab_online';
/** Beta for yes/no outcomes of a plain bandit; Normal for numbers and for every contextual bandit. */
export type PriorType = 'beta' | 'normal';
export type RewardType = 'binary' | 'real-valued';
export type ContextValueType = 'binary' | 'real-valued';

/**
 * A bandit arm and the prior it starts from: α/β or μ/σ as given, or derived by the server from the arms'
 * weights (each arm's chance of being best, in %) when weights are sent instead.
 */
export interface BanditArmSpec {
  /** Set by the server; a design being sent has none. */
  readonly arm_id?: string | null;
  readonly arm_name: string;
  readonly arm_description?: string;
  readonly arm_weight?: number | null;
  readonly alpha_init?: number | null;
  readonly beta_init?: number | null;
  readonly mu_init?: number | null;
  readonly sigma_init?: number | null;
}

export interface BanditContextSpec {
  /** Set by the server; a design being sent has none. */
  readonly context_id?: string | null;
  readonly context_name: string;
  readonly context_description?: string;
  readonly value_type: ContextValueType;
}

/**
 * A bandit design as the API takes it (`src/domain/bandit-design-spec.ts`): the registry fields every design
 * has, then arms with priors, the outcome and autofail settings, contexts (contextual bandits) and the
 * warehouse column the outcome stands for (`mab_online_dwh`).
 */
export interface BanditDesignSpec extends Pick<DesignSpec, 'experiment_name' | 'description' | 'design_url' | 'start_date' | 'end_date'> {
  readonly experiment_type: BanditKind;
  readonly arms: readonly BanditArmSpec[];
  readonly prior_type: PriorType;
  readonly reward_type: RewardType;
  readonly enable_autofail: boolean;
  readonly autofail_window?: number;
  readonly autofail_outcome_value?: number;
  readonly contexts?: readonly BanditContextSpec[] | null;
  readonly table_name?: string;
  readonly primary_key?: string;
  readonly target_field_name?: string;
}

/**
 * A bandit design as a config answers it (`src/services/bandits/bandit-config.ts`): the same fields, with the
 * ids the server gave every arm and context. `ExperimentConfig.design_spec` is typed for A/B tests; read a
 * bandit's through `banditDesignOf` (`bandit-design.ts`).
 */
export interface StoredBanditDesign extends BanditDesignSpec {
  readonly arms: readonly StoredBanditArm[];
  readonly contexts?: readonly StoredBanditContext[] | null;
}

export type StoredBanditArm = BanditArmSpec & { readonly arm_id: string };
export type StoredBanditContext = BanditContextSpec & { readonly context_id: string };

export interface BalanceCheck {
  readonly f_statistic: number;
  readonly numerator_df: number;
  readonly denominator_df: number;
  readonly p_value: number;
  readonly balance_ok: boolean;
}

export interface ArmSize {
  readonly arm: { readonly arm_id: string; readonly arm_name: string };
  readonly size: number;
  readonly cluster_count?: number | null;
}

export interface PowerMessage {
  readonly type: 'sufficient' | 'insufficient' | 'no baseline' | 'no available n' | 'zero effect size' | 'zero variation';
  readonly msg: string;
  readonly values: Record<string, number> | null;
}

export interface PowerAnalysis {
  readonly metric_spec: {
    readonly field_name: string;
    readonly metric_type?: 'binary' | 'numeric';
    readonly metric_pct_change?: number | null;
    readonly metric_target?: number | null;
    readonly metric_baseline?: number | null;
    readonly metric_stddev?: number | null;
    readonly available_n?: number;
    readonly available_nonnull_n?: number;
  };
  readonly target_n: number | null;
  readonly sufficient_n: boolean | null;
  readonly target_possible: number | null;
  readonly pct_change_possible: number | null;
  readonly pct_change_with_desired_n: number | null;
  readonly msg: PowerMessage | null;
}

export interface PowerResponse {
  readonly analyses: readonly PowerAnalysis[];
}

export interface ExperimentConfig {
  readonly experiment_id: string;
  readonly datasource_id: string;
  readonly state: ExperimentState;
  readonly stopped_assignments_at: string | null;
  readonly stopped_assignments_reason: string | null;
  readonly design_spec: DesignSpec;
  readonly power_analyses: { readonly analyses: readonly PowerAnalysis[] } | null;
  readonly assign_summary: {
    readonly balance_check: BalanceCheck | null;
    readonly sample_size: number;
    readonly arm_sizes: readonly ArmSize[];
  };
  readonly webhooks: readonly string[];
  readonly decision: string;
  readonly impact: string;
  readonly assignment_progress?: { readonly status?: string; readonly phase?: string; readonly written?: number; readonly total?: number } | null;
}

export interface ExperimentSchemaField {
  readonly field_name: string;
  readonly data_type: ColumnType;
  readonly is_unique_id: boolean;
}

export interface ExperimentForUi {
  readonly config: ExperimentConfig;
  readonly experiment_schema: { readonly table_name: string; readonly fields: readonly ExperimentSchemaField[] } | null;
}

export interface DatasourceSummary {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
}

export interface FieldSummary {
  readonly field_name: string;
  readonly data_type: ColumnType;
  readonly description: string;
}

export interface ParticipantTypeField extends FieldSummary {
  readonly is_unique_id: boolean;
  readonly is_strata: boolean;
  readonly is_filter: boolean;
  readonly is_metric: boolean;
}

export interface ParticipantType {
  readonly participant_type: string;
  readonly table_name: string;
  readonly fields: readonly ParticipantTypeField[];
}

export interface ParticipantTypeInspection {
  readonly filters: ReadonlyArray<
    FieldSummary & {
      readonly relations: readonly FilterRelation[];
      readonly distinct_values?: readonly FilterScalar[];
      readonly distinct_values_truncated?: boolean;
      readonly min?: FilterScalar;
      readonly max?: FilterScalar;
    }
  >;
  readonly metrics: readonly FieldSummary[];
  readonly strata: readonly FieldSummary[];
}

export interface TableInspection {
  readonly table_name: string;
  readonly primary_key_fields: readonly string[];
  readonly detected_unique_id_fields: readonly string[];
  readonly fields: readonly FieldSummary[];
}

export interface WebhookSummary {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
  readonly event_types: readonly string[];
  readonly enabled: boolean;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  readonly expires_at: string | null;
  readonly scopes: readonly string[];
}

export interface SampleCall {
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly example_response?: unknown;
}
