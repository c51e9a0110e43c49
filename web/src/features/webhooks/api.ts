/**
 * The webhook admin API as the screens use it (`src/http/admin/webhooks.ts`): shapes, query keys and the
 * read queries. Secrets (`auth_token`, `signing_secret`) only arrive from create, reveal and rotation, and
 * are never put in the query cache.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface LastAttempt {
  readonly attempted_at: string;
  readonly success: boolean;
  readonly status_code: number | null;
  readonly error_class: string | null;
}

export interface Webhook {
  readonly id: string;
  readonly type: string;
  readonly direction: string;
  readonly name: string;
  readonly url: string | null;
  readonly event_types: readonly string[];
  readonly enabled: boolean;
  readonly disabled_at: string | null;
  /** 'gone' (answered 410), 'failing' (5 days of failures) or 'manual'. */
  readonly disabled_reason: string | null;
  readonly public_key: string | null;
  readonly previous_secret_expires_at: string | null;
  readonly last_attempt?: LastAttempt | null;
}

/** What create, reveal and rotation answer: the webhook with its secrets. */
export interface WebhookWithSecrets extends Webhook {
  readonly auth_token?: string | null;
  readonly signing_secret?: string | null;
}

export interface EventTypeInfo {
  readonly type: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
}

export interface Attempt {
  readonly id: string;
  readonly delivery_id: string;
  readonly message_id: string;
  readonly webhook_id: string;
  readonly event_type: string | null;
  readonly attempt: number;
  readonly attempted_at: string;
  readonly success: boolean;
  readonly status_code: number | null;
  readonly latency_ms: number;
  readonly error_class: string | null;
  readonly response_body: string | null;
}

export interface WebhookMessage {
  readonly id: string;
  readonly event_type: string;
  readonly event_id: string | null;
  readonly created_at: string;
  readonly body: Record<string, unknown>;
  readonly deliveries: ReadonlyArray<{
    readonly id: string;
    readonly webhook_id: string;
    readonly status: string;
    readonly last_error: string | null;
    readonly next_attempt_at: string | null;
    readonly attempts: readonly Attempt[];
  }>;
}

export interface WebhookInput {
  readonly name: string;
  readonly url: string;
  readonly event_types: readonly string[];
  readonly ed25519?: boolean;
}

export const webhooksPath = (org: string) => `/v1/m/organizations/${org}/webhooks`;
export const webhookPath = (org: string, id: string) => `${webhooksPath(org)}/${encodeURIComponent(id)}`;
export const messagePath = (org: string, messageId: string) => `/v1/m/organizations/${org}/webhook-messages/${encodeURIComponent(messageId)}`;

export const webhookKeys = {
  all: (org: string) => ['webhooks', org] as const,
  one: (org: string, id: string) => ['webhooks', org, id] as const,
  attempts: (org: string, id: string) => ['webhooks', org, id, 'attempts'] as const,
  message: (org: string, messageId: string) => ['webhook-messages', org, messageId] as const,
};

export function useWebhooks(org: string) {
  return useQuery({ queryKey: webhookKeys.all(org), queryFn: () => api.get<{ items: Webhook[] }>(webhooksPath(org)) });
}

export function useWebhook(org: string, id: string) {
  return useQuery({ queryKey: webhookKeys.one(org, id), queryFn: () => api.get<Webhook>(webhookPath(org, id)) });
}

/** The catalogue does not change while the server runs. */
export function useEventTypes() {
  return useQuery({
    queryKey: ['webhook-event-types'],
    queryFn: () => api.get<{ items: EventTypeInfo[] }>('/v1/m/webhook-event-types'),
    staleTime: Infinity,
  });
}
