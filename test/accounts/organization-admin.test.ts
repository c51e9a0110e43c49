/**
 * What the organization settings screens need beyond the reference: each member's joined time, the acting
 * user's email on audit entries, withdrawing an invite (its link stops working, even one already mailed),
 * and leaving an organization (never its last member; removing yourself stays forbidden).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { consoleMailer } from '../../src/mail/mailer.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

describeEachDatabase('organization administration', (kind) => {
  let f: AccountsFixture;
  beforeAll(async () => {
    f = await accountsFixture(kind);
  });
  afterAll(async () => f?.close());

  /** Runs due tasks once with a console mailer and returns what it printed. */
  async function deliverMails(): Promise<string> {
    const db = f.server.database.db;
    const lines: string[] = [];
    const worker = createWorker({
      db,
      clock: systemClock,
      handlers: createTaskHandlers({ db, clock: systemClock, allowPrivateIps: true, mailer: consoleMailer((l) => lines.push(l)), publicUrl: 'https://equipoise.example.org' }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await worker.runOnce();
    return lines.join('\n');
  }

  it('lists members with the time they joined, and audit entries with the acting user’s email', async () => {
    const owner = await f.newUser('owner@example.org', 'Joined org');
    const before = Date.now();
    expect((await owner.call(`/v1/m/organizations/${owner.organizationId}/members`, { method: 'POST', json: { email: 'Second@Example.org' } })).status).toBe(204);
    const org = await (await owner.call(`/v1/m/organizations/${owner.organizationId}`)).json();
    expect(org.users).toEqual([
      { id: owner.id, email: 'owner@example.org', is_privileged: false, joined_at: expect.any(String) },
      { id: expect.stringMatching(/^u_/), email: 'second@example.org', is_privileged: false, joined_at: expect.any(String) },
    ]);
    expect(new Date(org.users[1].joined_at).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const audit = await (await owner.call(`/v1/m/organizations/${owner.organizationId}/audit`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'member.added', actor_type: 'user', actor_id: owner.id, actor_email: 'owner@example.org', details: { email: 'second@example.org' } });
    // The email is a display aid, not part of the chain: verification still holds.
    expect(await (await owner.call(`/v1/m/organizations/${owner.organizationId}/audit/verification`)).json()).toMatchObject({ valid: true });

    const removed = org.users[1].id as string;
    expect((await owner.call(`/v1/m/organizations/${owner.organizationId}/members/${removed}`, { method: 'DELETE' })).status).toBe(204);
    // The user is deleted afterwards: the entry still names them (by the email it kept), the actor shows as null.
    expect((await f.admin(`/v1/m/users/${removed}`, { method: 'DELETE' })).status).toBe(204);
    const after = await (await owner.call(`/v1/m/organizations/${owner.organizationId}/audit`)).json();
    expect(after.items[0]).toMatchObject({ action: 'member.removed', target_id: removed, details: { email: 'second@example.org' }, actor_email: 'owner@example.org' });
  });

  it('withdraws a pending invite and a mailed one; the mailed link then fails; accepted invites cannot be withdrawn', async () => {
    const owner = await f.newUser('inviter@example.org', 'Inviting org');
    const base = `/v1/m/organizations/${owner.organizationId}/invites`;
    const queued = await (await owner.call(base, { method: 'POST', json: { email: 'queued@example.org' } })).json();
    const mailed = await (await owner.call(base, { method: 'POST', json: { email: 'mailed@example.org' } })).json();
    const accepted = await (await owner.call(base, { method: 'POST', json: { email: 'accepted@example.org' } })).json();

    // Withdrawn before the worker ran: no mail goes out for it.
    expect((await owner.call(`${base}/${queued.id}`, { method: 'DELETE' })).status).toBe(204);
    const printed = await deliverMails();
    expect(printed).not.toContain('queued@example.org');
    const links = Object.fromEntries([...printed.matchAll(/Mail to (\S+):[\s\S]*?#invite=([A-Za-z0-9_-]+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(links).sort()).toEqual(['accepted@example.org', 'mailed@example.org']);

    expect((await f.caller(null)('/v1/a/invites/accept', { method: 'POST', json: { token: links['accepted@example.org'] } })).status).toBe(200);
    const refused = await owner.call(`${base}/${accepted.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ detail: 'This invite was already accepted; remove the member instead.' });

    expect((await owner.call(`${base}/${mailed.id}`, { method: 'DELETE' })).status).toBe(204);
    const late = await f.caller(null)('/v1/a/invites/accept', { method: 'POST', json: { token: links['mailed@example.org'] } });
    expect(late.status).toBe(401);

    const listed = await (await owner.call(base)).json();
    expect(listed.items.map((i: { email: string; status: string }) => `${i.email}:${i.status}`)).toEqual(['accepted@example.org:accepted']);
    const again = await owner.call(`${base}/${mailed.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ detail: 'Invite not found.' });

    // Another organization's invite is not found, even by id.
    const stranger = await f.newUser('stranger@example.org');
    expect((await stranger.call(`/v1/m/organizations/${stranger.organizationId}/invites/${accepted.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await stranger.call(`${base}/${accepted.id}`, { method: 'DELETE' })).status).toBe(404);

    const audit = await (await owner.call(`/v1/m/organizations/${owner.organizationId}/audit?page_size=100`)).json();
    const revoked = audit.items.filter((e: { action: string }) => e.action === 'invite.revoked');
    expect(revoked.map((e: { target_id: string; details: { email: string } }) => `${e.target_id}:${e.details.email}`)).toEqual([`${mailed.id}:mailed@example.org`, `${queued.id}:queued@example.org`]);
  });

  it('adds an existing user by id, whatever their email looks like (the admin joining an organization)', async () => {
    const owner = await f.newUser('host@example.org', 'Org to join');
    const path = `/v1/m/organizations/${owner.organizationId}`;
    // The first start's admin is admin@localhost, which the email route does not accept.
    const byEmail = await f.admin(`${path}/members`, { method: 'POST', json: { email: 'admin@localhost' } });
    expect(byEmail.status).toBe(422);
    expect((await f.admin(`${path}/members/${f.adminUserId}`, { method: 'PUT' })).status).toBe(204);
    expect((await f.admin(`${path}/members/${f.adminUserId}`, { method: 'PUT' })).status).toBe(204);
    const mine = await (await f.admin('/v1/m/organizations')).json();
    expect(mine.items.map((o: { id: string }) => o.id)).toContain(owner.organizationId);
    const audit = await (await owner.call(`${path}/audit`)).json();
    expect(audit.items.filter((e: { action: string }) => e.action === 'member.added')).toEqual([
      expect.objectContaining({ actor_email: 'admin@localhost', target_id: f.adminUserId, details: { email: 'admin@localhost' } }),
    ]);

    const unknown = await owner.call(`${path}/members/u_doesnotexist0000`, { method: 'PUT' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'User not found.' });
    // Outsiders cannot add anyone, themselves included.
    const outsider = await f.newUser('outsider@example.org');
    expect((await outsider.call(`${path}/members/${outsider.id}`, { method: 'PUT' })).status).toBe(404);
  });

  it('lets a member leave, but not the last one; removing yourself stays forbidden', async () => {
    const owner = await f.newUser('leaver@example.org', 'Org to leave');
    const path = `/v1/m/organizations/${owner.organizationId}`;
    const alone = await owner.call(`${path}/leave`, { method: 'POST' });
    expect(alone.status).toBe(409);
    expect((await alone.json()).detail).toMatch(/^You are the only member of this organization/);

    const self = await owner.call(`${path}/members/${owner.id}`, { method: 'DELETE' });
    expect(self.status).toBe(403);
    expect(await self.json()).toEqual({ detail: 'You cannot remove yourself from an organization.' });

    await owner.call(`${path}/members`, { method: 'POST', json: { email: 'stayer@example.org' } });
    expect((await owner.call(`${path}/leave`, { method: 'POST' })).status).toBe(204);
    expect((await owner.call(path)).status).toBe(404);
    const mine = await (await owner.call('/v1/m/organizations')).json();
    expect(mine.items).toEqual([]);

    // The privileged admin can see the organization without being in it, so has nothing to leave.
    const notMember = await f.admin(`${path}/leave`, { method: 'POST' });
    expect(notMember.status).toBe(404);
    expect(await notMember.json()).toEqual({ detail: 'You are not a member of this organization.' });
    const audit = await (await f.admin(`${path}/audit`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'member.left', actor_id: owner.id, target_id: owner.id, details: { email: 'leaver@example.org' } });
    expect(await (await f.admin(`${path}/audit/verification`)).json()).toMatchObject({ valid: true });
  });
});
