/**
 * Invites by email: the invite and its outbox task are written together; the worker's task mails the link
 * over real SMTP (a tiny server in the test) or prints it with the console mailer; redeeming the link makes
 * the person a member, sets their first password and signs them in. The invite answer does not reveal
 * whether the address already has an account.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consoleMailer } from '../../src/mail/mailer.ts';
import { smtpMailer } from '../../src/mail/smtp-mailer.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { createTaskHandlers } from '../../src/worker/handlers.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startSmtpServer, type SmtpServer } from './smtp-server.ts';
import { accountsFixture, type AccountsFixture } from './support.ts';

describeEachDatabase('invites', (kind) => {
  let f: AccountsFixture;
  let smtp: SmtpServer;
  beforeAll(async () => {
    f = await accountsFixture(kind);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await f?.close();
  });

  const runWorker = async (mailer: ReturnType<typeof consoleMailer>) => {
    const db = f.server.database.db;
    const worker = createWorker({
      db,
      clock: systemClock,
      handlers: createTaskHandlers({ db, clock: systemClock, allowPrivateIps: true, mailer, publicUrl: 'https://equipoise.example.org' }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    return worker.runOnce();
  };

  it('mails the invite link over SMTP; the link makes a member with a password, once', async () => {
    const org = f.server.organizationId;
    const res = await f.admin(`/v1/m/organizations/${org}/invites`, { method: 'POST', json: { email: 'New.Comer@example.org' } });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const tasks = await f.server.database.db.selectFrom('tasks').selectAll().where('task_type', '=', 'invite.email').execute();
    expect(tasks.map((t) => t.payload)).toEqual([{ invite_id: id }]);

    expect(await runWorker(smtpMailer(`smtp://mailer:smtp-pass-123@127.0.0.1:${smtp.port}`, 'Equipoise <no-reply@example.org>'))).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['new.comer@example.org']);
    expect(mail.auth).toBe('mailer:smtp-pass-123');
    expect(mail.data).toContain('Subject: You are invited to Demo organization on Equipoise');
    const token = /https:\/\/equipoise\.example\.org\/invite#invite=([A-Za-z0-9_-]+)/.exec(mail.data)?.[1];
    expect(token).toBeDefined();
    const stored = await f.server.database.db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const listed = await (await f.admin(`/v1/m/organizations/${org}/invites`)).json();
    expect(listed.items).toEqual([expect.objectContaining({ id, email: 'new.comer@example.org', status: 'sent' })]);

    const accepted = await f.caller(null)('/v1/a/invites/accept', { method: 'POST', json: { token, password: 'a long enough password' } });
    expect(accepted.status).toBe(200);
    const session = (await accepted.json()).session_token as string;
    const me = await (await f.caller(session)('/v1/m/caller-identity')).json();
    expect(me).toMatchObject({ email: 'new.comer@example.org', is_privileged: false });
    const orgs = await (await f.caller(session)('/v1/m/organizations')).json();
    expect(orgs.items.map((o: { id: string }) => o.id)).toEqual([org]);
    const login = await f.caller(null)('/v1/a/login', { method: 'POST', json: { email: 'new.comer@example.org', password: 'a long enough password' } });
    expect(login.status).toBe(200);

    const reused = await f.caller(null)('/v1/a/invites/accept', { method: 'POST', json: { token } });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({ detail: 'Invite link invalid or expired.' });
    const audit = await (await f.admin(`/v1/m/organizations/${org}/audit`)).json();
    expect(audit.items.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(['member.added', 'invite.created']);
  });

  it('prints the link with the console mailer, and answers alike for known and unknown addresses', async () => {
    const org = f.server.organizationId;
    const known = await f.admin(`/v1/m/organizations/${org}/invites`, { method: 'POST', json: { email: 'new.comer@example.org' } });
    const unknown = await f.admin(`/v1/m/organizations/${org}/invites`, { method: 'POST', json: { email: 'nobody-yet@example.org' } });
    expect(known.status).toBe(unknown.status);
    expect(Object.keys(await known.json())).toEqual(Object.keys(await unknown.json()));
    const lines: string[] = [];
    expect(await runWorker(consoleMailer((l) => lines.push(l)))).toBe(2);
    expect(lines.join('\n')).toMatch(/Mail to nobody-yet@example\.org: You are invited[\s\S]*#invite=[A-Za-z0-9_-]{20,}/);
  });
});
