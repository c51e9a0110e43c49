import type { RouteObject } from 'react-router';
import { PageHeader } from '../../ui/Page.tsx';

export const datasourceRoutes: RouteObject[] = [{ path: 'datasources', element: <PageHeader title="Datasources" /> }];
