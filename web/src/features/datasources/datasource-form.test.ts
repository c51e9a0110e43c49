/** The add/edit datasource form: ports follow the type, the dsn sent per engine, blank credentials on edit, and every check at its field. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors.ts';
import { changeType, checkServiceAccount, describeTarget, dsnFromForm, emptyForm, fieldErrorsFromApi, formFromDsn, type DatasourceForm } from './datasource-form.ts';

const KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'my-project-123',
  private_key_id: 'abc',
  private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  client_email: 'reader@my-project-123.iam.gserviceaccount.com',
});

const pg = (patch: Partial<DatasourceForm> = {}): DatasourceForm => ({ ...emptyForm('postgres'), name: 'W', host: 'db.example.com', dbname: 'app', user: 'ro', password: 's3cret', ...patch });

describe('changeType', () => {
  it('moves a default port along with the type but keeps a port the user typed', () => {
    const f = emptyForm('postgres');
    expect(f.port).toBe('5432');
    expect(changeType(f, 'mariadb').port).toBe('3306');
    expect(changeType(changeType(f, 'mariadb'), 'redshift').port).toBe('5439');
    expect(changeType({ ...f, port: '6543' }, 'mariadb').port).toBe('6543');
    expect(changeType(f, 'duckdb').port).toBe('');
    expect(changeType(changeType(f, 'duckdb'), 'postgres').port).toBe('5432');
  });
});

describe('dsnFromForm', () => {
  it('builds each engine’s dsn with only its own fields', () => {
    expect(dsnFromForm(pg({ sslmode: 'require', search_path: 'analytics, public', statement_timeout_s: '90', max_rows: '1,000' }), 'create')).toEqual({
      ok: true,
      dsn: { type: 'postgres', host: 'db.example.com', port: 5432, user: 'ro', password: { type: 'revealed', value: 's3cret' }, dbname: 'app', sslmode: 'require', search_path: 'analytics, public', statement_timeout_ms: 90_000, max_rows: 1000 },
    });
    expect(dsnFromForm(changeType(pg({ ssl: true }), 'mariadb'), 'create')).toEqual({
      ok: true,
      dsn: { type: 'mariadb', host: 'db.example.com', port: 3306, user: 'ro', password: { type: 'revealed', value: 's3cret' }, dbname: 'app', ssl: true },
    });
    expect(dsnFromForm(changeType(pg(), 'redshift'), 'create')).toMatchObject({ ok: true, dsn: { type: 'redshift', port: 5439, search_path: null } });
    expect(dsnFromForm({ ...emptyForm('duckdb'), name: 'D', path: ' demo-warehouse.duckdb ' }, 'create')).toEqual({ ok: true, dsn: { type: 'duckdb', path: 'demo-warehouse.duckdb' } });
    expect(dsnFromForm({ ...emptyForm('bigquery'), name: 'B', project_id: 'my-project-123', dataset_id: 'analytics', credentials: KEY }, 'create')).toEqual({
      ok: true,
      dsn: { type: 'bigquery', project_id: 'my-project-123', dataset_id: 'analytics', credentials: { type: 'serviceaccountinfo', content: KEY } },
    });
  });

  it('keeps the saved credential when left blank on edit, and sends an empty password on create', () => {
    expect(dsnFromForm(pg({ password: '' }), 'edit')).toMatchObject({ ok: true, dsn: { password: { type: 'hidden' } } });
    expect(dsnFromForm(pg({ password: '' }), 'create')).toMatchObject({ ok: true, dsn: { password: { type: 'revealed', value: '' } } });
    expect(dsnFromForm({ ...emptyForm('bigquery'), project_id: 'my-project-123', dataset_id: 'a' }, 'edit')).toMatchObject({ ok: true, dsn: { credentials: { type: 'hidden' } } });
    expect(dsnFromForm({ ...emptyForm('bigquery'), project_id: 'my-project-123', dataset_id: 'a' }, 'create')).toEqual({ ok: false, errors: { credentials: 'Paste the service-account key (JSON).' } });
  });

  it('names every problem at its field', () => {
    const r = dsnFromForm({ ...emptyForm('postgres'), port: '80', search_path: 'a b', statement_timeout_s: '0', max_rows: 'lots' }, 'create');
    expect(r).toEqual({
      ok: false,
      errors: {
        host: 'Enter the host name.',
        dbname: 'Enter the database name.',
        user: 'Enter the user name.',
        port: 'A port from 1024 to 65535.',
        search_path: 'Schema names separated by commas (analytics, public).',
        statement_timeout_s: 'A whole number of seconds from 1 to 3600.',
        max_rows: 'A whole number from 1 to 100,000,000.',
      },
    });
    expect(dsnFromForm(pg({ host: 'postgres://db.example.com/app' }), 'create')).toMatchObject({ ok: false, errors: { host: expect.stringMatching(/without a scheme/) } });
    expect(dsnFromForm({ ...emptyForm('bigquery'), project_id: 'My_Project', dataset_id: 'a-b', credentials: '{' }, 'create')).toEqual({
      ok: false,
      errors: {
        project_id: 'A project id is 6–30 characters of a–z, 0–9 and -.',
        dataset_id: 'A dataset id has only letters, digits and underscores.',
        credentials: 'This is not valid JSON. Paste the whole key file, from { to }.',
      },
    });
  });
});

describe('checkServiceAccount', () => {
  it('accepts a key and reads its project, and says what is missing without quoting the key', () => {
    expect(checkServiceAccount(KEY)).toEqual({ problem: null, projectId: 'my-project-123' });
    expect(checkServiceAccount('[]').problem).toBe('The key must be a JSON object.');
    expect(checkServiceAccount('{"type":"authorized_user"}').problem).toMatch(/not a service-account key/);
    expect(checkServiceAccount('{"type":"service_account","project_id":"p"}').problem).toBe('The key lacks "private_key_id", "private_key", "client_email".');
    const notPem = checkServiceAccount(KEY.replace('-----BEGIN PRIVATE KEY-----', 'x').replace('-----END PRIVATE KEY-----', 'y'));
    expect(notPem.problem).toBe('The "private_key" is not a PEM private key.');
  });
});

describe('edit round trip and server problems', () => {
  it('fills the form from a saved dsn, with the credential blank and the timeout in seconds', () => {
    const f = formFromDsn('Prod', { type: 'postgres', host: 'h.example', port: 6543, user: 'u', dbname: 'd', sslmode: 'verify-ca', search_path: null, statement_timeout_ms: 120_000, password: { type: 'hidden' } });
    expect(f).toMatchObject({ name: 'Prod', type: 'postgres', host: 'h.example', port: '6543', sslmode: 'verify-ca', search_path: '', statement_timeout_s: '120', password: '' });
    expect(dsnFromForm(f, 'edit')).toMatchObject({ ok: true, dsn: { port: 6543, statement_timeout_ms: 120_000, password: { type: 'hidden' } } });
    expect(describeTarget({ type: 'postgres', host: 'h.example', port: 6543, user: 'u', dbname: 'd' })).toBe('u@h.example:6543/d');
    expect(describeTarget({ type: 'bigquery', project_id: 'p', dataset_id: 'd' })).toBe('p.d');
  });

  it('puts a 422 at the form fields it names, and keeps the rest', () => {
    const err = new ApiError(422, 'x', [
      { path: 'dsn.host', message: 'must be a host name or IP address' },
      { path: 'dsn.statement_timeout_ms', message: 'Too small' },
      { path: 'name', message: 'Too long' },
      { path: 'organization_id', message: 'Field required' },
    ]);
    expect(fieldErrorsFromApi(err)).toEqual({
      fields: { host: 'must be a host name or IP address', statement_timeout_s: 'Too small', name: 'Too long' },
      other: ['organization_id: Field required'],
    });
  });
});
