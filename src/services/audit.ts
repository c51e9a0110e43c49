/**
 * The audit log: an append-only record of who changed what, one hash chain per organization. Each entry's
 * hash covers the previous entry's hash and every field of its own, so editing or deleting any row breaks
 * the chain from there on, which `verifyAuditChain` reports. Entries are written with `recordAudit` inside
 * the transaction of the change they describe: either both are stored or neither.
 *
 * @example
 *   await ctx.db.transaction().execute(async (trx) => {
 *     await trx.deleteFrom('api_keys').where('id', '=', keyId).execute();
 *     await recordAudit(trx, ctx, { organizationId, action: 'api_key.revoked', targetType: 'api_key', targetId: keyId });
 *   });
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../domain/page-token.ts';
import { randomAlphanumeric } from '../domain/ids.ts';
import type { AuditLogRow, DB } from '../store/schema.ts';
import { requireOrganization } from './access.ts';
import type { Actor, ServiceContext, ServiceDeps, UserActor } from './context.ts';

/** The hash before an organization's first entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  readonly organizationId: string;
  /** e.g. `member.added`, `api_key.created`, `experiment.committed`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly details?: Record<string, unknown>;
}

/** Who acted; `system` for work no person or key asked for. */
export type AuditActor = Actor | { readonly kind: 'system'; readonly name: string };

function actorFields(actor: AuditActor): { type: string; id: string } {
  switch (actor.kind) {
    case 'user':
      return { type: 'user', id: actor.userId };
    case 'api_key':
      return { type: 'api_key', id: actor.keyId };
    case 'system':
      return { type: 'system', id: actor.name };
  }
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, so the hash must not depend on order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type HashedFields = Pick<AuditLogRow, 'id' | 'organization_id' | 'actor_type' | 'actor_id' | 'action' | 'target_type' | 'target_id' | 'details' | 'created_at' | 'prev_hash'>;

export function auditHash(row: HashedFields): string {
  const fields = [
    row.prev_hash,
    row.id,
    row.organization_id,
    row.actor_type,
    row.actor_id,
    row.action,
    row.target_type,
    row.target_id,
    canonical(row.details),
    row.created_at.toISOString(),
  ];
  return createHash('sha256').update(canonical(fields)).digest('hex');
}

/** Appends one entry to the organization's chain, inside the caller's transaction. */
export async function recordAudit(trx: Transaction<DB>, ctx: { actor: AuditActor; clock: ServiceDeps['clock'] }, entry: AuditEntry): Promise<string> {
  // Serializes appends per organization until commit, so two transactions cannot both extend the same link.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`equipoise.audit:${entry.organizationId}`}))`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .where('organization_id', '=', entry.organizationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const actor = actorFields(ctx.actor);
  const row: HashedFields = {
    id: `aud_${randomAlphanumeric(16)}`,
    organization_id: entry.organizationId,
    actor_type: actor.type,
    actor_id: actor.id,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    details: entry.details ?? {},
    created_at: ctx.clock.now(),
    prev_hash: last?.hash ?? AUDIT_GENESIS_HASH,
  };
  const hash = auditHash(row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details), hash })
    .execute();
  return row.id;
}

function summarize(r: AuditLogRow & { actor_email: string | null }) {
  return {
    id: r.id,
    created_at: r.created_at.toISOString(),
    actor_type: r.actor_type,
    actor_id: r.actor_id,
    actor_email: r.actor_email,
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    details: r.details,
    hash: r.hash,
    prev_hash: r.prev_hash,
  };
}

/**
 * The organization's audit log, newest first, cursor-paginated like Recent Events. Each entry carries the
 * acting user's current email for display (null for keys, system work and deleted users); it is read at
 * listing time and is not part of the hashed record.
 */
export async function listAuditLog(ctx: ServiceContext<UserActor>, organizationId: string, q: { pageSize: number; pageToken?: string | undefined }) {
  await requireOrganization(ctx, organizationId);
  const now = ctx.clock.now();
  let query = ctx.db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.actor_id').on('a.actor_type', '=', 'user'))
    .selectAll('a')
    .select('u.email as actor_email')
    .where('a.organization_id', '=', organizationId);
  if (q.pageToken) {
    const [seq] = decodePageToken(q.pageToken, 1, now);
    if (!/^\d{1,18}$/.test(String(seq))) throw new InvalidPageTokenError();
    query = query.where('a.seq', '<', String(seq));
  }
  const rows = await query.orderBy('a.seq', 'desc').limit(q.pageSize + 1).execute();
  const page = rows.slice(0, q.pageSize);
  const last = page.at(-1);
  return { items: page.map(summarize), next_page_token: rows.length > q.pageSize && last ? encodePageToken([last.seq], now) : '' };
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly entries: number;
  /** The first entry whose hash or link does not match, when `valid` is false. */
  readonly first_invalid_id: string | null;
}

/** Recomputes the organization's chain from its first entry. */
export async function verifyAuditChain(db: ServiceDeps['db'], organizationId: string): Promise<ChainVerification> {
  const BATCH = 1000;
  let prev = AUDIT_GENESIS_HASH;
  let afterSeq = '0';
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      if (r.prev_hash !== prev || auditHash(r) !== r.hash) return { valid: false, entries, first_invalid_id: r.id };
      prev = r.hash;
      entries++;
    }
    if (rows.length < BATCH) return { valid: true, entries, first_invalid_id: null };
    afterSeq = (rows.at(-1) as AuditLogRow).seq;
  }
}

/** The verification as an organization member asks for it. */
export async function verifyOrganizationAuditLog(ctx: ServiceContext<UserActor>, organizationId: string): Promise<ChainVerification> {
  await requireOrganization(ctx, organizationId);
  return verifyAuditChain(ctx.db, organizationId);
}
