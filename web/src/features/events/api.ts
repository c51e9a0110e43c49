/** Recent Events as the admin API serves them (`GET /v1/m/organizations/{org}/events`, `…/resend`). */
export interface EventSummary {
  readonly id: string;
  readonly created_at: string;
  readonly type: string;
  readonly summary: string;
  /** An in-app path (the experiment), or null. */
  readonly link: string | null;
  readonly details: Record<string, unknown>;
  readonly status_icon: 'success' | 'info' | 'failure';
}

export interface EventPage {
  readonly items: readonly EventSummary[];
  readonly next_page_token: string;
}

export const eventsPath = (org: string) => `/v1/m/organizations/${org}/events`;
export const eventKeys = {
  all: (org: string) => ['events', org] as const,
  page: (org: string, type: string, token: string) => ['events', org, type, token] as const,
};

/** Types that appear in Recent Events but are not webhook subscriptions. */
export const LOG_ONLY_TYPES = ['webhook.sent'] as const;

/** What a `webhook.sent` event records about one attempt. */
export interface SentDetails {
  readonly webhook_id?: string;
  readonly message_id?: string;
  readonly success?: boolean;
  readonly status_code?: number | null;
  readonly latency_ms?: number;
  readonly error_class?: string | null;
  readonly attempt?: number;
  readonly response?: string;
  readonly request?: { readonly url?: string; readonly method?: string };
}

/** Where an event points inside the app: its experiment (the server's link) and the webhook it concerns. */
export function eventLinks(e: EventSummary): { experiment: string | null; webhook: string | null } {
  const webhookId = typeof e.details.webhook_id === 'string' ? e.details.webhook_id : null;
  return { experiment: e.link, webhook: webhookId ? `/webhooks/${encodeURIComponent(webhookId)}` : null };
}
