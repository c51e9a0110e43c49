/** The connection inputs of one warehouse type, with hints that say what each setting means and where to find it. */
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../ui/Field.tsx';
import { checkServiceAccount, DEFAULT_PORTS, isNetworkType, SSL_MODES, type DatasourceForm, type FieldErrors, type SslMode } from './datasource-form.ts';

const SSL_LABELS: Readonly<Record<SslMode, string>> = {
  'verify-full': 'verify-full: encrypted, certificate and host checked',
  'verify-ca': 'verify-ca: encrypted, certificate checked',
  require: 'require: encrypted, not verified',
  disable: 'disable: not encrypted',
};

export function DatasourceFields({
  form,
  errors,
  editing,
  onChange,
}: {
  form: DatasourceForm;
  errors: FieldErrors;
  editing: boolean;
  onChange: (patch: Partial<DatasourceForm>) => void;
}) {
  return (
    <div className="stack">
      {form.type === 'duckdb' && (
        <TextField
          label="File path"
          required
          value={form.path}
          error={errors.path}
          placeholder="warehouse.duckdb"
          hint="Relative to the server's data directory (DATA_DIR), where the file must be; the demo is demo-warehouse.duckdb. It is opened read-only."
          onChange={(e) => onChange({ path: e.target.value })}
          autoComplete="off"
          spellCheck={false}
        />
      )}

      {isNetworkType(form.type) && (
        <>
          <div className="form-grid form-grid-host">
            <TextField
              label="Host"
              required
              value={form.host}
              error={errors.host}
              placeholder="db.example.com"
              hint="Name or IP address the Equipoise server can reach."
              onChange={(e) => onChange({ host: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Port"
              required
              inputMode="numeric"
              value={form.port}
              error={errors.port}
              hint={`Usually ${DEFAULT_PORTS[form.type]}.`}
              onChange={(e) => onChange({ port: e.target.value })}
              autoComplete="off"
            />
          </div>
          <TextField
            label="Database"
            required
            value={form.dbname}
            error={errors.dbname}
            onChange={(e) => onChange({ dbname: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
          <div className="form-grid">
            <TextField
              label="User"
              required
              value={form.user}
              error={errors.user}
              hint="A read-only user is enough: Equipoise only reads."
              onChange={(e) => onChange({ user: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Password"
              type="password"
              value={form.password}
              error={errors.password}
              placeholder={editing ? '(saved; leave blank to keep it)' : undefined}
              hint={editing ? 'Leave blank to keep the saved password.' : 'Stored encrypted; never shown again.'}
              onChange={(e) => onChange({ password: e.target.value })}
              autoComplete="new-password"
            />
          </div>
          <div className="form-grid">
            {form.type === 'postgres' && (
              <SelectField
                label="SSL mode"
                hint="verify-full is safest; disable only on a trusted network."
                value={form.sslmode}
                error={errors.sslmode}
                options={SSL_MODES.map((m) => ({ value: m, label: SSL_LABELS[m] }))}
                onChange={(e) => onChange({ sslmode: e.target.value as SslMode })}
              />
            )}
            {form.type === 'mariadb' && (
              <CheckboxField
                label="Connect with TLS"
                hint="Needs a server certificate that Node.js trusts."
                checked={form.ssl}
                onChange={(e) => onChange({ ssl: e.target.checked })}
              />
            )}
            {form.type !== 'mariadb' && (
              <TextField
                label="Search path"
                value={form.search_path}
                error={errors.search_path}
                placeholder="analytics, public"
                hint="Schemas whose tables to show, separated by commas; blank uses the user's default."
                onChange={(e) => onChange({ search_path: e.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </div>
        </>
      )}

      {form.type === 'bigquery' && (
        <>
          <TextAreaField
            label="Service-account key (JSON)"
            required={!editing}
            value={form.credentials}
            error={errors.credentials}
            rows={6}
            className="mono-input"
            placeholder={editing ? '(saved; leave blank to keep it)' : '{"type": "service_account", "project_id": …}'}
            hint={
              editing
                ? 'Leave blank to keep the saved key. The account needs the BigQuery Data Viewer and BigQuery Job User roles.'
                : 'Paste the whole key file. The account needs the BigQuery Data Viewer and BigQuery Job User roles. Stored encrypted; never shown again.'
            }
            onChange={(e) => {
              const text = e.target.value;
              const check = text.trim() ? checkServiceAccount(text.trim()) : { problem: null, projectId: null };
              // Filling the project in from the key saves a lookup; a project typed by hand is kept.
              onChange(check.projectId && form.project_id.trim() === '' ? { credentials: text, project_id: check.projectId } : { credentials: text });
            }}
            spellCheck={false}
            autoComplete="off"
          />
          {form.credentials.trim() !== '' && <ServiceAccountCheck text={form.credentials.trim()} />}
          <div className="form-grid">
            <TextField
              label="Project id"
              required
              value={form.project_id}
              error={errors.project_id}
              placeholder="my-project-123"
              onChange={(e) => onChange({ project_id: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Dataset"
              required
              value={form.dataset_id}
              error={errors.dataset_id}
              placeholder="analytics"
              onChange={(e) => onChange({ dataset_id: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        </>
      )}

      <details className="advanced" open={Boolean(errors.statement_timeout_s || errors.max_rows)}>
        <summary>Limits</summary>
        <div className="form-grid">
          <TextField
            label="Statement timeout (seconds)"
            inputMode="numeric"
            value={form.statement_timeout_s}
            error={errors.statement_timeout_s}
            placeholder="60"
            hint="Longest one warehouse query may run; 1 to 3600."
            onChange={(e) => onChange({ statement_timeout_s: e.target.value })}
          />
          <TextField
            label="Row cap"
            inputMode="numeric"
            value={form.max_rows}
            error={errors.max_rows}
            placeholder="5000000"
            hint="Most rows one sample or fetch may return."
            onChange={(e) => onChange({ max_rows: e.target.value })}
          />
        </div>
      </details>
    </div>
  );
}

/** Checks the pasted key as it is typed, saying what is wrong without quoting it. */
function ServiceAccountCheck({ text }: { text: string }) {
  const { problem, projectId } = checkServiceAccount(text);
  return problem ? (
    <p className="field-error" role="status">
      {problem}
    </p>
  ) : (
    <p className="field-ok" role="status">
      ✓ Looks like a service-account key for project {projectId}.
    </p>
  );
}
