/**
 * Invites by email. Creating one stores the invite and, in the same transaction, an outbox task; the
 * worker's task mints the link's secret, keeps only its hash and mails the link. Accepting the link makes
 * the person a member (creating their user if needed), optionally sets their password, and signs them in.
 * The answer to "invite this address" is the same whether or not the address already has an account.
 *
 * @example await createInvite(ctx, 'o_…', 'ana@example.org')   // → { id: 'inv_…' }
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import { randomAlphanumeric } from '../domain/ids.ts';
import type { Mailer } from '../mail/mailer.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../security/passwords.ts';
import type { Task } from '../store/schema.ts';
import { enqueueTask } from '../store/repositories/tasks.ts';
import { requireOrganization } from './access.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, ServiceDeps, UserActor } from './context.ts';
import { issueSession } from './sessions.ts';
import { normalizeEmail, upsertUserByEmail } from './users.ts';

export const INVITE_TASK = 'invite.email';
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const INVITE_MAX_ATTEMPTS = 5;

function hashInviteToken(token: string): string {
  return createHash('sha256').update(`equipoise.invite.v1:${token}`).digest('hex');
}

export async function createInvite(ctx: ServiceContext<UserActor>, organizationId: string, email: string) {
  await requireOrganization(ctx, organizationId);
  const id = `inv_${randomAlphanumeric(16)}`;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('invites')
      .values({ id, organization_id: organizationId, email: normalizeEmail(email), invited_by: ctx.actor.userId, expires_at: new Date(now.getTime() + INVITE_TTL_MS) })
      .execute();
    await enqueueTask(trx, { taskType: INVITE_TASK, payload: { invite_id: id }, maxAttempts: INVITE_MAX_ATTEMPTS, runAt: now });
    await recordAudit(trx, ctx, { organizationId, action: 'invite.created', targetType: 'invite', targetId: id, details: { email: normalizeEmail(email) } });
  });
  return { id };
}

export async function listInvites(ctx: ServiceContext<UserActor>, organizationId: string) {
  await requireOrganization(ctx, organizationId);
  const rows = await ctx.db.selectFrom('invites').selectAll().where('organization_id', '=', organizationId).orderBy('created_at', 'desc').orderBy('id').execute();
  const now = ctx.clock.now();
  return {
    items: rows.map((r) => ({
      id: r.id,
      email: r.email,
      created_at: r.created_at.toISOString(),
      expires_at: r.expires_at.toISOString(),
      status: r.accepted_at ? ('accepted' as const) : r.expires_at <= now ? ('expired' as const) : r.token_hash ? ('sent' as const) : ('pending' as const),
    })),
  };
}

/**
 * Withdraws an invite that has not been accepted: the row goes, so its link (if mailed) no longer matches
 * anything and a queued mail task finds nothing to send. An accepted invite is history; removing the member
 * is what undoes it.
 */
export async function revokeInvite(ctx: ServiceContext<UserActor>, organizationId: string, inviteId: string): Promise<void> {
  await requireOrganization(ctx, organizationId);
  await ctx.db.transaction().execute(async (trx) => {
    const invite = await trx.selectFrom('invites').select(['id', 'email', 'accepted_at']).where('id', '=', inviteId).where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
    if (!invite) throw new NotFoundError('Invite not found.');
    if (invite.accepted_at) throw new ConflictError('This invite was already accepted; remove the member instead.');
    await trx.deleteFrom('invites').where('id', '=', inviteId).execute();
    await recordAudit(trx, ctx, { organizationId, action: 'invite.revoked', targetType: 'invite', targetId: inviteId, details: { email: invite.email } });
  });
}

export interface InviteMailDeps extends Pick<ServiceDeps, 'db' | 'clock' | 'publicUrl'> {
  readonly mailer: Mailer;
}

/**
 * The outbox task: a fresh secret per attempt (only its hash is stored), then the mail. A retry after a
 * failed send replaces the secret, so only the link in the mail that went out last works.
 */
export async function sendInviteTask(deps: InviteMailDeps, task: Task): Promise<void> {
  const inviteId = String(task.payload.invite_id);
  const invite = await deps.db
    .selectFrom('invites as i')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .select(['i.id', 'i.email', 'i.accepted_at', 'i.expires_at', 'o.name as organization_name'])
    .where('i.id', '=', inviteId)
    .executeTakeFirst();
  if (!invite || invite.accepted_at || invite.expires_at <= deps.clock.now()) return; // nothing left to send
  const token = randomBytes(24).toString('base64url');
  const stored = await deps.db.updateTable('invites').set({ token_hash: hashInviteToken(token) }).where('id', '=', inviteId).where('accepted_at', 'is', null).executeTakeFirst();
  if (Number(stored.numUpdatedRows) === 0) return; // revoked or accepted meanwhile: a link would lead nowhere
  // The UI's `/invite` screen reads the secret from the fragment, which browsers never send to a server.
  const link = `${deps.publicUrl}/invite#invite=${token}`;
  await deps.mailer.send({
    to: invite.email,
    subject: `You are invited to ${invite.organization_name} on Equipoise`,
    text: `You have been invited to join ${invite.organization_name} on Equipoise.\n\nOpen this link to accept (valid until ${invite.expires_at.toISOString()}):\n${link}\n`,
  });
}

/** Redeems an invite link: membership, an optional password for local login, and a session. */
export async function acceptInvite(deps: Pick<ServiceDeps, 'db' | 'clock'>, input: { token: string; password?: string | undefined }) {
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError([{ loc: ['body', 'password'], msg: `must be at least ${MIN_PASSWORD_LENGTH} characters`, type: 'string_too_short' }]);
  }
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  const now = deps.clock.now();
  const userId = await deps.db.transaction().execute(async (trx) => {
    const invite = await trx.selectFrom('invites').selectAll().where('token_hash', '=', hashInviteToken(input.token)).forUpdate().executeTakeFirst();
    // One answer for unknown, used and expired links.
    if (!invite || invite.accepted_at || invite.expires_at <= now) throw new UnauthenticatedError('Invite link invalid or expired.');
    const user = await upsertUserByEmail(trx, invite.email);
    const existing = await trx.selectFrom('users').select(['password_hash', 'oidc_issuer']).where('id', '=', user.id).executeTakeFirstOrThrow();
    // The link only sets a first password: it must not become a way to take over an account that has one.
    if (passwordHash && existing.password_hash === null) {
      await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', user.id).execute();
    }
    const added = await trx
      .insertInto('user_organizations')
      .values({ user_id: user.id, organization_id: invite.organization_id })
      .onConflict((oc) => oc.columns(['user_id', 'organization_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    await trx.updateTable('invites').set({ accepted_at: now, token_hash: null }).where('id', '=', invite.id).execute();
    const actor = { kind: 'user' as const, userId: user.id, email: invite.email, isPrivileged: false };
    if (added) {
      await recordAudit(trx, { actor, clock: deps.clock }, { organizationId: invite.organization_id, action: 'member.added', targetType: 'user', targetId: user.id, details: { email: invite.email, invite_id: invite.id } });
    }
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
    return user.id;
  });
  return { session_token: await issueSession(deps, userId) };
}

