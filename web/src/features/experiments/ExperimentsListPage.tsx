/**
 * `/experiments`: the organization's experiments, newest first, each with its type, status (lifecycle,
 * phase from the dates, and any assignment stop), dates and size. Searchable and filtered by status, type
 * and datasource (kept in the address, see `list/`), a page at a time. Drafts and committed experiments
 * show by default; abandoned drafts on request. A design left unfinished in this browser is offered for
 * continuing.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useOrganization } from '../../org/organization.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, EmptyState, ErrorCallout, Loading } from '../../ui/Callout.tsx';
import { PageHeader } from '../../ui/Page.tsx';
import { Pager, usePageTokens } from '../../ui/Pager.tsx';
import { ExperimentsTable } from './list/ExperimentsTable.tsx';
import { FilterBar } from './list/FilterBar.tsx';
import { apiQuery, countLine, DEFAULT_FILTERS, isFiltered, paramsFromFilters } from './list/list-filters.ts';
import { useListFilters } from './list/useListFilters.ts';
import { useOrganizationDatasources, useOrganizationExperiments } from './queries.ts';
import { todayUtc } from './status.ts';
import { loadWizard } from './wizard/persistence.ts';

const PAGE_SIZE = 20;

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
  const [filters, setFilters] = useListFilters();
  const pages = usePageTokens();
  // Other filters start again at page 1 (a token belongs to the filters it was issued for).
  const filterKey = paramsFromFilters(filters).toString();
  const [pagedFor, setPagedFor] = useState(filterKey);
  if (pagedFor !== filterKey) {
    setPagedFor(filterKey);
    pages.reset();
  }
  const experiments = useOrganizationExperiments(current.id, apiQuery(filters, PAGE_SIZE, pagedFor === filterKey ? pages.token : undefined));
  const datasources = useOrganizationDatasources(current.id);
  const datasourceList = datasources.data?.items ?? [];
  const names = new Map(datasourceList.map((d) => [d.id, d.name]));
  const hasWarehouse = datasourceList.some((d) => d.driver !== 'none');
  const data = experiments.data;
  const filtered = isFiltered(filters);
  // Nothing at all yet: the first-run empty state, without filters that could only ever find nothing.
  const firstRun = data !== undefined && data.total === 0 && !filtered && !experiments.isPlaceholderData;

  return (
    <>
      <PageHeader title="Experiments" actions={firstRun || experiments.isPending ? undefined : <NewExperimentLink />} />
      <ContinueDesign organizationId={current.id} />
      {experiments.isPending ? (
        <Loading label="Loading experiments…" />
      ) : experiments.isError && !data ? (
        <ErrorCallout title="Could not load the experiments" error={experiments.error} onRetry={() => void experiments.refetch()} />
      ) : firstRun ? (
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
          <FilterBar filters={filters} onChange={setFilters} datasources={datasourceList} />
          {experiments.isError && <ErrorCallout title="Could not load the experiments" error={experiments.error} onRetry={() => void experiments.refetch()} />}
          {data && data.items.length === 0 ? (
            <EmptyState
              title="No experiments match"
              action={
                <Button size="small" onClick={() => setFilters(DEFAULT_FILTERS)}>
                  Clear filters
                </Button>
              }
            >
              {filters.search ? `Nothing with “${filters.search}” in its name or description matches these filters. ` : 'Nothing matches these filters. '}
              Check the spelling, choose another status or type, or clear the filters to see every draft and committed experiment.
            </EmptyState>
          ) : (
            data && (
              <>
                <ExperimentsTable items={data.items} organizationName={current.name} datasourceNames={names} busy={experiments.isPlaceholderData} />
                <p className="muted small list-count" role="status">
                  {countLine(filters, data.total, (pages.page - 1) * PAGE_SIZE, data.items.length)}
                </p>
              </>
            )
          )}
          <Pager label="Experiments" page={pages.page} nextToken={data?.next_page_token || undefined} loading={experiments.isPlaceholderData} onNext={pages.next} onPrevious={pages.previous} />
        </div>
      )}
    </>
  );
}
