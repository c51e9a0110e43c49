/**
 * What the datasource screens read from the admin API (`src/http/admin/datasources.ts`, `api-keys.ts`,
 * `participant-types.ts`, `organizations.ts`), their query keys, and the hooks that fetch them. Mutations
 * invalidate by the `['datasource', id]` and `['datasources']` prefixes, so every view of a datasource
 * refreshes together.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export type ColumnType = 'boolean' | 'string' | 'uuid' | 'integer' | 'bigint' | 'float' | 'decimal' | 'date' | 'timestamp' | 'timestamptz';

export interface DatasourceSummary {
  readonly id: string;
  readonly name: string;
  /** `none` (API only), `duckdb`, `postgres`, `redshift`, `mariadb`, `bigquery`. */
  readonly driver: string;
  readonly organization_id: string;
  readonly experiment_count: number;
  readonly api_key_count: number;
  readonly participant_types: readonly string[];
}

export interface DatasourceDetail {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly organization_id: string;
  readonly organization_name: string;
  /** The settings with the credential always `{type: "hidden"}`. */
  readonly dsn: Readonly<Record<string, unknown>>;
  readonly experiment_count: number;
  readonly api_key_count: number;
}

export interface TableColumns {
  readonly table_name: string;
  readonly primary_key_fields: readonly string[];
  readonly detected_unique_id_fields: readonly string[];
  readonly fields: ReadonlyArray<{ readonly field_name: string; readonly data_type: ColumnType; readonly description: string }>;
  readonly unsupported_fields: ReadonlyArray<{ readonly field_name: string; readonly native_type: string }>;
}

export interface FieldDescriptor {
  readonly field_name: string;
  readonly data_type: string;
  readonly description: string;
  readonly is_unique_id: boolean;
  readonly is_strata: boolean;
  readonly is_filter: boolean;
  readonly is_metric: boolean;
}

export interface ParticipantTypeDef {
  readonly participant_type: string;
  readonly table_name: string;
  readonly fields: readonly FieldDescriptor[];
}

export type SchemaDiff =
  | { readonly type: 'table_deleted'; readonly table_name: string }
  | { readonly type: 'column_deleted'; readonly table_name: string; readonly column_name: string }
  | { readonly type: 'column_changed_type'; readonly table_name: string; readonly column_name: string; readonly old_type: string; readonly new_type: string };

export interface ParticipantTypeDetail {
  readonly current: ParticipantTypeDef;
  /** Every live column carrying its saved annotations. */
  readonly proposed: ParticipantTypeDef;
  readonly drift: { readonly schema_diff: readonly SchemaDiff[] };
}

export type ApiKeyScope = 'read' | 'assign';

export interface ApiKey {
  readonly id: string;
  readonly datasource_id: string;
  readonly created_at: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly rate_limit_per_second: number | null;
}

export interface CreatedApiKey {
  readonly id: string;
  readonly datasource_id: string;
  /** The plaintext key: shown once, never again. */
  readonly key: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expires_at: string | null;
  readonly previous_key_expires_at?: string;
}

export type ConnectionProblemCode = 'dns' | 'blocked_address' | 'refused' | 'unreachable' | 'auth' | 'not_found' | 'timeout' | 'tls' | 'settings' | 'failed';

export type ConnectionTest =
  | { readonly ok: true; readonly driver: string; readonly table_count: number; readonly tables: readonly string[]; readonly elapsed_ms: number }
  | {
      readonly ok: false;
      readonly driver: string;
      readonly problem: { readonly code: ConnectionProblemCode; readonly message: string; readonly hint: string; readonly field: string | null };
      readonly elapsed_ms: number;
    };

const M = '/v1/m';
const enc = encodeURIComponent;

export const datasourceKeys = {
  list: (orgId: string) => ['datasources', orgId] as const,
  one: (id: string) => ['datasource', id] as const,
  tables: (id: string) => ['datasource', id, 'tables'] as const,
  table: (id: string, table: string) => ['datasource', id, 'table', table] as const,
  diagnosis: (id: string) => ['datasource', id, 'diagnosis'] as const,
  participantTypes: (id: string) => ['datasource', id, 'participant-types'] as const,
  participantType: (id: string, name: string) => ['datasource', id, 'participant-type', name] as const,
  apiKeys: (id: string) => ['datasource', id, 'apikeys'] as const,
};

export const datasourcePaths = {
  list: (orgId: string) => `${M}/organizations/${enc(orgId)}/datasources`,
  create: () => `${M}/datasources`,
  testNew: (orgId: string) => `${M}/organizations/${enc(orgId)}/datasources/test-connection`,
  one: (id: string) => `${M}/datasources/${enc(id)}`,
  test: (id: string) => `${M}/datasources/${enc(id)}/test-connection`,
  tables: (id: string) => `${M}/datasources/${enc(id)}/inspect`,
  table: (id: string, table: string) => `${M}/datasources/${enc(id)}/inspect/${enc(table)}`,
  participantTypes: (id: string) => `${M}/datasources/${enc(id)}/participants`,
  participantType: (id: string, name: string) => `${M}/datasources/${enc(id)}/participants/${enc(name)}`,
  apiKeys: (id: string) => `${M}/datasources/${enc(id)}/apikeys`,
  apiKey: (id: string, keyId: string) => `${M}/datasources/${enc(id)}/apikeys/${enc(keyId)}`,
};

export function useDatasources(orgId: string) {
  return useQuery({ queryKey: datasourceKeys.list(orgId), queryFn: () => api.get<{ items: DatasourceSummary[] }>(datasourcePaths.list(orgId)) });
}

export function useDatasource(id: string) {
  return useQuery({ queryKey: datasourceKeys.one(id), queryFn: () => api.get<DatasourceDetail>(datasourcePaths.one(id)) });
}

/** The table list from the server's five-minute cache; `refresh()` below re-reads the warehouse. */
export function useTables(id: string, enabled = true) {
  return useQuery({
    queryKey: datasourceKeys.tables(id),
    queryFn: () => api.get<{ tables: string[] }>(datasourcePaths.tables(id)),
    enabled,
    // A failing warehouse will not heal in the next second; one attempt, then the diagnosis says why.
    retry: false,
  });
}

export function useTableColumns(id: string, table: string | null) {
  return useQuery({
    queryKey: datasourceKeys.table(id, table ?? ''),
    queryFn: () => api.get<TableColumns>(datasourcePaths.table(id, table ?? '')),
    enabled: table !== null && table !== '',
    retry: false,
  });
}

export function useParticipantTypes(id: string) {
  return useQuery({
    queryKey: datasourceKeys.participantTypes(id),
    queryFn: () => api.get<{ items: ParticipantTypeDef[]; has_hidden: boolean }>(datasourcePaths.participantTypes(id)),
  });
}

export function useParticipantType(id: string, name: string) {
  return useQuery({
    queryKey: datasourceKeys.participantType(id, name),
    queryFn: () => api.get<ParticipantTypeDetail>(datasourcePaths.participantType(id, name)),
    retry: false,
  });
}

export function useApiKeys(id: string) {
  return useQuery({ queryKey: datasourceKeys.apiKeys(id), queryFn: () => api.get<{ items: ApiKey[] }>(datasourcePaths.apiKeys(id)) });
}
