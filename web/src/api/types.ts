/** Shapes of the admin API responses the shell itself uses; screens declare their own next to their queries. */
export interface CallerIdentity {
  readonly id: string;
  readonly email: string;
  readonly is_privileged: boolean;
}

export interface OrganizationSummary {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly user_count: number;
  readonly experiment_count: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_page_token: string;
}
