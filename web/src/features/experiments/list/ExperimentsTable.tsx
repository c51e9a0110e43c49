/**
 * One page of experiments as a table: name (a link to its page) and description, type, status badges,
 * dates, datasource and size. A draft says so with its badge and offers "Review and commit", because a
 * draft is invisible to the organization's backend until someone commits it.
 */
import { Link } from 'react-router';
import { Badge } from '../../../ui/Callout.tsx';
import type { ExperimentConfig } from '../api-types.ts';
import { isBanditKind } from '../bandit-design.ts';
import { experimentPage } from '../queries.ts';
import { experimentTypeLabel, formatUtcDate, lifecycleStatus, stopStatus } from '../status.ts';


export function ExperimentsTable({
  items,
  organizationName,
  datasourceNames,
  busy,
}: {
  items: readonly ExperimentConfig[];
  organizationName: string;
  datasourceNames: ReadonlyMap<string, string>;
  busy: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="table experiments-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Experiments of {organizationName}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Dates (UTC)</th>
            <th scope="col">Datasource</th>
            <th scope="col" className="num">
              Participants
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <ExperimentRow key={e.experiment_id} experiment={e} datasourceName={datasourceNames.get(e.datasource_id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ExperimentRow({ experiment: e, datasourceName }: { experiment: ExperimentConfig; datasourceName: string | undefined }) {
  const status = lifecycleStatus(e);
  const stop = stopStatus(e);
  const d = e.design_spec;
  const page = experimentPage(e.datasource_id, e.experiment_id);
  // A bandit's size is its draws so far: every draw assigns one participant to an arm.
  const sizeHint = isBanditKind(d.experiment_type) ? 'Participants drawn so far' : undefined;
  return (
    <tr className={e.state === 'assigned' ? 'xl-draft' : undefined}>
      <th scope="row">
        <Link to={page}>{d.experiment_name}</Link>
        {d.description && <div className="muted small clamp">{d.description}</div>}
      </th>
      <td className="nowrap">{experimentTypeLabel(d.experiment_type)}</td>
      <td>
        <span className="badges">
          <Badge tone={status.tone} title={status.explanation}>
            {status.label}
          </Badge>
          {stop && (
            <Badge tone={stop.tone} title={stop.explanation}>
              {stop.label}
            </Badge>
          )}
        </span>
        {e.state === 'assigned' && (
          <div className="xl-draft-action small">
            <Link to={page} aria-label={`Review and commit ${d.experiment_name}`}>
              Review and commit
            </Link>
          </div>
        )}
      </td>
      <td className="nowrap">
        {formatUtcDate(d.start_date)} – {formatUtcDate(d.end_date)}
      </td>
      <td>{datasourceName ?? <code>{e.datasource_id}</code>}</td>
      <td className="num" title={sizeHint}>
        {e.assign_summary.sample_size.toLocaleString('en-US')}
      </td>
    </tr>
  );
}
