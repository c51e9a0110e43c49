/**
 * Sessions (signed, expiring, revoked by logout, verified across key rotation), tenant isolation on EVERY
 * admin route (enumerated from the router, so new routes are covered without editing this test), and the
 * users/organizations/members endpoints of the reference's §1.6.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertEvent } from '../../src/store/repositories/events.ts';
import { issueAccessToken } from '../../src/services/bootstrap.ts';
import { addSessionKey } from '../../src/services/sessions.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { onlineDesign } from '../support/designs.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

const DESIGN = { design_spec: onlineDesign({ experiment_name: 'walk target' }), webhooks: [] };

describeEachDatabase('sessions and tenancy', (kind) => {
  let f: AccountsFixture;
  beforeAll(async () => {
    f = await accountsFixture(kind);
  });
  afterAll(async () => f?.close());

  it('answers caller-identity for a session and 401s for a missing, tampered or expired token', async () => {
    const me = await (await f.admin('/v1/m/caller-identity')).json();
    expect(me).toEqual({ id: f.adminUserId, email: 'admin@localhost', is_privileged: true });
    expect((await f.caller(null)('/v1/m/caller-identity')).status).toBe(401);
    const token = f.server.adminToken;
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const res = await f.caller(tampered)('/v1/m/caller-identity');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Session token invalid or expired.' });
    expect((await f.caller('xa_not-a-token')('/v1/m/caller-identity')).status).toBe(401);
    const shortLived = await issueAccessToken(f.server.database.db, f.adminUserId, new Date(Date.now() + 50));
    expect((await f.caller(shortLived)('/v1/m/caller-identity')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 80));
    expect((await f.caller(shortLived)('/v1/m/caller-identity')).status).toBe(401);
  });

  it('keeps verifying sessions signed before a key rotation, and signs new ones with the new key', async () => {
    const before = await issueAccessToken(f.server.database.db, f.adminUserId, null);
    const kid = await addSessionKey(f.server.database.db, new Date());
    const after = await issueAccessToken(f.server.database.db, f.adminUserId, null);
    expect(after.startsWith(`xa_${kid}.`)).toBe(true);
    expect(before.startsWith(`xa_${kid}.`)).toBe(false);
    expect((await f.caller(before)('/v1/m/caller-identity')).status).toBe(200);
    expect((await f.caller(after)('/v1/m/caller-identity')).status).toBe(200);
  });

  it('logout revokes every earlier session of that user, and only theirs', async () => {
    const user = await f.newUser('leaver@example.org');
    const second = await issueAccessToken(f.server.database.db, user.id, null);
    expect((await user.call('/v1/m/logout', { method: 'POST' })).status).toBe(204);
    for (const token of [user.token, second]) {
      const res = await f.caller(token)('/v1/m/caller-identity');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ detail: 'Expired session, or user not found.' });
    }
    expect((await f.admin('/v1/m/caller-identity')).status).toBe(200);
    const fresh = await issueAccessToken(f.server.database.db, user.id, null);
    expect((await f.caller(fresh)('/v1/m/caller-identity')).status).toBe(200);
  });

  it('refuses a member of another organization on every admin route, with no data and no change', async () => {
    const db = f.server.database.db;
    const org = f.server.organizationId;
    const ds = f.server.demoDatasourceId;
    // Real sub-resources of the demo organization, so the walk probes existing things.
    const webhook = await (await f.admin(`/v1/m/organizations/${org}/webhooks`, { method: 'POST', json: { type: 'experiment.created', name: 'hook', url: 'http://127.0.0.1:9/hook' } })).json();
    const key = await (await f.admin(`/v1/m/datasources/${ds}/apikeys`, { method: 'POST' })).json();
    const exp = await f.admin(`/v1/m/datasources/${ds}/experiments`, { method: 'POST', json: DESIGN });
    expect(exp.status).toBe(200);
    const experimentId = (await exp.json()).experiment_id as string;
    const event = await insertEvent(db, { organizationId: org, type: 'experiment.created', data: { experiment_id: experimentId } });
    const invite = await (await f.admin(`/v1/m/organizations/${org}/invites`, { method: 'POST', json: { email: 'invitee@example.org' } })).json();
    const secrets = [org, ds, webhook.id, webhook.auth_token, key.id, experimentId, invite.id, 'Demo organization', 'admin@localhost'].filter(Boolean) as string[];

    const counts = async () => ({
      members: (await db.selectFrom('user_organizations').select('user_id').where('organization_id', '=', org).execute()).length,
      datasources: (await db.selectFrom('datasources').select('id').where('organization_id', '=', org).execute()).length,
      keys: (await db.selectFrom('api_keys').select('id').where('datasource_id', '=', ds).execute()).length,
      webhooks: (await db.selectFrom('webhooks').selectAll().where('organization_id', '=', org).execute()).map((w) => `${w.name}|${w.url}|${w.auth_token}`),
      experiments: (await db.selectFrom('experiments').select(['id', 'state']).where('organization_id', '=', org).execute()).map((e) => `${e.id}|${e.state}`),
      invites: (await db.selectFrom('invites').select('id').where('organization_id', '=', org).execute()).length,
      tasks: (await db.selectFrom('tasks').select('id').execute()).length,
      orgName: (await db.selectFrom('organizations').select('name').where('id', '=', org).executeTakeFirstOrThrow()).name,
      adminPrivileged: (await db.selectFrom('users').select('is_privileged').where('id', '=', f.adminUserId).executeTakeFirstOrThrow()).is_privileged,
    });
    const before = await counts();

    const outsider = await f.newUser('outsider@example.org', 'Outsider org');
    const values: Record<string, string> = {
      organization_id: org,
      datasource_id: ds,
      webhook_id: webhook.id,
      api_key_id: key.id,
      experiment_id: experimentId,
      event_id: event,
      user_id: f.adminUserId,
      invite_id: invite.id,
    };
    const routes = f.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/m/'));
    const seen = new Set<string>();
    let scoped = 0;
    for (const route of routes) {
      const id = `${route.method} ${route.path}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (route.path === '/v1/m/logout') continue; // would end the outsider's own session; covered above
      const path = route.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x_unknown'));
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
        ? { json: { name: 'walker', email: 'walker@example.org', organization_id: org, datasource_id: ds, url: 'http://127.0.0.1:9/w', type: 'experiment.created', is_privileged: false } }
        : {};
      const res = await outsider.call(path, { method: route.method, ...body });
      const text = await res.text();
      for (const s of secrets) expect(text, `${id} leaks ${s}`).not.toContain(s);
      if (/:organization_id|:datasource_id/.test(route.path)) {
        scoped++;
        expect([403, 404], `${id} → ${res.status} ${text}`).toContain(res.status);
      } else {
        // Caller-scoped routes (own identity, own organizations, privileged-only user admin).
        expect(res.status, `${id} → ${res.status} ${text}`).toBeLessThan(500);
        if (route.path.startsWith('/v1/m/users')) expect(res.status, id).toBe(403);
      }
    }
    expect(scoped).toBeGreaterThan(15);
    expect(await counts()).toEqual(before);
  });

  it('lets privileged users administer users, keeping one privileged user and forbidding self-deletion', async () => {
    const plain = await f.newUser('plain_user@example.org');
    expect((await plain.call('/v1/m/users')).status).toBe(403);
    expect(await (await plain.call('/v1/m/users', { method: 'POST', json: { email: 'x@example.org' } })).json()).toEqual({
      detail: 'Only privileged users can perform this action.',
    });

    const created = await (await f.admin('/v1/m/users', { method: 'POST', json: { email: 'New.Person@Example.org' } })).json();
    const again = await (await f.admin('/v1/m/users', { method: 'POST', json: { email: 'new.person@example.org' } })).json();
    expect(again.id).toBe(created.id);

    // LIKE wildcards in the search text match themselves.
    await f.admin('/v1/m/users', { method: 'POST', json: { email: 'under_score@example.org' } });
    await f.admin('/v1/m/users', { method: 'POST', json: { email: 'underXscore@example.org' } });
    const found = await (await f.admin('/v1/m/users?email_contains=UNDER_')).json();
    expect(found.items.map((u: { email: string }) => u.email)).toEqual(['under_score@example.org']);
    const pct = await (await f.admin('/v1/m/users?email_contains=%25')).json();
    expect(pct.items).toEqual([]);

    // Pages of 2 walk every user once, sorted by email.
    const emails: string[] = [];
    let token = '';
    do {
      const page = await (await f.admin(`/v1/m/users?page_size=2${token ? `&page_token=${token}` : ''}`)).json();
      emails.push(...page.items.map((u: { email: string }) => u.email));
      token = page.next_page_token;
    } while (token);
    const all = (await f.server.database.db.selectFrom('users').select('email').execute()).map((u) => u.email).sort();
    expect(emails).toEqual(all);

    const mine = await (await f.admin('/v1/m/users?scope=mine')).json();
    expect(mine.items.map((u: { email: string }) => u.email)).toEqual(['admin@localhost']);

    const detail = await (await f.admin(`/v1/m/users/${plain.id}`)).json();
    expect(detail.organizations).toEqual([expect.objectContaining({ id: plain.organizationId, user_count: 1, experiment_count: 0 })]);
    expect((await f.admin('/v1/m/users/u_missing')).status).toBe(404);

    expect((await f.admin(`/v1/m/users/${f.adminUserId}`, { method: 'PATCH', json: { is_privileged: false } })).status).toBe(403);
    expect((await f.admin(`/v1/m/users/${f.adminUserId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await f.admin(`/v1/m/users/${created.id}`, { method: 'PATCH', json: { is_privileged: true } })).status).toBe(204);
    expect((await f.admin(`/v1/m/users/${f.adminUserId}`, { method: 'PATCH', json: { is_privileged: false } })).status).toBe(204);
    expect((await f.admin(`/v1/m/users/${created.id}`, { method: 'PATCH', json: { is_privileged: true } })).status).toBe(403); // admin no longer privileged
    const adminAgain = f.caller(await issueAccessToken(f.server.database.db, created.id, null));
    const lastOne = await adminAgain(`/v1/m/users/${created.id}`, { method: 'PATCH', json: { is_privileged: false } });
    expect(lastOne.status).toBe(403);
    expect(await lastOne.json()).toEqual({ detail: 'At least one privileged user must remain.' });
    expect((await adminAgain(`/v1/m/users/${f.adminUserId}`, { method: 'PATCH', json: { is_privileged: true } })).status).toBe(204);
    expect((await adminAgain(`/v1/m/users/${plain.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await adminAgain(`/v1/m/users/${plain.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await adminAgain(`/v1/m/users/${plain.id}?allow_missing=true`, { method: 'DELETE' })).status).toBe(204);
  });

  it('creates, renames, lists and searches organizations and manages members', async () => {
    const ana = await f.newUser('ana@example.org', 'Ana lab');
    const created = await (await ana.call('/v1/m/organizations', { method: 'POST', json: { name: '100%_real' } })).json();
    await ana.call('/v1/m/organizations', { method: 'POST', json: { name: '100x real' } });
    const search = await (await ana.call('/v1/m/organizations?name_contains=0%25_')).json();
    expect(search.items.map((o: { name: string }) => o.name)).toEqual(['100%_real']);
    const page1 = await (await ana.call('/v1/m/organizations?page_size=2')).json();
    const page2 = await (await ana.call(`/v1/m/organizations?page_size=2&page_token=${page1.next_page_token}`)).json();
    expect([...page1.items, ...page2.items].map((o: { name: string }) => o.name)).toEqual(['100%_real', '100x real', 'Ana lab']);
    expect(page2.next_page_token).toBe('');
    expect((await ana.call('/v1/m/organizations?scope=all')).status).toBe(403);
    const all = await (await f.admin('/v1/m/organizations?scope=all&page_size=100')).json();
    expect(all.items.map((o: { id: string }) => o.id)).toContain(created.id);

    expect((await ana.call(`/v1/m/organizations/${created.id}`, { method: 'PATCH', json: { name: 'Renamed' } })).status).toBe(204);
    expect((await ana.call(`/v1/m/organizations/${created.id}/members`, { method: 'POST', json: { email: 'Bob@Example.org' } })).status).toBe(204);
    expect((await ana.call(`/v1/m/organizations/${created.id}/members`, { method: 'POST', json: { email: 'bob@example.org' } })).status).toBe(204);
    const org = await (await ana.call(`/v1/m/organizations/${created.id}`)).json();
    expect(org.name).toBe('Renamed');
    expect(org.users.map((u: { email: string }) => u.email)).toEqual(['ana@example.org', 'bob@example.org']);
    const bob = org.users.find((u: { email: string }) => u.email === 'bob@example.org');
    expect((await ana.call(`/v1/m/organizations/${created.id}/members/${ana.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await ana.call(`/v1/m/organizations/${created.id}/members/${bob.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ana.call(`/v1/m/organizations/${created.id}/members/${bob.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await ana.call(`/v1/m/organizations/${created.id}/members/${bob.id}?allow_missing=true`, { method: 'DELETE' })).status).toBe(204);

    const audit = await (await ana.call(`/v1/m/organizations/${created.id}/audit`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['member.removed', 'member.added', 'organization.renamed', 'member.added', 'organization.created']);
  });
});
