/**
 * The warehouse's tables, each opening to its columns: the type Equipoise sees, primary-key and unique-id
 * hints, comments, and the columns it cannot use. Columns load when a table is opened, so a warehouse with
 * hundreds of tables costs one request.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { TextField } from '../../ui/Field.tsx';
import { useTableColumns, useTables, type ParticipantTypeDef } from './api.ts';

/** Above this many tables a filter box appears. */
const FILTER_FROM = 8;

export function TablesSection({ datasourceId, participantTypes }: { datasourceId: string; participantTypes: readonly ParticipantTypeDef[] }) {
  const tables = useTables(datasourceId);
  const [filter, setFilter] = useState('');
  if (tables.isPending) return <Loading label="Loading tables…" />;
  if (tables.isError) return <p className="muted">The tables appear here once the connection works (see above).</p>;
  const all = tables.data.tables;
  if (all.length === 0) return <p className="muted">No tables or views are visible to this datasource's user.</p>;
  const needle = filter.trim().toLowerCase();
  const shown = needle ? all.filter((t) => t.toLowerCase().includes(needle)) : all;
  return (
    <div className="stack">
      {all.length > FILTER_FROM && (
        <TextField label="Filter tables" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} hint={`${shown.length} of ${all.length} shown`} />
      )}
      <ul className="table-list">
        {shown.map((t) => (
          <li key={t}>
            <TableDetails datasourceId={datasourceId} table={t} usedBy={participantTypes.filter((p) => p.table_name === t).map((p) => p.participant_type)} />
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="muted">No table matches “{filter}”.</p>}
    </div>
  );
}

function TableDetails({ datasourceId, table, usedBy }: { datasourceId: string; table: string; usedBy: readonly string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="table-details" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <code className="table-name">{table}</code>
        {usedBy.map((name) => (
          <Badge key={name} tone="info" title="A participant type reads this table">
            {name}
          </Badge>
        ))}
      </summary>
      {open && <TableColumns datasourceId={datasourceId} table={table} />}
    </details>
  );
}

function TableColumns({ datasourceId, table }: { datasourceId: string; table: string }) {
  const columns = useTableColumns(datasourceId, table);
  if (columns.isPending) return <Loading label={`Loading the columns of ${table}…`} />;
  if (columns.isError) return <ErrorCallout title={`Could not read the columns of ${table}`} error={columns.error} onRetry={() => void columns.refetch()} />;
  const c = columns.data;
  const primary = new Set(c.primary_key_fields);
  const candidates = new Set(c.detected_unique_id_fields);
  return (
    <div className="table-columns">
      <div className="table-wrap">
        <table className="table ds-table compact">
          <caption className="visually-hidden">Columns of {table}</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Key</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {c.fields.map((f) => (
              <tr key={f.field_name}>
                <th scope="row">
                  <code>{f.field_name}</code>
                </th>
                <td>
                  <Badge>{f.data_type}</Badge>
                </td>
                <td>
                  {primary.has(f.field_name) ? (
                    <Badge tone="success">primary key</Badge>
                  ) : candidates.has(f.field_name) ? (
                    <Badge tone="neutral" title="Its name or type suggests it identifies participants; check that its values are unique">
                      unique id?
                    </Badge>
                  ) : null}
                </td>
                <td className="muted">{f.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.unsupported_fields.length > 0 && (
        <p className="muted small">
          Not usable in experiments (unsupported types): {c.unsupported_fields.map((u) => `${u.field_name} (${u.native_type})`).join(', ')}.
        </p>
      )}
      <Link className="btn btn-small btn-link" to={`/datasources/${encodeURIComponent(datasourceId)}/participant-types/new?table=${encodeURIComponent(table)}`}>
        Create a participant type from {table}
      </Link>
    </div>
  );
}
