/**
 * Every datasource of the current organization: what it is, its id to copy into a client, what hangs off
 * it (participant types, API keys, experiments). The "API only" datasource every organization has is
 * listed and explained rather than hidden, and an organization with no warehouse yet is pointed to Add.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { formatInteger } from '../../ui/format.ts';
import { PageHeader } from '../../ui/Page.tsx';
import { useDatasources, type DatasourceSummary } from './api.ts';
import { DatasourceDialog } from './DatasourceDialog.tsx';
import { driverLabel } from './datasource-form.ts';

const plural = (n: number, one: string, many: string) => `${formatInteger(n)} ${n === 1 ? one : many}`;

export function DatasourcesPage() {
  const { current } = useOrganization();
  const list = useDatasources(current.id);
  const [adding, setAdding] = useState(false);
  const items = list.data?.items ?? [];
  const warehouses = items.filter((d) => d.driver !== 'none');

  return (
    <>
      <PageHeader
        title="Datasources"
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add datasource
          </Button>
        }
      >
        <p className="muted page-intro">
          A datasource is a warehouse Equipoise reads participants and outcomes from. Experiments, participant types and API keys belong to one datasource.
        </p>
      </PageHeader>

      {list.isPending && <Loading label="Loading datasources…" />}
      {list.isError && <ErrorCallout title="Could not load the datasources" error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && (
        <>
          {warehouses.length === 0 && (
            <div className="empty">
              <h2 className="empty-title">No warehouse connected yet</h2>
              <div className="empty-body">
                Add your PostgreSQL, MariaDB/MySQL, Redshift or BigQuery warehouse, or a DuckDB file, to design experiments from your participants' data.
              </div>
              <div className="empty-action">
                <Button variant="primary" onClick={() => setAdding(true)}>
                  Add your first datasource
                </Button>
              </div>
            </div>
          )}
          {items.length > 0 && (
            <div className="table-wrap section">
              <table className="table ds-table datasource-table">
                <caption className="visually-hidden">Datasources of {current.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">ID</th>
                    <th scope="col">Participant types</th>
                    <th scope="col" className="num">
                      API keys
                    </th>
                    <th scope="col" className="num">
                      Experiments
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <DatasourceRow key={d.id} d={d} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <DatasourceDialog open={adding} onClose={() => setAdding(false)} organizationId={current.id} />
    </>
  );
}

function DatasourceRow({ d }: { d: DatasourceSummary }) {
  const to = `/datasources/${encodeURIComponent(d.id)}`;
  const apiOnly = d.driver === 'none';
  return (
    <tr>
      <th scope="row">
        <Link to={to}>{d.name}</Link>
        {apiOnly && <div className="muted small">No warehouse: for online experiments whose assignments and outcomes go through the API alone.</div>}
      </th>
      <td>{driverLabel(d.driver)}</td>
      <td>
        <CopyValue value={d.id} what={`ID of ${d.name}`} />
      </td>
      <td>
        {apiOnly ? (
          <span className="muted">Not applicable</span>
        ) : d.participant_types.length === 0 ? (
          <Link to={`${to}#participant-types`}>None yet: add one</Link>
        ) : (
          d.participant_types.join(', ')
        )}
      </td>
      <td className="num">
        <Link to={`${to}#api-keys`} aria-label={`${plural(d.api_key_count, 'API key', 'API keys')} of ${d.name}`}>
          {formatInteger(d.api_key_count)}
        </Link>
      </td>
      <td className="num">{formatInteger(d.experiment_count)}</td>
    </tr>
  );
}
