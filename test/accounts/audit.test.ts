/**
 * The audit log: entries chained by hash per organization, written in the transaction of the change (a
 * change that rolls back leaves no entry), append-only in the database, readable with pagination, and
 * tampering (an edited or deleted entry) detected by verification.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAudit, verifyAuditChain } from '../../src/services/audit.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

describeEachDatabase('audit log', (kind) => {
  let f: AccountsFixture;
  let org: string;
  beforeAll(async () => {
    f = await accountsFixture(kind);
    const user = await f.newUser('auditor@example.org', 'Audited org');
    org = user.organizationId;
    const db = f.server.database.db;
    const actor = { kind: 'user' as const, userId: user.id, email: 'auditor@example.org', isPrivileged: false };
    for (let i = 0; i < 7; i++) {
      await db.transaction().execute((trx) => recordAudit(trx, { actor, clock: systemClock }, { organizationId: org, action: 'test.step', targetType: 'step', targetId: String(i), details: { i, nested: { b: 2, a: 1 } } }));
    }
    // A change that fails takes its audit entry with it.
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actor, clock: systemClock }, { organizationId: org, action: 'test.rolled_back', targetType: 'step', targetId: 'x' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await f.admin(`/v1/m/organizations/${org}/members`, { method: 'POST', json: { email: 'second@example.org' } });
  });
  afterAll(async () => f?.close());

  it('pages through the log newest first, and verifies the chain', async () => {
    const seen: string[] = [];
    let token = '';
    do {
      const page = await (await f.admin(`/v1/m/organizations/${org}/audit?page_size=3${token ? `&page_token=${token}` : ''}`)).json();
      seen.push(...page.items.map((e: { action: string; target_id: string }) => `${e.action}:${e.target_id}`));
      token = page.next_page_token;
    } while (token);
    expect(seen[0]).toMatch(/^member\.added:/);
    expect(seen.slice(1)).toEqual(['6', '5', '4', '3', '2', '1', '0'].map((i) => `test.step:${i}`));
    expect(await (await f.admin(`/v1/m/organizations/${org}/audit/verification`)).json()).toEqual({ valid: true, entries: 8, first_invalid_id: null });
  });

  it('refuses updates and deletes in the database', async () => {
    const db = f.server.database.db;
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE organization_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE organization_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('detects an edited entry and a deleted entry', async () => {
    const db = f.server.database.db;
    const rows = await db.selectFrom('audit_log').select(['id', 'seq']).where('organization_id', '=', org).orderBy('seq').execute();
    // Someone with table-owner rights bypasses the trigger and rewrites history.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db);
    try {
      await sql`UPDATE audit_log SET details = '{"i": 99}' WHERE id = ${rows[3]!.id}`.execute(db);
      expect(await verifyAuditChain(db, org)).toEqual({ valid: false, entries: 3, first_invalid_id: rows[3]!.id });
      await sql`DELETE FROM audit_log WHERE id = ${rows[3]!.id}`.execute(db);
      expect(await verifyAuditChain(db, org)).toEqual({ valid: false, entries: 3, first_invalid_id: rows[4]!.id });
    } finally {
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(db);
    }
    const other = await verifyAuditChain(db, f.server.organizationId);
    expect(other.valid).toBe(true);
  });
});
