/**
 * The delivery log's machine words (`error_class`, `disabled_reason`, delivery status) in sentences that say
 * what happened and what to do about it.
 */
import type { Attempt, LastAttempt } from './api.ts';

/** Why an attempt failed, for people: what went wrong and, where it helps, what to check. */
export function attemptFailure(a: Pick<Attempt, 'success' | 'status_code' | 'error_class'>): string | null {
  if (a.success) return null;
  switch (a.error_class) {
    case 'http_status':
      return `The receiver answered HTTP ${a.status_code ?? '?'}. Only a 2xx answer counts as delivered; check the receiver's log.`;
    case 'redirect':
      return `The receiver answered with a redirect (HTTP ${a.status_code ?? '3xx'}). Redirects are not followed: set the webhook's URL to the final address.`;
    case 'gone':
      return 'The receiver answered 410 Gone, so the webhook was disabled. Enable it again once the receiver is back.';
    case 'timeout':
      return 'The receiver did not answer in time (15 seconds unless the server sets WEBHOOK_TIMEOUT_MS). Answer at once and do the work afterwards.';
    case 'connection':
      return 'Could not connect to the receiver (refused or reset). Check that it is running and reachable from the Equipoise server.';
    case 'dns':
      return "The receiver's host name could not be resolved. Check the URL.";
    case 'unsafe_address':
      return 'Not sent to this address: it is private or loopback (ALLOW_PRIVATE_IPS), or the server’s egress rules (WEBHOOK_ALLOWED_HOSTS, WEBHOOK_DENIED_HOSTS) refuse it. The details give the reason.';
    case 'endpoint_disabled':
      return 'Not sent: the webhook was disabled when the delivery came due. Enable it, then replay the failed deliveries.';
    case 'endpoint_deleted':
      return 'Not sent: the webhook was deleted.';
    case 'signing':
      return 'Not sent: the server could not sign the delivery (its secret keyset is missing or changed).';
    default:
      return a.status_code ? `Failed with HTTP ${a.status_code}.` : 'Failed.';
  }
}

/** A short outcome label: "200", "HTTP 500", "Timed out". */
export function attemptOutcome(a: Pick<LastAttempt, 'success' | 'status_code' | 'error_class'>): string {
  if (a.status_code !== null) return `HTTP ${a.status_code}`;
  switch (a.error_class) {
    case 'timeout':
      return 'Timed out';
    case 'connection':
      return 'No connection';
    case 'dns':
      return 'Unknown host';
    case 'unsafe_address':
      return 'Blocked address';
    case 'endpoint_disabled':
      return 'Not sent (disabled)';
    case 'endpoint_deleted':
      return 'Not sent (deleted)';
    case 'signing':
      return 'Not signed';
    default:
      return a.success ? 'Delivered' : 'Failed';
  }
}

/** Why the server (or a member) disabled a webhook. */
export function disabledReason(reason: string | null): string {
  switch (reason) {
    case 'gone':
      return 'the receiver answered 410 Gone';
    case 'failing':
      return 'every delivery failed for 5 days';
    case 'manual':
      return 'a member disabled it';
    default:
      return reason ?? 'disabled';
  }
}
