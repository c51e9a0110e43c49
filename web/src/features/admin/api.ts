/**
 * What the instance administration screens read from the admin API (`src/http/admin/users.ts`, and
 * `GET /organizations?scope=all`), their query keys and hooks. Every key starts with `['admin']`, so one
 * invalidation refreshes them all after a change.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

export interface UserSummary {
  readonly id: string;
  readonly email: string;
  readonly is_privileged: boolean;
  readonly organizations: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** The epoch when the user never signed out. */
  readonly last_logout: string;
  readonly has_logged_in: boolean;
  readonly created_at: string;
}

export interface UserOrganization {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly user_count: number;
  readonly experiment_count: number;
  readonly joined_at: string;
}

export interface UserDetail extends Omit<UserSummary, 'organizations'> {
  readonly organizations: readonly UserOrganization[];
}

export interface InstanceOrganization {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly user_count: number;
  readonly experiment_count: number;
  /** When the caller joined it; null when the caller is not a member. */
  readonly joined_at: string | null;
}

export const USERS_PAGE_SIZE = 25;
export const ORGANIZATIONS_PAGE_SIZE = 25;

export const adminKeys = {
  all: ['admin'] as const,
  users: (search: string, token: string | undefined) => ['admin', 'users', search, token ?? ''] as const,
  user: (id: string) => ['admin', 'user', id] as const,
  organizations: (search: string, token: string | undefined) => ['admin', 'organizations', search, token ?? ''] as const,
  organizationChoices: ['admin', 'organization-choices'] as const,
};

export const adminPaths = {
  users: '/v1/m/users',
  user: (id: string) => `/v1/m/users/${encodeURIComponent(id)}`,
  member: (orgId: string, userId: string) => `/v1/m/organizations/${encodeURIComponent(orgId)}/members/${encodeURIComponent(userId)}`,
};

export function useUsers(search: string, pageToken: string | undefined) {
  return useQuery({
    queryKey: adminKeys.users(search, pageToken),
    queryFn: () => api.get<Page<UserSummary>>(adminPaths.users, { scope: 'all', email_contains: search, page_size: USERS_PAGE_SIZE, page_token: pageToken }),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string) {
  return useQuery({ queryKey: adminKeys.user(id), queryFn: () => api.get<UserDetail>(adminPaths.user(id)) });
}

export function useInstanceOrganizations(search: string, pageToken: string | undefined) {
  return useQuery({
    queryKey: adminKeys.organizations(search, pageToken),
    queryFn: () => api.get<Page<InstanceOrganization>>('/v1/m/organizations', { scope: 'all', name_contains: search, page_size: ORGANIZATIONS_PAGE_SIZE, page_token: pageToken }),
    placeholderData: keepPreviousData,
  });
}

/** The first 100 organizations by name, for "add to organization" (the picker says when there are more). */
export function useOrganizationChoices() {
  return useQuery({
    queryKey: adminKeys.organizationChoices,
    queryFn: () => api.get<Page<InstanceOrganization>>('/v1/m/organizations', { scope: 'all', page_size: 100 }),
  });
}
