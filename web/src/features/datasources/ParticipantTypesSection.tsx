/** The datasource's participant types at a glance: table, unique id and how many columns each offers the designer. */
import { Link } from 'react-router';
import { ErrorCallout, Loading } from '../../ui/Callout.tsx';
import type { ParticipantTypeDef } from './api.ts';
import { useParticipantTypes } from './api.ts';

export function newParticipantTypePath(datasourceId: string): string {
  return `/datasources/${encodeURIComponent(datasourceId)}/participant-types/new`;
}

export function ParticipantTypesSection({ datasourceId }: { datasourceId: string }) {
  const types = useParticipantTypes(datasourceId);
  if (types.isPending) return <Loading label="Loading participant types…" />;
  if (types.isError) return <ErrorCallout title="Could not load the participant types" error={types.error} onRetry={() => void types.refetch()} />;
  const items = types.data.items;
  if (items.length === 0) {
    return (
      <div className="empty">
        <h3>No participant types yet</h3>
        <div className="empty-body">
          A participant type names the table of your participants and marks which columns experiments may filter on, balance on (strata) and measure (metrics).
        </div>
        <div className="empty-action">
          <Link className="btn btn-primary btn-link" to={newParticipantTypePath(datasourceId)}>
            Add the first participant type
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table ds-table">
        <caption className="visually-hidden">Participant types</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Table</th>
            <th scope="col">Unique id</th>
            <th scope="col" className="num">
              Filters
            </th>
            <th scope="col" className="num">
              Strata
            </th>
            <th scope="col" className="num">
              Metrics
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <TypeRow key={t.participant_type} datasourceId={datasourceId} t={t} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TypeRow({ datasourceId, t }: { datasourceId: string; t: ParticipantTypeDef }) {
  const n = (k: 'is_filter' | 'is_strata' | 'is_metric') => t.fields.filter((f) => f[k]).length;
  const unique = t.fields.find((f) => f.is_unique_id)?.field_name;
  return (
    <tr>
      <th scope="row">
        <Link to={`/datasources/${encodeURIComponent(datasourceId)}/participant-types/${encodeURIComponent(t.participant_type)}`}>{t.participant_type}</Link>
      </th>
      <td>
        <code>{t.table_name}</code>
      </td>
      <td>{unique ? <code>{unique}</code> : <span className="muted">not chosen</span>}</td>
      <td className="num">{n('is_filter')}</td>
      <td className="num">{n('is_strata')}</td>
      <td className="num">{n('is_metric')}</td>
    </tr>
  );
}
