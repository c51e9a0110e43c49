/**
 * What the organization settings screens read from the admin API (`src/http/admin/organizations.ts`,
 * `audit.ts`), their query keys and hooks. Keys start with `['organization', id]`, so a mutation can refresh
 * every view of one organization with a single prefix.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly is_privileged: boolean;
  readonly joined_at: string;
}

export interface OrganizationDetail {
  readonly id: string;
  readonly name: string;
  readonly users: readonly Member[];
}

export type InviteStatus = 'pending' | 'sent' | 'accepted' | 'expired';

export interface Invite {
  readonly id: string;
  readonly email: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly status: InviteStatus;
}

export interface AuditEntry {
  readonly id: string;
  readonly created_at: string;
  /** `user`, `api_key` or `system`. */
  readonly actor_type: string;
  readonly actor_id: string;
  /** The acting user's current email; null for keys, system work and deleted users. */
  readonly actor_email: string | null;
  readonly action: string;
  readonly target_type: string;
  readonly target_id: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly hash: string;
  readonly prev_hash: string;
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly entries: number;
  readonly first_invalid_id: string | null;
}

export const AUDIT_PAGE_SIZE = 25;

export const organizationKeys = {
  all: (orgId: string) => ['organization', orgId] as const,
  detail: (orgId: string) => ['organization', orgId, 'detail'] as const,
  invites: (orgId: string) => ['organization', orgId, 'invites'] as const,
  audit: (orgId: string, pageToken: string | undefined) => ['organization', orgId, 'audit', pageToken ?? ''] as const,
  verification: (orgId: string) => ['organization', orgId, 'audit-verification'] as const,
};

export const organizationPaths = {
  organization: (orgId: string) => `/v1/m/organizations/${encodeURIComponent(orgId)}`,
  members: (orgId: string) => `${organizationPaths.organization(orgId)}/members`,
  member: (orgId: string, userId: string) => `${organizationPaths.members(orgId)}/${encodeURIComponent(userId)}`,
  leave: (orgId: string) => `${organizationPaths.organization(orgId)}/leave`,
  invites: (orgId: string) => `${organizationPaths.organization(orgId)}/invites`,
  invite: (orgId: string, inviteId: string) => `${organizationPaths.invites(orgId)}/${encodeURIComponent(inviteId)}`,
  audit: (orgId: string) => `${organizationPaths.organization(orgId)}/audit`,
};

export function useOrganizationDetail(orgId: string) {
  return useQuery({ queryKey: organizationKeys.detail(orgId), queryFn: () => api.get<OrganizationDetail>(organizationPaths.organization(orgId)) });
}

/** While a mail is still queued, look again every few seconds so "Queued" turns into "Sent" by itself. */
const QUEUED_POLL_MS = 3000;

export function useInvites(orgId: string) {
  return useQuery({
    queryKey: organizationKeys.invites(orgId),
    queryFn: () => api.get<{ items: readonly Invite[] }>(organizationPaths.invites(orgId)),
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'pending') ? QUEUED_POLL_MS : false),
  });
}

export function useAuditPage(orgId: string, pageToken: string | undefined) {
  return useQuery({
    queryKey: organizationKeys.audit(orgId, pageToken),
    queryFn: () => api.get<Page<AuditEntry>>(organizationPaths.audit(orgId), { page_size: AUDIT_PAGE_SIZE, page_token: pageToken }),
    // Keep the current page on screen while the next one loads, so the pager does not jump.
    placeholderData: keepPreviousData,
  });
}

export function useAuditVerification(orgId: string) {
  return useQuery({
    queryKey: organizationKeys.verification(orgId),
    queryFn: () => api.get<ChainVerification>(`${organizationPaths.audit(orgId)}/verification`),
    // Recomputing the chain reads the whole log; do it when asked, not on every focus or remount.
    staleTime: 60_000,
  });
}
