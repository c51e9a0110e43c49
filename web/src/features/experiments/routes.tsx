/**
 * The experiment area: the list, the wizard, and an experiment's page (addressed under its datasource, as
 * the admin API is).
 */
import type { RouteObject } from 'react-router';
import { ExperimentsListPage } from './ExperimentsListPage.tsx';
import { ExperimentPage } from './page/ExperimentPage.tsx';
import { WizardPage } from './wizard/WizardPage.tsx';

export const experimentRoutes: RouteObject[] = [
  { path: 'experiments', element: <ExperimentsListPage /> },
  { path: 'experiments/new', element: <WizardPage /> },
  { path: 'datasources/:datasourceId/experiments/:experimentId', element: <ExperimentPage /> },
];
