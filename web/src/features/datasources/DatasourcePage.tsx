/**
 * One datasource: what it is and its id to copy, whether its warehouse can be read (and if not, why and
 * what to do), its tables and columns, its participant types and its API keys.
 */
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/errors.ts';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { CopyValue } from '../../ui/CopyButton.tsx';
import { formatInteger } from '../../ui/format.ts';
import { PageHeader, Section } from '../../ui/Page.tsx';
import { useDatasource, useParticipantTypes, type DatasourceDetail } from './api.ts';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { ConnectionStatus, useRefreshTables } from './ConnectionStatus.tsx';
import { DatasourceDialog } from './DatasourceDialog.tsx';
import { describeTarget, driverLabel } from './datasource-form.ts';
import { DeleteDatasourceDialog } from './DeleteDatasourceDialog.tsx';
import { newParticipantTypePath, ParticipantTypesSection } from './ParticipantTypesSection.tsx';
import { TablesSection } from './TablesSection.tsx';

export function DatasourcePage() {
  const { datasourceId = '' } = useParams();
  const ds = useDatasource(datasourceId);
  const crumbs = [{ label: 'Datasources', to: '/datasources' }];
  if (ds.isPending) {
    return (
      <>
        <PageHeader title="Datasource" crumbs={crumbs} />
        <Loading label="Loading the datasource…" />
      </>
    );
  }
  if (ds.isError) {
    const gone = ds.error instanceof ApiError && ds.error.status === 404;
    return (
      <>
        <PageHeader title={gone ? 'Datasource not found' : 'Datasource'} crumbs={crumbs} />
        {gone ? (
          <p>
            There is no datasource with the id <code>{datasourceId}</code> in your organizations: it may have been deleted. <Link to="/datasources">See all datasources</Link>.
          </p>
        ) : (
          <ErrorCallout title="Could not load the datasource" error={ds.error} onRetry={() => void ds.refetch()} />
        )}
      </>
    );
  }
  return <DatasourceView ds={ds.data} />;
}

function DatasourceView({ ds }: { ds: DatasourceDetail }) {
  const { current } = useOrganization();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [creatingKey, setCreatingKey] = useState(false);
  const types = useParticipantTypes(ds.id);
  const apiOnly = ds.driver === 'none';
  const { refresh, busy } = useRefreshTables(ds.id);
  const location = useLocation();

  // Links from the list (`#api-keys`, `#participant-types`) land on their section once it is drawn.
  useEffect(() => {
    const id = location.hash.slice(1);
    if (id) (document.getElementById(id) ?? document.getElementById(`${id}-title`))?.scrollIntoView({ block: 'start' });
  }, [location.hash]);

  return (
    <>
      <PageHeader
        title={ds.name}
        crumbs={[{ label: 'Datasources', to: '/datasources' }]}
        actions={
          <>
            <Button onClick={() => setEditing(true)}>{apiOnly ? 'Rename' : 'Edit settings'}</Button>
            {!apiOnly && (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete datasource
              </Button>
            )}
          </>
        }
      >
        {ds.organization_id !== current.id && (
          <Callout tone="warning">
            This datasource belongs to <strong>{ds.organization_name}</strong>, not to the organization selected above.
          </Callout>
        )}
        <dl className="facts datasource-facts">
          <dt>Type</dt>
          <dd>{driverLabel(ds.driver)}</dd>
          <dt>Datasource ID</dt>
          <dd>
            <CopyValue value={ds.id} what="datasource ID" />
          </dd>
          {!apiOnly && (
            <>
              <dt>Connects to</dt>
              <dd>
                <code>{describeTarget(ds.dsn)}</code>
              </dd>
            </>
          )}
          <dt>Experiments</dt>
          <dd>{formatInteger(ds.experiment_count)}</dd>
        </dl>
      </PageHeader>

      {apiOnly ? (
        <Callout tone="info" title="API only: no warehouse">
          <p>
            Every organization has this datasource. Its experiments are online experiments driven entirely through the integration API: your backend asks for each
            participant's arm and reports outcomes. There are no tables, filters or participant types; use its API keys and its id in your client.
          </p>
        </Callout>
      ) : (
        <>
          <Section id="connection" title="Connection">
            <ConnectionStatus datasourceId={ds.id} onEdit={() => setEditing(true)} />
          </Section>
          <Section
            id="tables"
            title="Tables"
            actions={
              <Button size="small" onClick={() => void refresh()} busy={busy}>
                Refresh tables
              </Button>
            }
          >
            <TablesSection datasourceId={ds.id} participantTypes={types.data?.items ?? []} />
          </Section>
          <Section
            id="participant-types"
            title="Participant types"
            actions={
              <Link className="btn btn-small btn-link" to={newParticipantTypePath(ds.id)}>
                Add participant type
              </Link>
            }
          >
            <ParticipantTypesSection datasourceId={ds.id} />
          </Section>
        </>
      )}
      <Section
        id="api-keys"
        title="API keys"
        actions={
          <Button size="small" variant="primary" onClick={() => setCreatingKey(true)}>
            Create API key
          </Button>
        }
      >
        <ApiKeysSection datasourceId={ds.id} datasourceName={ds.name} createOpen={creatingKey} onCreateOpenChange={setCreatingKey} />
      </Section>

      <DatasourceDialog open={editing} onClose={() => setEditing(false)} organizationId={ds.organization_id} existing={ds} />
      {!apiOnly && <DeleteDatasourceDialog open={deleting} onClose={() => setDeleting(false)} datasource={ds} participantTypeCount={types.data?.items.length ?? 0} />}
    </>
  );
}
