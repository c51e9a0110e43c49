/**
 * Organization membership: adding a member by email (creating the user if unknown, as the reference's
 * invite does), removing one, and leaving. All are audited in the same transaction. Nobody removes
 * themselves (the reference's rule, so a slip of the mouse cannot lock you out); leaving is its own,
 * deliberate action, refused to the last member so an organization is never orphaned.
 *
 * @example await addMember(ctx, 'o_…', 'ana@example.org')
 */
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { requireOrganization } from './access.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, UserActor } from './context.ts';
import { normalizeEmail, upsertUserByEmail } from './users.ts';

export async function addMember(ctx: ServiceContext<UserActor>, organizationId: string, email: string): Promise<void> {
  await requireOrganization(ctx, organizationId);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await upsertUserByEmail(trx, email);
    const added = await trx
      .insertInto('user_organizations')
      .values({ user_id: user.id, organization_id: organizationId })
      .onConflict((oc) => oc.columns(['user_id', 'organization_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (added) {
      await recordAudit(trx, ctx, { organizationId, action: 'member.added', targetType: 'user', targetId: user.id, details: { email: normalizeEmail(email) } });
    }
  });
}

/**
 * Adds an existing user by id; used by instance administrators to join an organization or to put someone
 * into one. By id rather than email because an account's email need not be one the email route accepts
 * (the first start's `admin@localhost`, an identity provider's address).
 */
export async function addMemberById(ctx: ServiceContext<UserActor>, organizationId: string, userId: string): Promise<void> {
  await requireOrganization(ctx, organizationId);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'email']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw new NotFoundError('User not found.');
    const added = await trx
      .insertInto('user_organizations')
      .values({ user_id: user.id, organization_id: organizationId })
      .onConflict((oc) => oc.columns(['user_id', 'organization_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (added) {
      await recordAudit(trx, ctx, { organizationId, action: 'member.added', targetType: 'user', targetId: user.id, details: { email: user.email } });
    }
  });
}

export async function removeMember(ctx: ServiceContext<UserActor>, organizationId: string, userId: string, allowMissing: boolean): Promise<void> {
  if (userId === ctx.actor.userId) throw new ForbiddenError('You cannot remove yourself from an organization.');
  await requireOrganization(ctx, organizationId);
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('user_organizations')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .returning('user_id')
      .executeTakeFirst();
    if (!removed) {
      if (allowMissing) return;
      throw new NotFoundError('Member not found.');
    }
    // The email is kept in the entry because the user may later be deleted; ids alone would then say nothing.
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    await recordAudit(trx, ctx, { organizationId, action: 'member.removed', targetType: 'user', targetId: userId, ...(user ? { details: { email: user.email } } : {}) });
  });
}

export const LAST_MEMBER = 'You are the only member of this organization. Add or invite someone else before leaving, so it is not left without members.';

/**
 * The caller leaves the organization. Membership rows of the organization are locked first, so two last
 * members leaving at once cannot both see "someone else remains".
 */
export async function leaveOrganization(ctx: ServiceContext<UserActor>, organizationId: string): Promise<void> {
  await requireOrganization(ctx, organizationId);
  await ctx.db.transaction().execute(async (trx) => {
    const members = await trx.selectFrom('user_organizations').select('user_id').where('organization_id', '=', organizationId).forUpdate().execute();
    // A privileged caller passes requireOrganization without being a member; there is nothing to leave.
    if (!members.some((m) => m.user_id === ctx.actor.userId)) throw new NotFoundError('You are not a member of this organization.');
    if (members.length === 1) throw new ConflictError(LAST_MEMBER);
    await trx.deleteFrom('user_organizations').where('organization_id', '=', organizationId).where('user_id', '=', ctx.actor.userId).execute();
    await recordAudit(trx, ctx, { organizationId, action: 'member.left', targetType: 'user', targetId: ctx.actor.userId, details: { email: normalizeEmail(ctx.actor.email) } });
  });
}
