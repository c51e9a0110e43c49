/**
 * Instance administration of users ([P]: privileged callers only): add by email, list, read, change the
 * privileged flag, delete. At least one privileged user always remains, and nobody deletes themselves.
 *
 * @example await listUsers(ctx, { scope: 'all', emailContains: 'example.org', pageSize: 50 })
 */
import { sql } from 'kysely';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../domain/page-token.ts';
import type { DB } from '../store/schema.ts';
import { requirePrivileged } from './access.ts';
import type { ServiceContext, UserActor } from './context.ts';
import type { Kysely, Transaction } from 'kysely';

export const LAST_PRIVILEGED = 'At least one privileged user must remain.';

/** Emails are compared case-insensitively; we store them lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `%`, `_` and `\` match themselves in a user's search text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The user with that email, created (unprivileged, in no organization) if unknown. */
export async function upsertUserByEmail(db: Kysely<DB> | Transaction<DB>, email: string): Promise<{ id: string; created: boolean }> {
  const normalized = normalizeEmail(email);
  const inserted = await db
    .insertInto('users')
    .values({ id: newId('user'), email: normalized })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db.selectFrom('users').select('id').where('email', '=', normalized).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function createUser(ctx: ServiceContext<UserActor>, email: string) {
  requirePrivileged(ctx);
  const { id } = await upsertUserByEmail(ctx.db, email);
  return { id };
}

export interface ListUsersQuery {
  readonly scope: 'mine' | 'all';
  readonly emailContains?: string | undefined;
  readonly pageSize: number;
  readonly pageToken?: string | undefined;
}

export async function listUsers(ctx: ServiceContext<UserActor>, q: ListUsersQuery) {
  requirePrivileged(ctx);
  const now = ctx.clock.now();
  let query = ctx.db.selectFrom('users as u').select(['u.id', 'u.email', 'u.is_privileged', 'u.last_logout', 'u.last_login_at', 'u.created_at']);
  if (q.scope === 'mine') {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('user_organizations as theirs')
          .innerJoin('user_organizations as mine', 'mine.organization_id', 'theirs.organization_id')
          .select('theirs.user_id')
          .whereRef('theirs.user_id', '=', 'u.id')
          .where('mine.user_id', '=', ctx.actor.userId),
      ),
    );
  }
  if (q.emailContains) query = query.where(sql<boolean>`u.email ILIKE ${`%${escapeLike(q.emailContains)}%`} ESCAPE '\\'`);
  if (q.pageToken) {
    const [email, id] = decodePageToken(q.pageToken, 2, now);
    if (typeof email !== 'string' || typeof id !== 'string') throw new InvalidPageTokenError();
    query = query.where((eb) => eb.or([eb('u.email', '>', email), eb.and([eb('u.email', '=', email), eb('u.id', '>', id)])]));
  }
  const rows = await query.orderBy('u.email').orderBy('u.id').limit(q.pageSize + 1).execute();
  const page = rows.slice(0, q.pageSize);
  const orgs = page.length
    ? await ctx.db
        .selectFrom('user_organizations as m')
        .innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .select(['m.user_id', 'o.id', 'o.name'])
        .where(
          'm.user_id',
          'in',
          page.map((u) => u.id),
        )
        .orderBy('o.name')
        .orderBy('o.id')
        .execute()
    : [];
  const last = page.at(-1);
  return {
    items: page.map((u) => ({
      id: u.id,
      email: u.email,
      is_privileged: u.is_privileged,
      organizations: orgs.filter((o) => o.user_id === u.id).map((o) => ({ id: o.id, name: o.name })),
      last_logout: u.last_logout.toISOString(),
      has_logged_in: u.last_login_at !== null,
      created_at: u.created_at.toISOString(),
    })),
    next_page_token: rows.length > q.pageSize && last ? encodePageToken([last.email, last.id], now) : '',
  };
}

export async function getUser(ctx: ServiceContext<UserActor>, userId: string) {
  requirePrivileged(ctx);
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!u) throw new NotFoundError('User not found.');
  const orgs = await ctx.db
    .selectFrom('user_organizations as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.name', 'o.created_at', 'm.created_at as joined_at'])
    .select((eb) => [
      eb.selectFrom('user_organizations as x').whereRef('x.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('user_count'),
      eb.selectFrom('experiments as e').whereRef('e.organization_id', '=', 'o.id').select(sql<string>`count(*)`.as('n')).as('experiment_count'),
    ])
    .where('m.user_id', '=', userId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return {
    id: u.id,
    email: u.email,
    is_privileged: u.is_privileged,
    organizations: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      created_at: o.created_at.toISOString(),
      user_count: Number(o.user_count),
      experiment_count: Number(o.experiment_count),
      joined_at: o.joined_at.toISOString(),
    })),
    last_logout: u.last_logout.toISOString(),
    has_logged_in: u.last_login_at !== null,
    created_at: u.created_at.toISOString(),
  };
}

/** Locks every privileged row, so two concurrent demotions cannot both see "another admin remains". */
async function otherPrivilegedUsers(trx: Transaction<DB>, userId: string): Promise<number> {
  const rows = await trx.selectFrom('users').select('id').where('is_privileged', '=', true).forUpdate().execute();
  return rows.filter((r) => r.id !== userId).length;
}

export async function updateUser(ctx: ServiceContext<UserActor>, userId: string, input: { is_privileged?: boolean | undefined }) {
  requirePrivileged(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('users').select(['id', 'is_privileged']).where('id', '=', userId).executeTakeFirst();
    if (!u) throw new NotFoundError('User not found.');
    if (input.is_privileged === undefined || input.is_privileged === u.is_privileged) return;
    if (!input.is_privileged && (await otherPrivilegedUsers(trx, userId)) === 0) throw new ForbiddenError(LAST_PRIVILEGED);
    await trx.updateTable('users').set({ is_privileged: input.is_privileged, updated_at: ctx.clock.now() }).where('id', '=', userId).execute();
  });
}

export async function deleteUser(ctx: ServiceContext<UserActor>, userId: string, allowMissing: boolean) {
  requirePrivileged(ctx);
  if (userId === ctx.actor.userId) throw new ForbiddenError('You cannot delete yourself.');
  await ctx.db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('users').select(['id', 'is_privileged']).where('id', '=', userId).executeTakeFirst();
    if (!u) {
      if (allowMissing) return;
      throw new NotFoundError('User not found.');
    }
    if (u.is_privileged && (await otherPrivilegedUsers(trx, userId)) === 0) throw new ForbiddenError(LAST_PRIVILEGED);
    await trx.deleteFrom('users').where('id', '=', userId).execute();
  });
}
