/**
 * Creating or editing a participant type: its name, its table, and per column whether it is the unique id,
 * a filter, a stratum or a metric (numbers and booleans only), with a description. The experiment designer
 * then offers exactly these columns, described, instead of every column of a wide table.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { SelectField, TextField } from '../../ui/Field.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { datasourceKeys, datasourcePaths, useTableColumns, useTables } from './api.ts';
import { canBeMetric, checkTypeForm, fieldsPayload, rowsForTable, setFlag, type FieldRow, type TypeFormProblems } from './participant-type-form.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Above this many columns a filter box appears. */
const FILTER_FROM = 12;

export interface ParticipantTypeFormProps {
  readonly datasourceId: string;
  /** The saved type being edited; absent to create one. */
  readonly existing?: { readonly name: string; readonly table: string; readonly rows: readonly FieldRow[] } | undefined;
  readonly initialTable?: string | undefined;
}

/** Server 422 problems mapped onto the form (`participant_type`, `…table_name`, `…fields.<i>.<flag>`). */
function problemsFromApi(err: ApiError, sent: readonly FieldRow[]): TypeFormProblems & { other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  let name: string | undefined;
  let table: string | undefined;
  for (const f of err.fields) {
    const m = /(?:^|\.)fields\.(\d+)/.exec(f.path);
    if (f.path === 'participant_type') name = f.message;
    else if (/table_name$/.test(f.path)) table = f.message;
    else if (m && sent[Number(m[1])]) byField[sent[Number(m[1])]!.field_name] = f.message;
    else other.push(f.path ? `${f.path}: ${f.message}` : f.message);
  }
  return { ...(name ? { name } : {}), ...(table ? { table } : {}), byField, other };
}

export function ParticipantTypeForm({ datasourceId, existing, initialTable }: ParticipantTypeFormProps) {
  const editing = existing !== undefined;
  const [name, setName] = useState(existing?.name ?? '');
  const [table, setTable] = useState(existing?.table ?? initialTable ?? '');
  const [rows, setRows] = useState<readonly FieldRow[]>(existing?.rows ?? []);
  const [rowsTable, setRowsTable] = useState<string | null>(existing ? existing.table : null);
  const [problems, setProblems] = useState<TypeFormProblems | null>(null);
  const [filter, setFilter] = useState('');
  const tables = useTables(datasourceId);
  const columns = useTableColumns(datasourceId, table && table !== rowsTable ? table : null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();

  // A newly chosen table brings its columns, keeping the annotations of columns with the same name.
  useEffect(() => {
    if (columns.data && columns.data.table_name === table && rowsTable !== table) {
      setRows((r) => rowsForTable(columns.data, r));
      setRowsTable(table);
    }
  }, [columns.data, table, rowsTable]);

  const save = useMutation({
    mutationFn: async (sent: readonly FieldRow[]) => {
      const fields = fieldsPayload(sent);
      if (existing) {
        return api.patch<{ participant_type: string }>(datasourcePaths.participantType(datasourceId, existing.name), {
          ...(name.trim() !== existing.name ? { participant_type: name.trim() } : {}),
          ...(table !== existing.table ? { table_name: table } : {}),
          fields,
        });
      }
      return api.post<{ participant_type: string }>(datasourcePaths.participantTypes(datasourceId), { participant_type: name.trim(), schema_def: { table_name: table, fields } });
    },
    onSuccess: async ({ participant_type }) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: datasourceKeys.one(datasourceId) }), queryClient.invalidateQueries({ queryKey: ['datasources'] })]);
      toast(editing ? `Participant type “${participant_type}” saved` : `Participant type “${participant_type}” created`);
      navigate(`/datasources/${encodeURIComponent(datasourceId)}/participant-types/${encodeURIComponent(participant_type)}`, { replace: editing });
    },
    onError: (err, sent) => {
      if (err instanceof ApiError && err.status === 422) setProblems(problemsFromApi(err, fieldsPayload(sent).map((f) => ({ ...f }))));
      else if (err instanceof ApiError && err.status === 404 && /table/i.test(err.message)) setProblems({ table: err.message, byField: {} });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkTypeForm(name, table, rows);
    setProblems(found);
    if (found) {
      // Send keyboard users to the first problem, which a long column list may have scrolled away.
      queueMicrotask(() => document.querySelector<HTMLElement>('.participant-type-form [aria-invalid="true"], .participant-type-form .form-problem')?.focus());
      return;
    }
    save.mutate(rows);
  }

  const tableOptions = useMemo(() => {
    const names = tables.data?.tables ?? [];
    const list = names.map((t) => ({ value: t, label: t }));
    if (table && !names.includes(table) && tables.isSuccess) list.unshift({ value: table, label: `${table} (missing from the warehouse)` });
    return [{ value: '', label: tables.isPending ? 'Loading tables…' : 'Choose a table' }, ...list];
  }, [tables.data, tables.isPending, tables.isSuccess, table]);

  const needle = filter.trim().toLowerCase();
  const shown = needle ? rows.filter((r) => r.field_name.toLowerCase().includes(needle) || r.description.toLowerCase().includes(needle)) : rows;
  const unique = rows.find((r) => r.is_unique_id)?.field_name;
  const count = (k: 'is_filter' | 'is_strata' | 'is_metric') => rows.filter((r) => r[k]).length;
  const loadingColumns = table !== '' && rowsTable !== table;
  const unexplained = save.isError && !(save.error instanceof ApiError && (save.error.status === 422 || (save.error.status === 404 && /table/i.test(save.error.message))));
  const otherProblems = problems && 'other' in problems ? (problems as { other: string[] }).other : [];

  return (
    <form className="stack participant-type-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <TextField label="Participant type name" required maxLength={100} value={name} error={problems?.name} hint="What one row of the table is, e.g. “Learners” or “Households”." onChange={(e) => setName(e.target.value)} autoFocus={!editing} />
        <SelectField
          label="Table"
          required
          value={table}
          error={problems?.table ?? (tables.isError ? 'The tables cannot be listed: check the datasource connection.' : undefined)}
          options={tableOptions}
          hint="The table (or view) with one row per participant."
          onChange={(e) => {
            setTable(e.target.value);
            setProblems(null);
          }}
        />
      </div>

      {table !== '' && loadingColumns && columns.isPending && <Loading label={`Loading the columns of ${table}…`} />}
      {table !== '' && loadingColumns && columns.isError && <ErrorCallout title={`Could not read the columns of ${table}`} error={columns.error} onRetry={() => void columns.refetch()} />}

      {table !== '' && !loadingColumns && (
        <fieldset className="annotations">
          <legend>Columns</legend>
          <p className="muted small">
            Mark the <strong>unique id</strong> (one column that tells participants apart), the <strong>filters</strong> that decide who may take part, the{' '}
            <strong>strata</strong> to balance arms on, and the <strong>metrics</strong> you want to move (numbers and booleans). Only marked or described columns are
            saved.
          </p>
          <p className="annotation-summary" aria-live="polite">
            Unique id: <strong>{unique ?? 'not chosen'}</strong> · {plural(count('is_filter'), 'filter', 'filters')} · {plural(count('is_strata'), 'stratum', 'strata')} ·{' '}
            {plural(count('is_metric'), 'metric', 'metrics')}
          </p>
          {problems?.fields && (
            <p className="field-error form-problem" role="alert" tabIndex={-1}>
              {problems.fields}
            </p>
          )}
          {rows.length > FILTER_FROM && <TextField label="Find a column" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />}
          <div className="table-wrap">
            <table className="table ds-table compact annotation-table">
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Unique id</th>
                  <th scope="col">Filter</th>
                  <th scope="col">Strata</th>
                  <th scope="col">Metric</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <AnnotationRow key={r.field_name} row={r} problem={problems?.byField[r.field_name]} onChange={(flag, value) => setRows((all) => setFlag(all, r.field_name, flag, value))} onDescribe={(d) => setRows((all) => all.map((x) => (x.field_name === r.field_name ? { ...x, description: d } : x)))} />
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p className="muted">This table has no columns Equipoise can use.</p>}
        </fieldset>
      )}

      {otherProblems.length > 0 && <ErrorCallout title="The server did not accept the participant type" error={new Error(otherProblems.join('; '))} />}
      {unexplained && <ErrorCallout title="Could not save the participant type" error={save.error} />}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save participant type
        </Button>
      </div>
    </form>
  );
}

