/**
 * The add/edit datasource form as plain data: which fields each warehouse type has, default ports, the
 * checks done before anything is sent (so a typo is caught at the field, not after a round trip), and the
 * conversion to and from the API's `dsn` (`src/services/datasource-dsn.ts`). On edit a blank password or
 * service-account key means "keep the saved one" (`{"type": "hidden"}`).
 */
import type { ApiError } from '../../api/errors.ts';

export type WarehouseType = 'postgres' | 'redshift' | 'mariadb' | 'bigquery' | 'duckdb';

export const WAREHOUSE_TYPES: ReadonlyArray<{ readonly type: WarehouseType; readonly label: string; readonly hint: string }> = [
  { type: 'postgres', label: 'PostgreSQL', hint: 'PostgreSQL 12 or newer, including managed services' },
  { type: 'mariadb', label: 'MariaDB / MySQL', hint: 'MariaDB 10.5+ or MySQL 8' },
  { type: 'redshift', label: 'Redshift', hint: 'Amazon Redshift over TLS' },
  { type: 'bigquery', label: 'BigQuery', hint: 'Google BigQuery with a service-account key' },
  { type: 'duckdb', label: 'DuckDB file', hint: "A .duckdb file in the server's data directory" },
];

export const DEFAULT_PORTS: Readonly<Record<'postgres' | 'redshift' | 'mariadb', number>> = { postgres: 5432, redshift: 5439, mariadb: 3306 };

export const SSL_MODES = ['verify-full', 'verify-ca', 'require', 'disable'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Every input of the form, as the inputs hold them (strings), whatever the type shows. */
export interface DatasourceForm {
  readonly name: string;
  readonly type: WarehouseType;
  readonly host: string;
  readonly port: string;
  readonly dbname: string;
  readonly user: string;
  /** On edit, blank keeps the saved password. */
  readonly password: string;
  readonly sslmode: SslMode;
  readonly search_path: string;
  /** MariaDB/MySQL: connect with TLS. */
  readonly ssl: boolean;
  readonly path: string;
  readonly project_id: string;
  readonly dataset_id: string;
  /** BigQuery service-account key JSON; on edit, blank keeps the saved key. */
  readonly credentials: string;
  /** Seconds (the API takes milliseconds); blank means the default of 60 s. */
  readonly statement_timeout_s: string;
  /** Blank means the default of 5,000,000. */
  readonly max_rows: string;
}

export type FormField = keyof DatasourceForm;
export type FieldErrors = Partial<Record<FormField, string>>;

export function emptyForm(type: WarehouseType = 'postgres'): DatasourceForm {
  return {
    name: '',
    type,
    host: '',
    port: type in DEFAULT_PORTS ? String(DEFAULT_PORTS[type as keyof typeof DEFAULT_PORTS]) : '',
    dbname: '',
    user: '',
    password: '',
    sslmode: 'verify-full',
    search_path: '',
    ssl: false,
    path: '',
    project_id: '',
    dataset_id: '',
    credentials: '',
    statement_timeout_s: '',
    max_rows: '',
  };
}

export function isNetworkType(type: WarehouseType): type is 'postgres' | 'redshift' | 'mariadb' {
  return type === 'postgres' || type === 'redshift' || type === 'mariadb';
}

/**
 * Switches the type, moving the port along when it still held the old type's default (or nothing), so a
 * port the user typed is never overwritten.
 */
export function changeType(form: DatasourceForm, type: WarehouseType): DatasourceForm {
  const oldDefault = isNetworkType(form.type) ? String(DEFAULT_PORTS[form.type]) : '';
  const keepPort = form.port !== '' && form.port !== oldDefault;
  const port = keepPort ? form.port : isNetworkType(type) ? String(DEFAULT_PORTS[type]) : '';
  return { ...form, type, port };
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The form for editing a saved datasource; its credential stays blank (= keep). */
export function formFromDsn(name: string, dsn: Readonly<Record<string, unknown>>): DatasourceForm {
  const type = (WAREHOUSE_TYPES.some((t) => t.type === dsn['type']) ? dsn['type'] : 'postgres') as WarehouseType;
  const timeout = typeof dsn['statement_timeout_ms'] === 'number' ? String(dsn['statement_timeout_ms'] / 1000) : '';
  const sslmode = SSL_MODES.includes(dsn['sslmode'] as SslMode) ? (dsn['sslmode'] as SslMode) : 'verify-full';
  return {
    ...emptyForm(type),
    name,
    host: str(dsn['host']),
    port: str(dsn['port']),
    dbname: str(dsn['dbname']),
    user: str(dsn['user']),
    sslmode,
    search_path: str(dsn['search_path']),
    ssl: dsn['ssl'] === true,
    path: str(dsn['path']),
    project_id: str(dsn['project_id']),
    dataset_id: str(dsn['dataset_id']),
    statement_timeout_s: timeout,
    max_rows: str(dsn['max_rows']),
  };
}

/**
 * Checks a pasted service-account key the way the server will (never quoting it), and returns its
 * project id so the form can fill that field in.
 *
 * @example checkServiceAccount('{"type":"service_account", …}') // { problem: null, projectId: 'my-project' }
 */
export function checkServiceAccount(text: string): { problem: string | null; projectId: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'This is not valid JSON. Paste the whole key file, from { to }.', projectId: null };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'The key must be a JSON object.', projectId: null };
  const r = parsed as Record<string, unknown>;
  if (r['type'] !== 'service_account') return { problem: 'This is not a service-account key: "type" must be "service_account".', projectId: null };
  const missing = ['project_id', 'private_key_id', 'private_key', 'client_email'].filter((k) => typeof r[k] !== 'string' || (r[k] as string).trim() === '');
  if (missing.length > 0) return { problem: `The key lacks ${missing.map((k) => `"${k}"`).join(', ')}.`, projectId: null };
  if (!(r['private_key'] as string).includes('PRIVATE KEY-----')) return { problem: 'The "private_key" is not a PEM private key.', projectId: null };
  return { problem: null, projectId: r['project_id'] as string };
}

