/** The Datasources area: the list, one datasource (connection, tables, participant types, API keys), and participant types. */
import type { RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';

const participantTypePages = () => import('./ParticipantTypePages.tsx');

export const datasourceRoutes: RouteObject[] = [
  { path: 'datasources', lazy: lazyPage(() => import('./DatasourcesPage.tsx'), 'DatasourcesPage') },
  { path: 'datasources/:datasourceId', lazy: lazyPage(() => import('./DatasourcePage.tsx'), 'DatasourcePage') },
  { path: 'datasources/:datasourceId/participant-types/new', lazy: lazyPage(participantTypePages, 'NewParticipantTypePage') },
  { path: 'datasources/:datasourceId/participant-types/:participantType', lazy: lazyPage(participantTypePages, 'ParticipantTypePage') },
];
