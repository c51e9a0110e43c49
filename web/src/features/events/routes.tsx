import type { RouteObject } from 'react-router';
import { PageHeader } from '../../ui/Page.tsx';

export const eventRoutes: RouteObject[] = [{ path: 'events', element: <PageHeader title="Recent events" /> }];
