import type { RouteObject } from 'react-router';
import { EventsPage } from './EventsPage.tsx';

export const eventRoutes: RouteObject[] = [{ path: 'events', element: <EventsPage /> }];
