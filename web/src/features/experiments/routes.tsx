/**
 * The experiment area: the list, the wizard, and an experiment's page (addressed under its datasource, as
 * the admin API is). Each screen loads on first visit.
 */
import type { RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';

export const experimentRoutes: RouteObject[] = [
  { path: 'experiments', lazy: lazyPage(() => import('./ExperimentsListPage.tsx'), 'ExperimentsListPage') },
  { path: 'experiments/new', lazy: lazyPage(() => import('./wizard/WizardPage.tsx'), 'WizardPage') },
  { path: 'datasources/:datasourceId/experiments/:experimentId', lazy: lazyPage(() => import('./page/ExperimentPage.tsx'), 'ExperimentPage') },
];
