/**
 * Organization membership: adding a member by email (creating the user if unknown, as the reference's
 * invite does) and removing one. Both are audited in the same transaction. Nobody removes themselves, so an
 * organization cannot be orphaned by accident.
 *
 * @example await addMember(ctx, 'o_…', 'ana@example.org')
 */
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
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
    await recordAudit(trx, ctx, { organizationId, action: 'member.removed', targetType: 'user', targetId: userId });
  });
}
