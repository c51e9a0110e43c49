/**
 * What every use case receives: its dependencies, built once in `main.ts`, and the actor making the call.
 * Services check permission against the actor on their first lines and know nothing of HTTP.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import type { EgressRules } from '../net/egress-rules.ts';
import type { SecretKeyset } from '../security/secret-keyset.ts';
import type { DB } from '../store/schema.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export interface ServiceDeps {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  /** Base URL for links we hand out, without a trailing slash. */
  readonly publicUrl: string;
  readonly allowPrivateIps: boolean;
  /** WEBHOOK_ALLOWED_HOSTS / WEBHOOK_DENIED_HOSTS, checked when a webhook URL is set; none when absent. */
  readonly webhookEgress?: EgressRules | undefined;
  /** Encrypts warehouse credentials at rest; null on a shared database started without keys (DuckDB only). */
  readonly secrets: SecretKeyset | null;
  /** Opens the warehouse behind a datasource's stored config. The caller closes it. */
  readonly openWarehouse: (config: Record<string, unknown>) => Promise<Warehouse>;
}

export type Actor =
  | { readonly kind: 'user'; readonly userId: string; readonly email: string; readonly isPrivileged: boolean }
  | { readonly kind: 'api_key'; readonly keyId: string; readonly datasourceId: string; readonly organizationId: string };

export type UserActor = Extract<Actor, { kind: 'user' }>;
export type ApiKeyActor = Extract<Actor, { kind: 'api_key' }>;

export interface ServiceContext<A extends Actor = Actor> extends ServiceDeps {
  readonly actor: A;
}

/** Runs `fn` with a warehouse opened for it, closing the warehouse however `fn` ends. */
export async function withWarehouse<T>(deps: ServiceDeps, config: Record<string, unknown>, fn: (w: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await deps.openWarehouse(config);
  try {
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}