const HOST = /^[A-Za-z0-9.:\-[\]]{1,253}$/;
const SCHEMA_LIST = /^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$/;

function integerIn(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n >= min && n <= max ? n : null;
}

export type DsnResult = { readonly ok: true; readonly dsn: Record<string, unknown> } | { readonly ok: false; readonly errors: FieldErrors };

/**
 * The `dsn` the API takes, or the problems to show at each field. `mode: 'edit'` turns a blank credential
 * into "keep the saved one".
 */
export function dsnFromForm(form: DatasourceForm, mode: 'create' | 'edit'): DsnResult {
  const errors: FieldErrors = {};
  const required = (field: FormField, label: string) => {
    if (String(form[field]).trim() === '') errors[field] = `Enter the ${label}.`;
  };
  const limits: Record<string, number> = {};
  if (form.statement_timeout_s.trim() !== '') {
    const s = integerIn(form.statement_timeout_s, 1, 3600);
    if (s === null) errors.statement_timeout_s = 'A whole number of seconds from 1 to 3600.';
    else limits['statement_timeout_ms'] = s * 1000;
  }
  if (form.max_rows.trim() !== '') {
    const n = integerIn(form.max_rows.replace(/[,_\s]/g, ''), 1, 100_000_000);
    if (n === null) errors.max_rows = 'A whole number from 1 to 100,000,000.';
    else limits['max_rows'] = n;
  }

  let dsn: Record<string, unknown> = {};
  if (form.type === 'duckdb') {
    required('path', 'file path');
    dsn = { type: 'duckdb', path: form.path.trim() };
  } else if (form.type === 'bigquery') {
    required('project_id', 'project id');
    required('dataset_id', 'dataset id');
    if (form.project_id.trim() && !/^[a-z0-9-]{6,30}$/.test(form.project_id.trim())) errors.project_id = 'A project id is 6–30 characters of a–z, 0–9 and -.';
    if (form.dataset_id.trim() && !/^[A-Za-z0-9_]+$/.test(form.dataset_id.trim())) errors.dataset_id = 'A dataset id has only letters, digits and underscores.';
    let credentials: Record<string, unknown> = { type: 'hidden' };
    if (form.credentials.trim() !== '') {
      const check = checkServiceAccount(form.credentials.trim());
      if (check.problem) errors.credentials = check.problem;
      credentials = { type: 'serviceaccountinfo', content: form.credentials.trim() };
    } else if (mode === 'create') {
      errors.credentials = 'Paste the service-account key (JSON).';
    }
    dsn = { type: 'bigquery', project_id: form.project_id.trim(), dataset_id: form.dataset_id.trim(), credentials };
  } else {
    required('host', 'host name');
    required('dbname', 'database name');
    required('user', 'user name');
    if (form.host.trim() && !HOST.test(form.host.trim())) errors.host = 'A host name or IP address, without a scheme or path (db.example.com).';
    const port = integerIn(form.port, 1024, 65535);
    if (port === null) errors.port = form.port.trim() === '' ? 'Enter the port.' : 'A port from 1024 to 65535.';
    if (form.search_path.trim() && !SCHEMA_LIST.test(form.search_path.trim())) errors.search_path = 'Schema names separated by commas (analytics, public).';
    // An empty password is a real password for servers with trust authentication; only edit treats blank as "keep".
    const password = mode === 'edit' && form.password === '' ? { type: 'hidden' } : { type: 'revealed', value: form.password };
    dsn = { type: form.type, host: form.host.trim(), port: port ?? 0, user: form.user.trim(), password, dbname: form.dbname.trim() };
    if (form.type === 'postgres') dsn['sslmode'] = form.sslmode;
    if (form.type === 'mariadb') dsn['ssl'] = form.ssl;
    if (form.type !== 'mariadb') dsn['search_path'] = form.search_path.trim() || null;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, dsn: { ...dsn, ...limits } };
}

/** The form field a server-side problem at `dsn.<x>` (or `name`) belongs to. */
export function formFieldOfPath(path: string): FormField | null {
  if (path === 'name') return 'name';
  const m = /^dsn\.([a-z_]+)/.exec(path);
  if (!m) return null;
  const key = m[1] as string;
  if (key === 'statement_timeout_ms') return 'statement_timeout_s';
  if (key === 'credentials' || key === 'password') return key;
  return key in emptyForm() ? (key as FormField) : null;
}

/** A server 422 as per-field messages; problems without a field of the form come back under `_`. */
export function fieldErrorsFromApi(err: ApiError): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const f of err.fields) {
    const field = formFieldOfPath(f.path);
    if (field && !fields[field]) fields[field] = f.message;
    else if (!field) other.push(f.path ? `${f.path}: ${f.message}` : f.message);
  }
  return { fields, other };
}

/** One line saying where a datasource points, for lists and headers. */
export function describeTarget(dsn: Readonly<Record<string, unknown>>): string {
  switch (dsn['type']) {
    case 'api_only':
      return 'No warehouse';
    case 'duckdb':
      return str(dsn['path']);
    case 'bigquery':
      return `${str(dsn['project_id'])}.${str(dsn['dataset_id'])}`;
    default:
      return `${str(dsn['user'])}@${str(dsn['host'])}:${str(dsn['port'])}/${str(dsn['dbname'])}`;
  }
}

export { driverLabel } from '../../api/drivers.ts';
