/** The Datasources area: the list, one datasource (connection, tables, participant types, API keys), and participant types. */
import type { RouteObject } from 'react-router';
import { DatasourcePage } from './DatasourcePage.tsx';
import { DatasourcesPage } from './DatasourcesPage.tsx';
import { NewParticipantTypePage, ParticipantTypePage } from './ParticipantTypePages.tsx';

export const datasourceRoutes: RouteObject[] = [
  { path: 'datasources', element: <DatasourcesPage /> },
  { path: 'datasources/:datasourceId', element: <DatasourcePage /> },
  { path: 'datasources/:datasourceId/participant-types/new', element: <NewParticipantTypePage /> },
  { path: 'datasources/:datasourceId/participant-types/:participantType', element: <ParticipantTypePage /> },
];
