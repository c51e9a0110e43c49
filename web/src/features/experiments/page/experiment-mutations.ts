/**
 * The experiment page's edits and deletes that reach beyond one section: renaming an arm, deleting collected
 * data, deleting the experiment. Each says which queries it changes, because the page holds several: the
 * experiment (arm names and counts), the integration guide's sample calls, the live analysis, the snapshot
 * list and single snapshots, the bandit history, and the lists elsewhere that count experiments.
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, request } from '../../../api/client.ts';
import { forgetDeleted } from '../../../api/forget-deleted.ts';
import { todayUtc } from '../status.ts';
import { experimentKeys, experimentPath, type ExperimentListPage } from '../queries.ts';
import { clearWizard, loadWizard } from '../wizard/persistence.ts';
import { SNAPSHOT_PARAM } from './open-snapshot.ts';
import { snapshotListKey } from './snapshot-queries.ts';
import type { DataChoice } from './delete-data-words.ts';

const enc = encodeURIComponent;

/** Prefixes of everything cached about one experiment outside `experimentKeys.one`. */
const analysisPrefix = (ds: string, exp: string) => ['experiment-results', 'analysis', ds, exp] as const;
const snapshotPrefix = (ds: string, exp: string) => ['experiment-results', 'snapshot', ds, exp] as const;

export function useUpdateArm(ds: string, exp: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ armId, patch }: { armId: string; patch: { name?: string; description?: string } }) => api.patch(`${experimentPath(ds, exp)}/arms/${enc(armId)}`, patch),
    // The arm's name shows in the arms table, the design, the sample calls and every result: the live
    // analysis names arms as they are now (snapshots keep the names they stored).
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: experimentKeys.all }), client.invalidateQueries({ queryKey: analysisPrefix(ds, exp) })]),
  });
}

export function useDeleteExperimentData(ds: string, exp: string) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [search] = useSearchParams();
  return useMutation({
    mutationFn: (choice: DataChoice) => request<void>('DELETE', `${experimentPath(ds, exp)}/data`, choice),
    onSuccess: async (_, choice) => {
      if (choice.snapshots) {
        // An open snapshot is gone: show the live numbers before dropping it, or the still-mounted view
        // fetches it again (a 404).
        if (search.has(SNAPSHOT_PARAM)) {
          const next = new URLSearchParams(search);
          next.delete(SNAPSHOT_PARAM);
          const query = next.toString();
          await navigate({ pathname: location.pathname, search: query ? `?${query}` : '' }, { replace: true, preventScrollReset: true });
        }
        await forgetDeleted(client, [snapshotPrefix(ds, exp)]);
      }
      await Promise.all([
        // Counts in the arms table, the status line and the lists; a bandit's history and posteriors.
        client.invalidateQueries({ queryKey: experimentKeys.all }),
        choice.snapshots ? client.invalidateQueries({ queryKey: snapshotListKey(ds, exp) }) : undefined,
      ]);
      // Only once the page knows nobody is assigned: the results section then stops asking for an analysis,
      // which would fail (a 422) with no participants.
      if (choice.assignments) await client.invalidateQueries({ queryKey: analysisPrefix(ds, exp) });
    },
  });
}

/** Drops an experiment from every cached list page, so the list does not show it until its refetch lands. */
function dropFromLists(client: QueryClient, exp: string) {
  client.setQueriesData<ExperimentListPage>({ queryKey: ['experiments-area', 'list'] }, (page) => {
    if (!page?.items.some((e) => e.experiment_id === exp)) return page;
    return { ...page, items: page.items.filter((e) => e.experiment_id !== exp), total: Math.max(0, page.total - 1) };
  });
}

/** `onDeleted` runs before the page is left (a toast): callbacks passed to `mutate` would not, as the page unmounts. */
export function useDeleteExperiment(organizationId: string, ds: string, exp: string, onDeleted: () => void) {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.delete(experimentPath(ds, exp)),
    onSuccess: async () => {
      onDeleted();
      // The wizard in this browser may still point at this draft; there is nothing left to go back to.
      const stored = loadWizard(localStorage, organizationId, todayUtc());
      if (stored?.phase === 'draft' && stored.experimentId === exp) clearWizard(localStorage, organizationId);
      dropFromLists(client, exp);
      await navigate('/experiments');
      await forgetDeleted(client, [
        experimentKeys.one(ds, exp),
        ['experiments-area', 'sample-calls', ds, exp],
        ['experiments-area', 'bandit-history', ds, exp],
        analysisPrefix(ds, exp),
        snapshotPrefix(ds, exp),
        snapshotListKey(ds, exp),
      ]);
      await Promise.all([
        client.invalidateQueries({ queryKey: ['experiments-area', 'list'] }),
        // Datasources count their experiments.
        client.invalidateQueries({ queryKey: ['datasources', organizationId] }),
        client.invalidateQueries({ queryKey: ['datasource', ds] }),
      ]);
    },
  });
}
