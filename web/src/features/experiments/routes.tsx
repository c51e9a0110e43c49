import type { RouteObject } from 'react-router';
import { PageHeader } from '../../ui/Page.tsx';

export const experimentRoutes: RouteObject[] = [{ path: 'experiments', element: <PageHeader title="Experiments" /> }];
