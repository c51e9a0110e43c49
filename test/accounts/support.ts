/**
 * Accounts test fixture: a test server's database and deps with the HTTP app built in-process (so tests can
 * pass their own `AppOptions`), plus helpers to make users with their own organization and session.
 */
import { createApp, type AppOptions } from '../../src/http/app.ts';
import { newId } from '../../src/domain/ids.ts';
import { createOrganization, issueAccessToken } from '../../src/services/bootstrap.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { DatabaseKind } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

export type Caller = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;

export interface AccountsFixture {
  readonly server: TestServer;
  readonly app: ReturnType<typeof createApp>;
  /** Requests as the bootstrap admin (privileged, member of the demo organization). */
  readonly admin: Caller;
  readonly adminUserId: string;
  caller(token: string | null): Caller;
  /** A new unprivileged user with an organization of their own and a session token. */
  newUser(email: string, orgName?: string): Promise<{ id: string; token: string; organizationId: string; call: Caller }>;
  close(): Promise<void>;
}

export async function accountsFixture(kind: DatabaseKind, options: AppOptions = {}, clock?: Clock): Promise<AccountsFixture> {
  const server = await startTestServer(kind, { worker: false, ...(clock && { clock }) });
  const app = createApp(server.deps, options);
  const caller =
    (token: string | null): Caller =>
    (path, init = {}) => {
      const { json, ...rest } = init;
      const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (json !== undefined) headers['Content-Type'] = 'application/json';
      return Promise.resolve(app.request(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) }));
    };
  const adminRow = await server.database.db.selectFrom('users').select('id').where('email', '=', 'admin@localhost').executeTakeFirstOrThrow();
  return {
    server,
    app,
    admin: caller(server.adminToken),
    adminUserId: adminRow.id,
    caller,
    async newUser(email, orgName = `${email}'s organization`) {
      const id = newId('user');
      await server.database.db.insertInto('users').values({ id, email }).execute();
      const organizationId = await server.database.db.transaction().execute((trx) => createOrganization(trx, orgName, id));
      const token = await issueAccessToken(server.database.db, id, null);
      return { id, token, organizationId, call: caller(token) };
    },
    close: () => server.close(),
  };
}
