/**
 * The add-datasource dialog: a pasted BigQuery key is checked as it is typed and fills in the project; a
 * failed connection test is explained and marks the field at fault without saving anything; a server 422
 * lands next to its field.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, ORG, renderScreen } from '../webhooks/test-support.tsx';
import { DatasourceDialog } from './DatasourceDialog.tsx';

afterEach(() => vi.unstubAllGlobals());

const KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'my-project-123',
  private_key_id: 'abc',
  private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  client_email: 'reader@my-project-123.iam.gserviceaccount.com',
});

function open(answer: Parameters<typeof renderScreen>[1]) {
  const view = renderScreen(<DatasourceDialog open onClose={() => undefined} organizationId={ORG} />, answer);
  return { ...view, dialog: async () => within(await screen.findByRole('dialog', { name: 'Add datasource' })) };
}

describe('DatasourceDialog', () => {
  it('checks a pasted service-account key as it is typed and fills in its project', async () => {
    const { user, dialog } = open(() => undefined);
    const d = await dialog();
    await user.click(d.getByRole('radio', { name: 'BigQuery' }));
    const key = d.getByLabelText(/Service-account key/);
    await user.click(key);
    await user.paste('{"type": "service_account"');
    expect(d.getByText('This is not valid JSON. Paste the whole key file, from { to }.')).toBeTruthy();
    await user.clear(key);
    await user.paste(KEY);
    expect(d.getByText('✓ Looks like a service-account key for project my-project-123.')).toBeTruthy();
    expect((d.getByLabelText(/Project id/) as HTMLInputElement).value).toBe('my-project-123');
  });

  it('explains a failed test at the field to fix, and saves nothing', async () => {
    const { user, dialog, sent } = open((req) =>
      req.url === `/v1/m/organizations/${ORG}/datasources/test-connection`
        ? json({ ok: false, driver: 'postgres', elapsed_ms: 12, problem: { code: 'auth', message: 'PostgreSQL at db.example.com refused the credentials: password authentication failed for user "ro"', hint: 'Check the user name and password.', field: 'password' } })
        : undefined,
    );
    const d = await dialog();
    await user.type(d.getByLabelText(/^Host/), 'db.example.com');
    await user.type(d.getByLabelText(/^Database/), 'app');
    await user.type(d.getByLabelText(/^User/), 'ro');
    await user.type(d.getByLabelText(/^Password/), 'wrong');
    await user.click(d.getByRole('button', { name: 'Test connection' }));
    expect(await d.findByText('Connection failed: the credentials were refused')).toBeTruthy();
    expect(d.getByText('Check the user name and password.')).toBeTruthy();
    expect(d.getByLabelText(/^Password/).getAttribute('aria-invalid')).toBe('true');
    expect(d.getByText('The credentials were refused: see below.')).toBeTruthy();
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([`POST /v1/m/organizations/${ORG}/datasources/test-connection`]);
    expect(sent[0]?.body).toMatchObject({ dsn: { type: 'postgres', host: 'db.example.com', port: 5432, password: { type: 'revealed', value: 'wrong' } } });
    // Changing the settings retires the result that described the old ones.
    await user.type(d.getByLabelText(/^Password/), '!');
    expect(d.queryByText('Connection failed: the credentials were refused')).toBeNull();
  });

  it('shows a 422 from saving next to its field', async () => {
    const { user, dialog } = open((req) =>
      req.url === '/v1/m/datasources' ? json({ detail: [{ loc: ['body', 'dsn', 'dbname'], msg: 'String should have at most 255 characters', type: 'too_big' }] }, 422) : undefined,
    );
    const d = await dialog();
    await user.type(d.getByLabelText(/^Name/), 'Prod');
    await user.type(d.getByLabelText(/^Host/), 'db.example.com');
    await user.type(d.getByLabelText(/^Database/), 'app');
    await user.type(d.getByLabelText(/^User/), 'ro');
    await user.click(d.getByRole('button', { name: 'Save datasource' }));
    expect(await d.findByText('String should have at most 255 characters')).toBeTruthy();
    expect(d.getByLabelText(/^Database/).getAttribute('aria-invalid')).toBe('true');
  });
});
