/**
 * `/experiments`: the organization's drafts and committed experiments, newest first, each with its type,
 * status (lifecycle, phase from the dates, and any assignment stop), dates and size. A design left
 * unfinished in this browser is offered for continuing. Search and filters come in part 2.
 */
import { Link } from 'react-router';
import { useOrganization } from '../../org/organization.tsx';
import { Badge, Callout, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { PageHeader } from '../../ui/Page.tsx';
import type { ExperimentConfig } from './api-types.ts';
import { experimentPage, useOrganizationDatasources, useOrganizationExperiments } from './queries.ts';
import { experimentTypeLabel, formatUtcDate, lifecycleStatus, stopStatus, todayUtc } from './status.ts';
import { loadWizard } from './wizard/persistence.ts';

function NewExperimentLink({ label = 'New experiment' }: { label?: string }) {
  return (
    <Link to="/experiments/new" className="btn btn-primary">
      {label}
    </Link>
  );
}

function ContinueDesign({ organizationId }: { organizationId: string }) {
  const stored = loadWizard(localStorage, organizationId, todayUtc());
  if (!stored) return null;
  if (stored.phase === 'draft') {
    return (
      <Callout tone="info" title="A draft is waiting for you">
        <p>
          Your last design was created but not committed. <Link to="/experiments/new">Review and commit it</Link>.
        </p>
      </Callout>
    );
  }
  const name = stored.state.basics.name.trim();
  if (!name && stored.state.step === 'basics') return null;
  return (
    <Callout tone="info" title="Unfinished design">
      <p>
        You were designing {name ? `“${name}”` : 'an experiment'}. <Link to="/experiments/new">Continue where you left off</Link>.
      </p>
    </Callout>
  );
}

export function ExperimentsListPage() {
  const { current } = useOrganization();
  const experiments = useOrganizationExperiments(current.id);
  const datasources = useOrganizationDatasources(current.id);
  const names = new Map((datasources.data?.items ?? []).map((d) => [d.id, d.name]));
  const hasWarehouse = (datasources.data?.items ?? []).some((d) => d.driver !== 'none');
  const items = experiments.data?.items ?? [];

  return (
    <>
      <PageHeader title="Experiments" actions={items.length > 0 ? <NewExperimentLink /> : undefined} />
      <ContinueDesign organizationId={current.id} />
      {experiments.isPending ? (
        <Loading label="Loading experiments…" />
      ) : experiments.isError ? (
        <ErrorCallout title="Could not load the experiments" error={experiments.error} onRetry={() => void experiments.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title="No experiments yet"
          action={hasWarehouse || datasources.isPending ? <NewExperimentLink label="Design your first experiment" /> : <Link to="/datasources">Add a datasource first</Link>}
        >
          {hasWarehouse || datasources.isPending
            ? 'Design an experiment step by step: who takes part, the arms, what to measure and how many participants that takes.'
            : 'Experiments draw their participants from a data warehouse. Add a datasource, then design your first experiment.'}
        </EmptyState>
      ) : (
        <div className="section">
          <div className="table-wrap">
            <table className="table experiments-table">
              <caption className="visually-hidden">Experiments of {current.name}, newest first</caption>
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
                  <ExperimentRow key={e.experiment_id} experiment={e} datasourceName={names.get(e.datasource_id)} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small list-count">
            {items.length} {items.length === 1 ? 'experiment' : 'experiments'} (drafts and committed; abandoned drafts are not listed).
          </p>
        </div>
      )}
    </>
  );
}

function ExperimentRow({ experiment: e, datasourceName }: { experiment: ExperimentConfig; datasourceName: string | undefined }) {
  const status = lifecycleStatus(e);
  const stop = stopStatus(e);
  const d = e.design_spec;
  return (
    <tr>
      <th scope="row">
        <Link to={experimentPage(e.datasource_id, e.experiment_id)}>{d.experiment_name}</Link>
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
      </td>
      <td className="nowrap">
        {formatUtcDate(d.start_date)} – {formatUtcDate(d.end_date)}
      </td>
      <td>{datasourceName ?? <code>{e.datasource_id}</code>}</td>
      <td className="num">{e.assign_summary.sample_size.toLocaleString('en-US')}</td>
    </tr>
  );
}
