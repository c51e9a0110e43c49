/**
 * First start of an installation: the first user becomes an instance admin with an organization, that
 * organization's "API only" datasource and, unless turned off, the DuckDB demo warehouse registered as a
 * datasource with a participant type. Also mints the admin's session token that start-up prints. Any
 * first user of an installation (bootstrap, first OIDC login) becomes privileged.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { newId } from '../domain/ids.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { DB } from '../store/schema.ts';
import { MAX_SESSION_TTL_MS, issueSession } from './sessions.ts';

export const DEMO_ADMIN_EMAIL = 'admin@localhost';
/** How long a printed start-up token stays valid. */
export const STARTUP_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

export interface DemoWarehouse {
  /** Path of the DuckDB file relative to the data directory. */
  readonly path: string;
  readonly participantType: { readonly name: string; readonly table_name: string; readonly fields: readonly unknown[] };
}

export interface BootstrapResult {
  /** True when this call created the admin and organization. */
  readonly created: boolean;
  readonly userId: string;
  readonly organizationId: string;
}

/** Creates an organization with its "API only" datasource; every organization has one. */
export async function createOrganization(trx: Transaction<DB>, name: string, ownerId: string): Promise<string> {
  const organizationId = newId('organization');
  await trx.insertInto('organizations').values({ id: organizationId, name }).execute();
  await trx.insertInto('user_organizations').values({ user_id: ownerId, organization_id: organizationId }).execute();
  await trx
    .insertInto('datasources')
    .values({ id: newId('datasource'), organization_id: organizationId, name: 'API only', driver: 'none', config: JSON.stringify({ driver: 'none' }) })
    .execute();
  return organizationId;
}

/** Idempotent: a second call (or a concurrent one, serialized by an advisory lock) finds the admin and returns it. */
export async function bootstrapInstallation(db: Kysely<DB>, demo: DemoWarehouse | null): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('equipoise.bootstrap'))`.execute(trx);
    const existing = await trx
      .selectFrom('users as u')
      .leftJoin('user_organizations as m', 'm.user_id', 'u.id')
      .select(['u.id', 'm.organization_id'])
      .where('u.is_privileged', '=', true)
      .orderBy('u.created_at')
      .orderBy('m.created_at')
      .executeTakeFirst();
    if (existing) return { created: false, userId: existing.id, organizationId: existing.organization_id ?? '' };

    const userId = newId('user');
    await trx.insertInto('users').values({ id: userId, email: DEMO_ADMIN_EMAIL, is_privileged: true }).execute();
    const organizationId = await createOrganization(trx, 'Demo organization', userId);
    if (demo) {
      const datasourceId = newId('datasource');
      await trx
        .insertInto('datasources')
        .values({
          id: datasourceId,
          organization_id: organizationId,
          name: 'Demo warehouse (DuckDB)',
          driver: 'duckdb',
          config: JSON.stringify({ driver: 'duckdb', path: demo.path }),
        })
        .execute();
      await trx
        .insertInto('participant_types')
        .values({
          datasource_id: datasourceId,
          name: demo.participantType.name,
          table_name: demo.participantType.table_name,
          fields: JSON.stringify(demo.participantType.fields),
        })
        .execute();
    }
    return { created: true, userId, organizationId };
  });
}

/**
 * A new admin-API session token for the user, expiring at `expiresAt` (null: the longest a session may
 * live). Kept for the start-up login and tests.
 *
 * @example const token = await issueAccessToken(db, userId, new Date(Date.now() + STARTUP_TOKEN_TTL_MS));
 */
export async function issueAccessToken(db: Kysely<DB>, userId: string, expiresAt: Date | null, clock: Clock = systemClock): Promise<string> {
  const ttl = expiresAt ? expiresAt.getTime() - clock.now().getTime() : MAX_SESSION_TTL_MS;
  return issueSession({ db, clock }, userId, ttl);
}