function AnnotationRow({ row, problem, onChange, onDescribe }: { row: FieldRow; problem: string | undefined; onChange: (flag: 'is_unique_id' | 'is_filter' | 'is_strata' | 'is_metric', value: boolean) => void; onDescribe: (d: string) => void }) {
  const metricOk = canBeMetric(row.data_type);
  const errorId = `annotation-error-${row.field_name}`;
  return (
    <tr className={problem ? 'row-invalid' : undefined}>
      <th scope="row">
        <code>{row.field_name}</code> <Badge>{row.data_type}</Badge>
        {problem && (
          <div id={errorId} className="field-error" role="alert">
            {problem}
          </div>
        )}
      </th>
      <td className="check">
        <input type="radio" name="unique-id" aria-label={`Unique id: ${row.field_name}`} checked={row.is_unique_id} onChange={(e) => onChange('is_unique_id', e.target.checked)} />
      </td>
      <td className="check">
        <input type="checkbox" aria-label={`Filter: ${row.field_name}`} checked={row.is_filter} onChange={(e) => onChange('is_filter', e.target.checked)} />
      </td>
      <td className="check">
        <input type="checkbox" aria-label={`Strata: ${row.field_name}`} checked={row.is_strata} onChange={(e) => onChange('is_strata', e.target.checked)} />
      </td>
      <td className="check">
        <input
          type="checkbox"
          aria-label={`Metric: ${row.field_name}`}
          checked={row.is_metric}
          disabled={!metricOk && !row.is_metric}
          title={metricOk ? undefined : 'Only numbers and booleans can be metrics'}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          onChange={(e) => onChange('is_metric', e.target.checked)}
        />
      </td>
      <td>
        <input className="input" aria-label={`Description of ${row.field_name}`} value={row.description} maxLength={2000} onChange={(e) => onDescribe(e.target.value)} />
      </td>
    </tr>
  );
}
